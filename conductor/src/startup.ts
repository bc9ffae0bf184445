/**
 * Waiting for the broker and the database at start (issue #19): a process that starts before MariaDB or Kafka is
 * ready — or on a broker that answers "This server does not host this topic-partition" for a few seconds after it
 * said ready — retries with backoff instead of exiting, like oslo.db's connection retries (db_max_retries,
 * db_retry_interval doubling up to db_max_retry_interval) and oslo.messaging's reconnects. A fault that waiting
 * cannot fix (bad credentials, a bad URL, a 4xx) fails at once.
 */
import { AnvilError } from '@anvil/sdk';

/** Error codes of a peer that is not (yet) there: connection refused/reset/lost, server starting or shutting down. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'SQLITE_BUSY',
]);

/** Whether waiting can fix this start-up failure. */
export function isTransientStartError(err: unknown): boolean {
  if (AnvilError.is(err)) return err.code === 'TemporaryFailure' || err.status === 503;
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; name?: unknown; errors?: unknown[] };
  if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return true;
  if (e.name === 'KnexTimeoutError') return true; // no connection could be had within acquireConnectionTimeout
  // AggregateError of a dual-stack connect: transient when every attempt was
  return Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every(isTransientStartError);
}

export interface StartRetryOptions {
  /** Give up after this long (ms; default 300 s, about oslo.db's 20 retries). */
  maxWaitMs?: number;
  /** First pause (ms; default 250), doubled each attempt up to maxDelayMs (default 5 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  log?: (message: string) => void;
  /** For tests: the pause. */
  sleep?: (ms: number) => Promise<void>;
}

/** The pause before attempt n (0-based) of the schedule (pure). */
export function startRetryDelay(attempt: number, initialMs = 250, maxMs = 5_000): number {
  return Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 20));
}

/** Run step until it succeeds; transient failures are logged (once per distinct message) and retried with backoff. */
export async function untilAvailable<T>(what: string, step: () => Promise<T>, opts: StartRetryOptions = {}): Promise<T> {
  const maxWait = opts.maxWaitMs ?? 300_000;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = Date.now();
  let last = '';
  for (let attempt = 0; ; attempt++) {
    try {
      const out = await step();
      if (attempt > 0) opts.log?.(`${what}: available after ${attempt} retries (${Date.now() - started} ms)`);
      return out;
    } catch (err) {
      const message = (err as Error)?.message ?? String(err);
      if (!isTransientStartError(err) || Date.now() - started >= maxWait) throw err;
      if (message !== last) opts.log?.(`${what} failed (${message}); retrying with backoff`);
      last = message;
      await sleep(startRetryDelay(attempt, opts.initialDelayMs, opts.maxDelayMs));
    }
  }
}
