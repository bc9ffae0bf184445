/**
 * Path normalisation, before routing: strip Ironic's legacy ".json" suffix (only below 1.91: from 1.91 a ".json"
 * ending is part of the name, as Ironic 39), and route any path that is not `/` or
 * under `/v1` as if it were prefixed with `/v1` (Ironic's root controller does the same). Ironic's object
 * dispatch also serves a node's sub-resource with the node last (`/v1/nodes/states/console/<node>` =
 * `/v1/nodes/<node>/states/console`); tempest's get_console uses that form.
 */
import type { Middleware } from 'koa';
import type { ApiState } from '../context.ts';
import { MAX_MINOR, parseVersionHeader } from '../version.ts';
import { requested } from './microversion.ts';

const NODE_LAST =
  /^\/v1\/nodes\/(states(?:\/(?:console|power|provision|raid|boot_mode|secure_boot))?|management\/(?:boot_device|inject_nmi)|maintenance)\/([^/]+)$/;

/** The request's microversion as far as the .json rule needs it (invalid headers are left to the microversion middleware). */
function requestedMinor(ctx: { get(h: string): string }, maxMinor: number): number {
  const req = requested(ctx);
  if (!req) return 1;
  const v = parseVersionHeader(req.value);
  if (v.kind === 'latest') return maxMinor;
  return v.kind === 'version' && v.major === 1 ? v.minor : 1;
}

export function pathMiddleware(maxMinor = MAX_MINOR): Middleware<ApiState> {
  return async (ctx, next) => {
    let p = ctx.path;
    if (p.length > 5 && p.endsWith('.json') && requestedMinor(ctx, maxMinor) < 91) {
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
