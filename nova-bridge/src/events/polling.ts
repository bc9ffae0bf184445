/** Nova's behaviour: check at once, then every `intervalMs` ([ironic]api_retry_interval, 2 s). */
import { type Check, type NodeWaiter, type WaitOptions, timedOut, tolerant } from './waiter.ts';

export class PollingWaiter implements NodeWaiter {
  readonly mode = 'poll' as const;
  private readonly timers = new Set<NodeJS.Timeout>();
  constructor(readonly intervalMs = 2000) {}

  async wait<T>(nodeUuid: string, check: Check<T>, o?: WaitOptions): Promise<T> {
    for (let polls = 1; ; polls++) {
      const r = await tolerant(check);
      if (r) return r.value;
      if (o?.maxPolls !== undefined && polls >= o.maxPolls) timedOut(o, `node ${nodeUuid}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.timers.delete(t);
          resolve();
        }, this.intervalMs);
        this.timers.add(t);
      });
    }
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
