/**
 * Honest HTTP for operators (Anvil extensions that leave Ironic's bodies untouched):
 * - `lockedMiddleware`: a 409 NodeLocked keeps Ironic's message ("Node X is locked by host Y, please retry …") and
 *   adds `X-Anvil-Lock-Holder`, `X-Anvil-Locked-Since` (when the holder took the lock) and `Retry-After`;
 *   any 503 gets `Retry-After` too.
 * - `etagMiddleware`: GET/HEAD 200 JSON answers carry a weak `ETag` (hash of the body); `If-None-Match` with that
 *   tag → 304 without a body. Clients that send no `If-None-Match` see the same answers as before.
 * - `overloadMiddleware`: more than `api_max_in_flight` requests at once → 503 + `Retry-After` (Ironic's error
 *   format) instead of a slow timeout; one client holding more than half of the slots while the server is past
 *   half full → 429 + `Retry-After`. The agent's lookup/heartbeat and the event stream are neither refused nor counted.
 */
import { createHash } from 'node:crypto';
import type { Middleware } from 'koa';
import { AnvilError } from '@anvil/sdk';
import type { Database } from '@anvil/db';
import type { ApiState } from '../context.ts';
import { FrameworkError } from '../framework-error.ts';

const LOCKED = /^Node (\S+) is locked by host (\S+),/;

export function lockedMiddleware(db: Database): Middleware<ApiState> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const status = AnvilError.is(err) || err instanceof FrameworkError ? err.status : 0;
      if (status === 503) ctx.set('Retry-After', '2');
      const m = AnvilError.is(err) && err.code === 'NodeLocked' ? LOCKED.exec(err.message) : null;
      if (m) {
        ctx.set('Retry-After', '1');
        ctx.set('X-Anvil-Lock-Holder', m[2]);
        const info = await db.nodes.lockInfo(m[1]).catch(() => null);
        if (info?.reservation === m[2] && info.reserved_at) ctx.set('X-Anvil-Locked-Since', info.reserved_at);
      }
      throw err;
    }
  };
}

export function etagMiddleware(): Middleware<ApiState> {
  return async (ctx, next) => {
    await next();
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.status !== 200) return;
    const body = ctx.body as unknown;
    if (body === null || body === undefined || typeof (body as { pipe?: unknown }).pipe === 'function') return;
    const type = ctx.response.type;
    if (type && type !== 'application/json') return;
    const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body : JSON.stringify(body);
    const tag = `W/"${createHash('sha1').update(text).digest('base64url').slice(0, 27)}"`;
    ctx.set('ETag', tag);
    if (etagMatches(ctx.get('If-None-Match'), tag)) {
      ctx.status = 304;
      ctx.body = null;
      return;
    }
    if (typeof body !== 'string' && !Buffer.isBuffer(body)) {
      ctx.type = 'application/json';
      ctx.body = text; // serialised once: the bytes hashed are the bytes sent
    }
  };
}

/** True when an If-None-Match header value names `tag` (or `*`). */
export function etagMatches(want: string | undefined, tag: string): boolean {
  return Boolean(want) && (want as string).split(',').some((t) => t.trim() === tag || t.trim() === '*');
}

/** Never refused nor counted: the ramdisk's lookup/heartbeat, and the long-lived event stream. */
const NEVER_REFUSED = /^\/v1\/(lookup|heartbeat\/|anvil\/events)/;

/** Requests in progress, shared with what answers before Koa (node-show-cache.ts leaves a busy server to Koa). */
export interface InFlight {
  count: number;
}

export function overloadMiddleware(maxInFlight: number, load: InFlight = { count: 0 }): Middleware<ApiState> {
  const perClient = new Map<string, number>();
  return async (ctx, next) => {
    if (!maxInFlight || NEVER_REFUSED.test(ctx.path)) return next();
    const client = ctx.ip || 'unknown';
    const mine = perClient.get(client) ?? 0;
    const inFlight = load.count;
    if (inFlight >= maxInFlight) throw new FrameworkError(503, `The server is busy (${inFlight} requests in progress); retry after 1 second.`, { 'Retry-After': '1' });
    if (inFlight >= maxInFlight / 2 && mine >= maxInFlight / 2) {
      throw new FrameworkError(429, `Too many requests in progress from ${client} (${mine}); retry after 1 second.`, { 'Retry-After': '1' });
    }
    load.count++;
    perClient.set(client, mine + 1);
    try {
      await next();
    } finally {
      load.count--;
      const left = (perClient.get(client) ?? 1) - 1;
      if (left > 0) perClient.set(client, left);
      else perClient.delete(client);
    }
  };
}
