/** The test suite's one `sleep` and one `until` (poll a check until it yields a value, bounded). */
import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };

/**
 * Polls `check` every `everyMs` until it returns something other than undefined/null/false, or fails after `ms`
 * naming `what` and, when given, `detail()` (e.g. a server's output). An error thrown by `check` ends the wait.
 */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  ms = 30_000,
  detail?: () => string | Promise<string>,
  everyMs = 150,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${detail ? `: ${await detail()}` : ''}`);
    await sleep(everyMs);
  }
}
