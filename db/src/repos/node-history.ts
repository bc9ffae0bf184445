/**
 * NodeHistoryRepo: a node's event log (errors and notable transitions). Recording is one INSERT (recordMany: one
 * INSERT for many entries, the conductor's batched writes); trimming every
 * node to its newest N entries is a separate batch (Ironic's node history cleanup periodic task).
 */
import { NotFound } from '@anvil/sdk';
import type { NodeHistoryRecord } from '@anvil/sdk';
import { randomUUID } from 'node:crypto';
import { nowDb, toRow } from '../codec.ts';
import type { TableSpec } from '../codec.ts';
import type { RepoContext } from '../context.ts';
import { crud } from '../crud.ts';
import { eq } from '../list.ts';
import type { HistoryEvent, NodeHistoryRepo } from '../types.ts';

export const NODE_HISTORY_SPEC: TableSpec = {
  table: 'node_history',
  label: 'Node history record',
  columns: [
    'uuid', 'node_id', 'conductor', 'event_type', 'severity', 'event', 'user', 'project', 'state', 'target_provision_state',
    'duration_seconds', 'created_at', 'updated_at',
  ],
  dates: ['created_at', 'updated_at'],
};

export function makeNodeHistoryRepo(ctx: RepoContext): NodeHistoryRepo {
  const base = crud<NodeHistoryRecord>(ctx, {
    spec: NODE_HISTORY_SPEC,
    filters: { node_id: eq('node_history.node_id'), severity: eq('node_history.severity'), event_type: eq('node_history.event_type') },
  });
  return {
    // The written values are the whole row (no database-side defaults): no read-back SELECT.
    record: (nodeId, ev) => base.insertWritten(historyValues(nodeId, ev)),
    async recordMany(entries) {
      if (entries.length === 0) return;
      const created_at = nowDb();
      const rows = entries.map(({ nodeId, ev }) =>
        toRow(NODE_HISTORY_SPEC, {
          uuid: randomUUID(),
          ...historyValues(nodeId, ev),
          created_at,
          updated_at: null,
        }),
      );
      await ctx.k('node_history').insert(rows);
    },
    getByUuid: (uuid) => base.get('uuid', uuid, () => new NotFound(`Node history record ${uuid} could not be found.`)),
    list: (nodeId, opts = {}) => base.list({ ...opts, filters: { ...opts.filters, node_id: nodeId } }),
    async prune(nodeId, max) {
      return ctx.tx(async (k) => {
        const keep = await k('node_history').where('node_id', nodeId).orderBy('id', 'desc').limit(Math.max(0, max)).select('id');
        const q = k('node_history').where('node_id', nodeId);
        if (keep.length) q.whereNotIn('id', keep.map((r: { id: number }) => r.id));
        return q.delete();
      });
    },
    async pruneAll(max, batch) {
      const keep = Math.max(0, max);
      let budget = Math.max(0, batch);
      let deleted = 0;
      const over = await ctx.k('node_history').groupBy('node_id').having(ctx.k.raw('count(*) > ?', [keep])).select('node_id', ctx.k.raw('count(*) as n'));
      for (const r of over as { node_id: number; n: number | string }[]) {
        if (budget <= 0) break;
        const excess = Math.min(Number(r.n) - keep, budget);
        // The oldest entries of the node (ids grow with time), at most the remaining batch.
        const ids = await ctx.k('node_history').where('node_id', r.node_id).orderBy('id', 'asc').limit(excess).pluck('id');
        if (ids.length === 0) continue;
        const n = await ctx.k('node_history').whereIn('id', ids).delete();
        deleted += n;
        budget -= ids.length;
      }
      return deleted;
    },
  };
}

/** The columns of one history entry, defaults applied (one INSERT, or a row of a batched one). */
function historyValues(nodeId: number, ev: HistoryEvent) {
  return {
    node_id: nodeId,
    event: ev.event,
    severity: ev.severity ?? 'INFO',
    event_type: ev.event_type ?? 'unknown',
    conductor: ev.conductor ?? null,
    user: ev.user ?? null,
    project: ev.project ?? null,
    state: ev.state ?? null,
    target_provision_state: ev.target_provision_state ?? null,
    duration_seconds: ev.duration_seconds ?? null,
  };
}
