/**
 * Tracks background work (a task's spawned worker) per node: callers can tell whether this process is still
 * working on a node (stale-reservation cleanup) and wait until idle (graceful stop, tests).
 */
export class Workers {
  private readonly running = new Map<string, Promise<void>>();
  private idleWaiters: (() => void)[] = [];

  /** Slots promised to opening blocks that will spawn a worker (counted as busy until started or given back). */
  private reservedSlots = 0;

  /** Running workers plus reserved slots (Ironic's pool occupancy). */
  get size(): number {
    return this.running.size + this.reservedSlots;
  }

  /** Take a slot now if fewer than max are busy (synchronous check-and-take: no await between). */
  tryReserve(max: number): boolean {
    if (this.size >= max) return false;
    this.reservedSlots++;
    return true;
  }

  /** Give back a slot taken by tryReserve (the opening block failed or spawned nothing). */
  unreserve(): void {
    if (this.reservedSlots > 0) this.reservedSlots--;
  }

  private readonly held = new Map<string, number>();
  private readonly touched = new Map<string, number>();

  /** ms timestamp of the last lock activity on the node in this process (0 = never). */
  lastActivity(nodeUuid: string): number {
    return this.touched.get(nodeUuid) ?? 0;
  }

  private touch(nodeUuid: string): void {
    this.touched.set(nodeUuid, Date.now());
    if (this.touched.size > 50_000) {
      const cutoff = Date.now() - 600_000;
      for (const [k, t] of this.touched) if (t < cutoff) this.touched.delete(k);
    }
  }

  /** True while this process works on the node: a background worker or an open task holding its lock. */
  has(nodeUuid: string): boolean {
    return this.running.has(nodeUuid) || (this.held.get(nodeUuid) ?? 0) > 0;
  }

  /** An exclusive task opened (hold) / ended without spawning (unhold). */
  hold(nodeUuid: string): void {
    this.touch(nodeUuid);
    this.held.set(nodeUuid, (this.held.get(nodeUuid) ?? 0) + 1);
  }

  unhold(nodeUuid: string): void {
    this.touch(nodeUuid);
    const n = (this.held.get(nodeUuid) ?? 0) - 1;
    if (n > 0) this.held.set(nodeUuid, n);
    else this.held.delete(nodeUuid);
  }

  /** Runs fn in the background for the node; fn must handle its own errors (a throw is only logged by onError). */
  start(nodeUuid: string, fn: () => Promise<void>, onError: (err: unknown) => void, reserved = false): void {
    if (reserved) this.unreserve();
    const p = (async () => {
      try {
        await fn();
      } catch (err) {
        onError(err);
      } finally {
        this.touch(nodeUuid);
        this.running.delete(nodeUuid);
        if (this.running.size === 0) {
          const w = this.idleWaiters;
          this.idleWaiters = [];
          for (const r of w) r();
        }
      }
    })();
    this.running.set(nodeUuid, p);
  }

  /** Resolves when nothing runs (or after timeoutMs, returning false). */
  async idle(timeoutMs = 30_000): Promise<boolean> {
    if (this.running.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<boolean>((resolve) => {
      this.idleWaiters.push(() => resolve(true));
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const ok = await done;
    clearTimeout(timer);
    return ok;
  }
}
