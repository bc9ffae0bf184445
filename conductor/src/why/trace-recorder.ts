/**
 * The process's boot-trace sink: events are buffered and written in batches (one INSERT per flush, every 200 ms),
 * and the table is kept bounded (newest `boot_trace_max_events` per MAC and per node, pruned once a minute).
 */
import { type BootTraceEvent, type BootTraceSink, installBootTraceSink } from '@anvil/sdk';
import type { Database } from '@anvil/db';

export class BootTraceRecorder implements BootTraceSink {
  private buf: BootTraceEvent[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private uninstall: (() => void) | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly maxPerKey = 500,
    private readonly warn: (m: string) => void = () => {},
  ) {}

  /** Install as the process's sink (idempotent per recorder). */
  start(): this {
    this.uninstall ??= installBootTraceSink(this);
    this.pruneTimer ??= setInterval(() => void this.db.bootTrace.prune(this.maxPerKey).catch((e) => this.warn(`boot trace prune: ${e}`)), 60_000);
    this.pruneTimer.unref();
    return this;
  }

  record(ev: Omit<BootTraceEvent, 'at'> & { at?: string }): void {
    this.buf.push({ ...ev, at: ev.at ?? new Date().toISOString() });
    if (this.buf.length > 5000) this.buf.splice(0, this.buf.length - 5000);
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => void this.flush(), 200);
      this.flushTimer.unref();
    }
  }

  /** Write what is buffered (also called before reads that must see the latest events). */
  flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const batch = this.buf;
    this.buf = [];
    this.flushing = this.flushing.then(() => (batch.length ? this.db.bootTrace.add(batch).catch((e) => this.warn(`boot trace write: ${e}`)) : undefined));
    return this.flushing;
  }

  async stop(): Promise<void> {
    this.uninstall?.();
    this.uninstall = null;
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.pruneTimer = null;
    await this.flush();
  }
}

const shared = new Map<Database, { rec: BootTraceRecorder; refs: number }>();

/** One recorder per database handle in this process (API and conductor of `anvil server` share it). */
export function acquireRecorder(db: Database, maxPerKey?: number, warn?: (m: string) => void): { recorder: BootTraceRecorder; release(): Promise<void> } {
  let entry = shared.get(db);
  if (!entry) {
    entry = { rec: new BootTraceRecorder(db, maxPerKey, warn).start(), refs: 0 };
    shared.set(db, entry);
  }
  entry.refs++;
  const e = entry;
  let released = false;
  return {
    recorder: e.rec,
    async release() {
      if (released) return;
      released = true;
      if (--e.refs > 0) return;
      shared.delete(db);
      await e.rec.stop();
    },
  };
}

/** Flush the recorder of db, if any (reads that must see the newest events). */
export async function flushTrace(db: Database): Promise<void> {
  await shared.get(db)?.rec.flush();
}
