/**
 * createApp: compose the middleware (one file each) and the route modules listed in routes/index.ts.
 * Order: access log + HTTP metrics (outermost) → keeping GET-node answers (node-show-cache.ts) → errors → request id (and its log context) → dashboard files →
 * /healthz, /readyz → auth → /metrics → path normalisation → microversion → body → policy → routes.
 */
import type { RequestListener } from 'node:http';
import Koa from 'koa';
import Router from '@koa/router';
import type { ApiDeps, ApiState } from './context.ts';
import { createLogger, watchDatabase } from '@anvil/conductor';
import { accessLogMiddleware } from './middleware/access-log.ts';
import { errorsMiddleware } from './middleware/errors.ts';
import { healthMiddleware, metricsMiddleware } from './middleware/ops.ts';
import { requestIdMiddleware } from './middleware/request-id.ts';
import { pathMiddleware } from './middleware/path.ts';
import { microversionMiddleware } from './middleware/microversion.ts';
import { bodyMiddleware } from './middleware/body.ts';
import { authMiddleware } from './middleware/auth.ts';
import { policyMiddleware } from './middleware/auth-policy.ts';
import { FrameworkError } from './framework-error.ts';
import { etagMiddleware, lockedMiddleware, overloadMiddleware } from './middleware/honest.ts';
import { ROUTE_MODULES } from './routes/index.ts';
import { NodeShowCache } from './node-show-cache.ts';
import { dashboardMiddleware } from '@anvil/dashboard';
import { MAX_MINOR, settingMaxMinor } from './version.ts';

/**
 * The API's request handler: GET one node answered again from node-show-cache.ts while nothing changed, anything
 * else (and every first answer) by the Koa app.
 */
export function createHandler(deps: ApiDeps): RequestListener & { showCache: NodeShowCache } {
  const log = deps.log ?? createLogger({ component: 'api' });
  const showCache = new NodeShowCache(deps, log);
  const koa = createApp({ ...deps, log }, showCache).callback();
  const handler: RequestListener = showCache.enabled ? (req, res) => void (showCache.serve(req, res) || koa(req, res)) : koa;
  return Object.assign(handler, { showCache });
}

export function createApp(deps: ApiDeps, showCache?: NodeShowCache): Koa<ApiState> {
  const app = new Koa<ApiState>({ proxy: false });
  app.silent = true;
  const maxMinor = deps.maxMinor ?? settingMaxMinor(deps.settings.api_max_version) ?? MAX_MINOR;
  const router = new Router<ApiState>();
  for (const mod of ROUTE_MODULES) mod.register(router, { ...deps, maxMinor });
  const log = deps.log ?? createLogger({ component: 'api' });
  watchDatabase(deps.db, Number(deps.settings.heartbeat_timeout) || 6);
  app.use(accessLogMiddleware(log));
  if (showCache?.enabled) app.use(showCache.middleware());
  app.use(errorsMiddleware(log));
  app.use(lockedMiddleware(deps.db)); // 409 NodeLocked: lock holder + since headers; 503: Retry-After
  app.use(overloadMiddleware(Number(deps.settings.api_max_in_flight ?? 1000), showCache?.load));
  app.use(etagMiddleware());
  app.use(requestIdMiddleware());
  app.use(dashboardMiddleware({ authStrategy: String(deps.settings.auth_strategy ?? 'noauth') })); // /dashboard/*: static pages; their API calls carry the user's credentials
  app.use(healthMiddleware(deps));
  app.use(authMiddleware(deps.settings));
  app.use(metricsMiddleware());
  app.use(pathMiddleware(maxMinor));
  app.use(microversionMiddleware(maxMinor));
  app.use(bodyMiddleware(Number(deps.settings.max_body_bytes) || 1024 * 1024));
  app.use(policyMiddleware(deps.db));
  app.use(router.routes());
  app.use(
    router.allowedMethods({
      throw: true,
      methodNotAllowed: () => new FrameworkError(405, ''),
      notImplemented: () => new FrameworkError(405, ''),
    }),
  );
  return app;
}
