/**
 * Version gates for route handlers:
 *  - routeSince(n): whole endpoint introduced in 1.n → 404 (GET) / 405 (other methods) below it, like Ironic.
 *  - requireMinor(ctx, n, what): a param/field/verb newer than the request → 406 NotAcceptable.
 */
import type { Middleware } from 'koa';
import type { ApiContext, ApiState } from './context.ts';
import { FrameworkError, notFoundRoute } from './framework-error.ts';
import { NotAcceptable, NotFound } from '@anvil/sdk';
import { tooNew } from './version.ts';

/**
 * style 'route' (default): framework 404 for GET/HEAD, 405 otherwise (allocations, deploy templates, shards);
 * 'resource': Ironic's fault 404 "Resource could not be found." for every method (portgroups);
 * 'acceptable': 406 "Request not acceptable." (node traits).
 */
export function routeSince(minor: number, style: 'route' | 'resource' | 'acceptable' = 'route'): Middleware<ApiState> {
  return async (ctx, next) => {
    if (ctx.state.minor < minor) {
      if (style === 'resource') throw new NotFound('Resource could not be found.');
      if (style === 'acceptable') throw new NotAcceptable('Request not acceptable.');
      if (ctx.method === 'GET' || ctx.method === 'HEAD') throw notFoundRoute();
      throw new FrameworkError(405, 'The method specified is not allowed for this resource in this API version.');
    }
    await next();
  };
}

export function requireMinor(ctx: ApiContext, minor: number, what: string): void {
  if (ctx.state.minor < minor) throw tooNew(what);
}
