/**
 * The API side's view of conductor liveness while calls wait for a reply (issue #19): a conductor whose heartbeat
 * stopped (older than heartbeat_timeout, or marked offline) will not answer, so the calls waiting on it are given up
 * at once instead of waiting out rpc_response_timeout (60 s); ConductorRpcApi then re-routes them by the rebuilt
 * hash ring or answers 503. One poll of the conductors table serves every waiting call, and only while calls wait.
 */
import { TemporaryFailure } from '@anvil/sdk';
import type { Database } from '@anvil/db';

/** Errors this module made for an abandoned call (as opposed to an error the conductor answered). */
const abandoned = new WeakSet<Error>();
export const isAbandoned = (err: unknown): boolean => err instanceof Error && abandoned.has(err);

interface Watch {
  host: string;
  method: string;
  since: number;
  abandon: (err: Error) => void;
}

export class ConductorLiveness {
  private readonly watches = new Set<Watch>();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;

  constructor(
    private readonly db: Database,
    /** heartbeat_timeout (s): a heartbeat older than this is a dead conductor. */
    private readonly timeoutSec: number,
    /** How often to look while calls wait (ms). */
    private readonly everyMs: number,
  ) {}

  /**
   * Race `call` against the conductor's heartbeat: rejects with TemporaryFailure (503) as soon as `host` is seen
   * dead while the call waits.
   */
  guard<T>(host: string, method: string, call: Promise<T>): Promise<T> {
    let watch: Watch | null = null;
    const dead = new Promise<never>((_, reject) => {
      watch = { host, method, since: Date.now(), abandon: reject };
      this.watches.add(watch);
      this.arm();
    });
    return Promise.race([call, dead]).finally(() => {
      if (watch) this.watches.delete(watch);
      if (this.watches.size === 0) this.disarm();
    });
  }

  private arm(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.everyMs);
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async poll(): Promise<void> {
    if (this.polling || this.watches.size === 0) return;
    this.polling = true;
    try {
      const alive = new Set((await this.db.conductors.listAlive(this.timeoutSec)).map((c) => c.hostname));
      for (const w of [...this.watches]) {
        if (alive.has(w.host)) continue;
        this.watches.delete(w);
        const err = new TemporaryFailure(
          `Conductor ${w.host} stopped heartbeating (no heartbeat within ${this.timeoutSec} s) while the RPC call ${w.method} waited ${Date.now() - w.since} ms for its reply; the call was abandoned.`,
        );
        abandoned.add(err);
        w.abandon(err);
      }
    } catch {
      // the database is what failed: keep waiting for the reply (the RPC timeout still bounds the call)
    } finally {
      this.polling = false;
    }
  }
}
