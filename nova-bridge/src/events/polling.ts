/** Nova's behaviour: check at once, then every `intervalMs` ([ironic]api_retry_interval, 2 s). */
import { type Check, type NodeWaiter, type WaitOptions, timedOut, tolerant } from './waiter.ts';

export class PollingWaiter implements NodeWaiter {
  readonly mode = 'poll' as const;
  private readonly sleepers = new Map<NodeJS.Timeout, () => void>();
  private closed = false;
  constructor(readonly intervalMs = 2000) {}

  async wait<T>(nodeUuid: string, check: Check<T>, o?: WaitOptions): Promise<T> {
    for (let polls = 1; ; polls++) {
      const r = await tolerant(check);
      if (r) return r.value;
      if (o?.maxPolls !== undefined && polls >= o.maxPolls) timedOut(o, `node ${nodeUuid}`);
      if (this.closed) throw new Error('waiter closed');
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.sleepers.delete(t);
          resolve();
        }, this.intervalMs);
        this.sleepers.set(t, resolve);
      });
      if (this.closed) throw new Error('waiter closed');
    }
  }

  /** ends every wait in progress (they reject) */
  async close(): Promise<void> {
    this.closed = true;
    for (const [t, wake] of this.sleepers) {
      clearTimeout(t);
      wake();
    }
    this.sleepers.clear();
  }
}
