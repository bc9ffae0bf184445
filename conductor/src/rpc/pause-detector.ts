/**
 * Knows from when this process may run calls: one sent while it stood still or while its heartbeats had stopped,
 * long enough for the others to think it dead, may have been re-routed by its caller (rpcapi.ts re-routes calls
 * never taken), so the Kafka server refuses it unrun.
 * - a ticker stamps the time every `tickMs`; a gap longer than `pauseMs` (SIGSTOP, a paused VM) moves `acceptFrom()`
 *   to the end of the pause (seen by the ticker or by a caller asking first, whichever runs first after it);
 * - once heartbeats are reported (`alive`), the first one and one ending a silence longer than `pauseMs` (a database
 *   outage) move it too, and while the last one is older than `pauseMs` every call is refused (`acceptFrom()` is
 *   Infinity);
 * - it starts as the creation time (a restarted process refuses calls sent to its previous one).
 */
export class PauseDetector {
  private last: number;
  private from: number;
  private timer: NodeJS.Timeout | null = null;
  private lastAlive: number | null = null;

  constructor(
    /** A gap longer than this is a pause (ms). */
    private readonly pauseMs: number,
    private readonly now: () => number = Date.now,
    private readonly tickMs = 250,
  ) {
    this.last = now();
    this.from = this.last;
  }

  start(): this {
    if (!this.timer) {
      this.timer = setInterval(() => this.check(), this.tickMs);
      this.timer.unref();
    }
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** This process's heartbeat was written at `at` (ms since epoch, when the write began). */
  alive(at: number): void {
    if (this.lastAlive === null || at - this.lastAlive > this.pauseMs) this.from = Math.max(this.from, at);
    this.lastAlive = Math.max(this.lastAlive ?? at, at);
  }

  /** Calls sent before this instant (ms since epoch) are not to be run (Infinity: none is, the heartbeat is stale). */
  acceptFrom(): number {
    this.check();
    if (this.lastAlive !== null && this.now() - this.lastAlive > this.pauseMs) return Number.POSITIVE_INFINITY;
    return this.from;
  }

  private check(): void {
    const t = this.now();
    if (t - this.last > this.pauseMs) this.from = t;
    this.last = t;
  }
}
