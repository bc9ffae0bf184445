/**
 * How the driver waits for a node to change: a `NodeWaiter` runs a check (one API read) now and again each time it
 * may have changed, until the check says done or throws. Two sources: fixed-interval polling (Nova's 2 s
 * FixedIntervalLoopingCall) and node events from Anvil's SSE stream (events only wake the check; the read is truth).
 */
export type CheckResult<T> = { done: true; value: T } | undefined;
export type Check<T> = () => Promise<CheckResult<T>>;

export interface WaitOptions {
  /** give up after this many checks (polling) or this many poll-intervals of time (events); default: never. */
  maxPolls?: number;
  /** called when the budget runs out; must throw (default: a plain Error). */
  onTimeout?: () => never;
}

export interface NodeWaiter {
  readonly mode: 'poll' | 'sse';
  wait<T>(nodeUuid: string, check: Check<T>, o?: WaitOptions): Promise<T>;
  close(): Promise<void>;
}

export const done = <T>(value: T): CheckResult<T> => ({ done: true, value });

/**
 * Runs a check; a transient failure (connection refused/reset, HTTP 503 — the API restarting) counts as
 * "not yet" and the wait goes on. Nova's polls would fail the whole operation on such a blip; a long deploy
 * should not die because the API process restarted under it. Anything else still ends the wait.
 */
export async function tolerant<T>(check: Check<T>): Promise<CheckResult<T>> {
  try {
    return await check();
  } catch (err) {
    if ((err as { transient?: boolean }).transient === true) return undefined;
    throw err;
  }
}

export function timedOut(o: WaitOptions | undefined, what: string): never {
  if (o?.onTimeout) o.onTimeout();
  throw new Error(`timed out waiting for ${what}`);
}
