/**
 * Version gates matching Ironic for resources whose controllers abort differently from routeSince():
 *  - subSince(n): pecan.abort(404) for every method below 1.n (node sub-resources vifs/bios/allocation/history/
 *    inventory, volume connectors/targets) → framework 404 for GET, POST, PATCH and DELETE alike.
 *  - businessSince(n, msg): Ironic raises exception.NotFound (a faultstring 404) for every method below 1.n
 *    (GET /v1/volume, POST /v1/events, inject_nmi, boot_mode, secure_boot).
 */
import type { Middleware } from 'koa';
import { AnvilError, NotFound } from '@anvil/sdk';
import { isUuidLike, LOGICAL_NAME_RE } from './validate/common.ts';
import type { ApiState } from './context.ts';
import { FrameworkError, notFoundRoute } from './framework-error.ts';

export function subSince(minor: number): Middleware<ApiState> {
  return async (ctx, next) => {
    if (ctx.state.minor < minor) throw notFoundRoute();
    await next();
  };
}

/**
 * Ironic's pecan _route gate for a whole collection: below 1.n GET → 404 and other methods → 405, both with the
 * description "The API version does not allow <what>".
 */
export function collectionSince(minor: number, what: string): Middleware<ApiState> {
  return async (ctx, next) => {
    if (ctx.state.minor < minor) {
      const msg = `The API version does not allow ${what}`;
      throw new FrameworkError(ctx.method === 'GET' || ctx.method === 'HEAD' ? 404 : 405, msg);
    }
    await next();
  };
}

/** A business-level (faultstring) error with any HTTP status, e.g. Ironic's 405 raised inside a controller. */
export class StatusFault extends AnvilError {
  constructor(status: number, message: string, code = 'ClientSideError') {
    super(message, code, status);
  }
}

/** Ironic's args.uuid_or_name / args.uuid / args.name validators: 400 faults "Expected … for <param>: <value>". */
export function checkUuidOrName(param: string, value: string): void {
  if (!isUuidLike(value) && !LOGICAL_NAME_RE.test(value)) throw new StatusFault(400, `Expected UUID or name for ${param}: ${value}`, 'InvalidParameterValue');
}
export function checkUuid(param: string, value: string): void {
  if (!isUuidLike(value)) throw new StatusFault(400, `Expected UUID for ${param}: ${value}`, 'InvalidParameterValue');
}

export function businessSince(minor: number, message = 'Resource could not be found.'): Middleware<ApiState> {
  return async (ctx, next) => {
    if (ctx.state.minor < minor) throw new NotFound(message);
    await next();
  };
}
