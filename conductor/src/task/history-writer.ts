/**
 * Node history writes of a process, coalesced: while one INSERT is in flight the entries recorded meanwhile (by any
 * task on any node) wait and go together in the next one. One writer per database handle. A batch refused as a whole
 * (one entry's node was deleted meanwhile) is written again entry by entry, so one bad entry never drops the others.
 */
import type { Database, HistoryEvent } from '@anvil/db';
import { Coalescer } from '../coalescer.ts';

export interface HistoryEntry {
  nodeId: number;
  ev: HistoryEvent;
}

const writers = new WeakMap<Database, Coalescer<HistoryEntry>>();

export function historyWriter(db: Database): Coalescer<HistoryEntry> {
  let w = writers.get(db);
  if (!w) {
    w = new Coalescer<HistoryEntry>(async (entries) => {
      try {
        await db.history.recordMany(entries);
      } catch (err) {
        if (entries.length === 1) throw err;
        const results = await Promise.allSettled(entries.map((e) => db.history.record(e.nodeId, e.ev)));
        const failed = results.filter((r) => r.status === 'rejected').length;
        if (failed === entries.length) throw err;
      }
    });
    writers.set(db, w);
  }
  return w;
}
