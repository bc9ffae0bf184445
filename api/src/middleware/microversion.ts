/**
 * Microversion negotiation for /v1/*: X-OpenStack-Ironic-API-Version ("1.N" | "latest"; absent → 1.1), or the
 * standard `OpenStack-API-Version: baremetal 1.N` when the Ironic header is absent. Sets ctx.state.minor and the
 * min/max/version response headers. `/` (discovery root) gets no version headers.
 */
import type { Middleware } from 'koa';
import type { ApiState } from '../context.ts';
import { FrameworkError } from '../framework-error.ts';
import { fmt, MIN_MINOR, parseVersionHeader, versionErrors } from '../version.ts';

export const VERSION_HEADER = 'X-OpenStack-Ironic-API-Version';
export const MIN_HEADER = 'X-OpenStack-Ironic-API-Minimum-Version';
export const MAX_HEADER = 'X-OpenStack-Ironic-API-Maximum-Version';

export function requested(ctx: { get(h: string): string }): { value: string; standard: boolean } | null {
  const ironic = ctx.get(VERSION_HEADER);
  if (ironic) return { value: ironic, standard: false };
  const std = ctx.get('OpenStack-API-Version');
  if (std) {
    for (const part of std.split(',')) {
      const [service, ver] = part.trim().split(/\s+/, 2);
      if (service?.toLowerCase() === 'baremetal' && ver) return { value: ver, standard: true };
    }
  }
  return null;
}

export function microversionMiddleware(maxMinor: number): Middleware<ApiState> {
  const errors = versionErrors(MIN_MINOR, maxMinor);
  const rangeHeaders = { [MIN_HEADER]: fmt(MIN_MINOR), [MAX_HEADER]: fmt(maxMinor) };
  return async (ctx, next) => {
    if (ctx.path !== '/v1' && !ctx.path.startsWith('/v1/')) {
      ctx.state.minor = MIN_MINOR;
      return next();
    }
    const req = requested(ctx);
    let minor = MIN_MINOR;
    if (req) {
      const parsed = parseVersionHeader(req.value);
      if (parsed.kind === 'invalid') throw new FrameworkError(406, errors.invalid);
      if (parsed.kind === 'latest') minor = maxMinor;
      else if (parsed.major !== 1) throw new FrameworkError(406, errors.major(req.value.trim()), rangeHeaders);
      else if (parsed.minor < MIN_MINOR || parsed.minor > maxMinor)
        throw new FrameworkError(406, errors.minor(req.value.trim()), rangeHeaders);
      else minor = parsed.minor;
    }
    ctx.state.minor = minor;
    ctx.set(rangeHeaders);
    ctx.set(VERSION_HEADER, fmt(minor));
    if (req?.standard) ctx.set('OpenStack-API-Version', `baremetal ${fmt(minor)}`);
    ctx.vary(VERSION_HEADER);
    await next();
  };
}
