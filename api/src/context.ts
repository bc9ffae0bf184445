/** What every route handler sees: the Koa context with Anvil's request state, and the dependencies. */
import type { Context } from 'koa';
import type Router from '@koa/router';
import type { DriverRegistry, Settings } from '@anvil/sdk';

import type { Database } from '@anvil/db';
import type { AuthState } from './middleware/auth.ts';
import type { ShowCacheable } from './node-show-cache.ts';

export interface ApiDeps {
  settings: Settings;
  db: Database;
  registry: DriverRegistry;
  /** RPC facade to the conductors (added by @anvil/conductor); absent → state verbs answer 503. */
  conductor?: unknown;
  /** The API's logger (default: a JSON logger with component "api") */
  log?: import('@anvil/conductor').Logger;
  /** Override the declared max microversion (tests, integrator). Default MAX_MINOR from version.ts. */
  maxMinor?: number;
  /** Anything else later helpers need (allocations service, metrics ...). */
  [extra: string]: unknown;
}

export interface ApiState {
  /** The negotiated microversion minor: 1.N → N. */
  minor: number;
  requestId: string;
  globalRequestId?: string;
  /** Parsed JSON body (undefined when the request had none). */
  body?: unknown;
  /** true when the request path ended in ".json" (legacy suffix, stripped). */
  jsonSuffix?: boolean;
  /** Credentials and policy settings (middleware/auth.ts). */
  auth?: AuthState;
  /** Set by GET /v1/nodes/{node} when its answer may be kept (node-show-cache.ts). */
  showCacheable?: ShowCacheable;
}

export type ApiContext = Context & { state: ApiState };

/** Base URL for links: settings.public_url, else the request's own origin. */
export function baseUrl(ctx: Context, settings: Settings): string {
  const pub = settings.public_url;
  if (pub) return pub.replace(/\/+$/, '');
  return `${ctx.protocol}://${ctx.host}`;
}

export type ApiRouter = Router<ApiState>;

/** Deps as route modules receive them (maxMinor resolved). */
export type RouteDeps = ApiDeps & { maxMinor: number };

/** A route module: routes/<resource>.ts exports `register` and is listed once in routes/index.ts. */
export interface RouteModule {
  register(router: ApiRouter, deps: RouteDeps): void;
}
