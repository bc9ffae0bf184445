/**
 * Path normalisation, before routing: strip Ironic's legacy ".json" suffix, and route any path that is not `/` or
 * under `/v1` as if it were prefixed with `/v1` (Ironic's root controller does the same).
 */
import type { Middleware } from 'koa';
import type { ApiState } from '../context.ts';

export function pathMiddleware(): Middleware<ApiState> {
  return async (ctx, next) => {
    let p = ctx.path;
    if (p.length > 5 && p.endsWith('.json')) {
      p = p.slice(0, -5);
      ctx.state.jsonSuffix = true;
    }
    if (p !== '/' && p !== '/v1' && !p.startsWith('/v1/')) p = `/v1${p}`;
    if (p !== ctx.path) ctx.path = p;
    await next();
  };
}
