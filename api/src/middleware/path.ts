/**
 * Path normalisation, before routing: strip Ironic's legacy ".json" suffix, and route any path that is not `/` or
 * under `/v1` as if it were prefixed with `/v1` (Ironic's root controller does the same). Ironic's object
 * dispatch also serves a node's sub-resource with the node last (`/v1/nodes/states/console/<node>` =
 * `/v1/nodes/<node>/states/console`); tempest's get_console uses that form.
 */
import type { Middleware } from 'koa';
import type { ApiState } from '../context.ts';

const NODE_LAST =
  /^\/v1\/nodes\/(states(?:\/(?:console|power|provision|raid|boot_mode|secure_boot))?|management\/(?:boot_device|inject_nmi)|maintenance)\/([^/]+)$/;

export function pathMiddleware(): Middleware<ApiState> {
  return async (ctx, next) => {
    let p = ctx.path;
    if (p.length > 5 && p.endsWith('.json')) {
      p = p.slice(0, -5);
      ctx.state.jsonSuffix = true;
    }
    if (p !== '/' && p !== '/v1' && !p.startsWith('/v1/')) p = `/v1${p}`;
    const nodeLast = NODE_LAST.exec(p);
    if (nodeLast) p = `/v1/nodes/${nodeLast[2]}/${nodeLast[1]}`;
    if (p !== ctx.path) ctx.path = p;
    await next();
  };
}
