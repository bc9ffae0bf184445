/**
 * Operations endpoints beside the Ironic API (none of these paths is an Ironic route):
 *   GET /healthz  alive: 200 while the process serves HTTP; no auth (like Ironic's oslo /healthcheck)
 *   GET /readyz   ready: the database answers, at least one conductor heartbeats and answers an RPC ping over
 *                 the configured transport; 200 or 503 with each check; no auth (it says nothing about nodes)
 *   GET /metrics  Prometheus text (metrics.ts in @anvil/conductor); behind the API's auth like every non-public
 *                 route (any valid credentials; open with noauth) since it counts nodes by state
 */
import type { Middleware } from 'koa';
import { metricsRegistry } from '@anvil/conductor';
import type { ApiDeps, ApiState } from '../context.ts';

interface Pinger {
  ping(host: string): Promise<unknown>;
}

const within = <T>(ms: number, p: Promise<T>): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

/** The readiness checks of an API process: name → 'ok' or why not. */
export async function readiness(deps: ApiDeps): Promise<{ ready: boolean; checks: Record<string, string> }> {
  const checks: Record<string, string> = {};
  const check = async (name: string, fn: () => Promise<string>) => {
    try {
      checks[name] = await within(3000, fn());
    } catch (err) {
      checks[name] = `failed: ${(err as Error).message}`;
    }
  };
  await check('database', async () => (await deps.db.knex.raw('select 1'), 'ok'));
  let alive: string[] = [];
  await check('conductors', async () => {
    alive = (await deps.db.conductors.listAlive(Number(deps.settings.heartbeat_timeout) || 6)).map((c) => c.hostname);
    if (!alive.length) throw new Error('no conductor is heartbeating');
    return `ok (${alive.length} alive)`;
  });
  const rpc = deps.conductor as Pinger | undefined;
  await check('rpc', async () => {
    if (!rpc?.ping) throw new Error('this API has no conductor client');
    if (!alive.length) throw new Error('no conductor to ping');
    await rpc.ping(alive[0]);
    return `ok (${String(deps.settings.rpc_transport)})`;
  });
  return { ready: Object.values(checks).every((v) => v.startsWith('ok')), checks };
}

/** /healthz and /readyz: answered before authentication. */
export function healthMiddleware(deps: ApiDeps): Middleware<ApiState> {
  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === '/healthz') {
      ctx.body = { status: 'ok' };
      return;
    }
    if (ctx.path !== '/readyz') return next();
    const r = await readiness(deps);
    ctx.status = r.ready ? 200 : 503;
    ctx.body = { status: r.ready ? 'ok' : 'not ready', checks: r.checks };
  };
}

/** /metrics: answered after authentication. */
export function metricsMiddleware(): Middleware<ApiState> {
  return async (ctx, next) => {
    if (ctx.path !== '/metrics' || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    ctx.type = metricsRegistry.contentType;
    ctx.body = await metricsRegistry.metrics();
  };
}
