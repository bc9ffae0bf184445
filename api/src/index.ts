/** @anvil/api: Anvil's OpenStack Ironic v1 HTTP API (Koa). */
export { createApp, createHandler } from './app.ts';
export { startApi, type RunningApi } from './server.ts';
export type { ApiDeps, ApiState, ApiContext, ApiRouter, RouteDeps, RouteModule } from './context.ts';
export { baseUrl } from './context.ts';
export { FrameworkError } from './framework-error.ts';
export { MAX_MINOR, MIN_MINOR, fmt as formatVersion } from './version.ts';
export { linkPair, type Link } from './links.ts';
export { createInspectorApp, startInspectorApi, type RunningInspectorApi } from './inspector/app.ts';
