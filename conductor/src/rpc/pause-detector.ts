/**
 * Notices that this process stood still (SIGSTOP, a VM paused, a swap storm) long enough for the others to think
 * it dead: a ticker stamps the time every `tickMs`; a gap longer than `pauseMs` between stamps (seen by the ticker
 * or by a caller asking first, whichever runs first after the pause) moves `acceptFrom()` to the end of the pause.
 * The Kafka server refuses calls sent before `acceptFrom()`: while this conductor was silent the API may have sent
 * them elsewhere (rpcapi.ts re-routes calls never taken). Starts as the creation time (a restarted process refuses
 * calls sent to its previous one).
 */
export class PauseDetector {
  private last: number;
  private from: number;
  private timer: NodeJS.Timeout | null = null;

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

  /** Calls sent before this instant (ms since epoch) are not to be run. */
  acceptFrom(): number {
    this.check();
    return this.from;
  }

  private check(): void {
    const t = this.now();
    if (t - this.last > this.pauseMs) this.from = t;
    this.last = t;
  }
}
