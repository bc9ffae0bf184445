/**
 * Version gates for route handlers:
 *  - routeSince(n): whole endpoint introduced in 1.n → 404 (GET) / 405 (other methods) below it, like Ironic.
 *  - requireMinor(ctx, n, what): a param/field/verb newer than the request → 406 NotAcceptable.
 */
import type { Middleware } from 'koa';
import type { ApiContext, ApiState } from './context.ts';
import { FrameworkError, notFoundRoute } from './framework-error.ts';
import { tooNew } from './version.ts';

export function routeSince(minor: number): Middleware<ApiState> {
  return async (ctx, next) => {
    if (ctx.state.minor < minor) {
      if (ctx.method === 'GET' || ctx.method === 'HEAD') throw notFoundRoute();
      throw new FrameworkError(405, 'The method specified is not allowed for this resource in this API version.');
    }
    await next();
  };
}

export function requireMinor(ctx: ApiContext, minor: number, what: string): void {
  if (ctx.state.minor < minor) throw tooNew(what);
}
