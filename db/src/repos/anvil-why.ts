/**
 * Anvil's failure explanations: `diagnoses` (one row per recorded diagnosis, newest last) and `bootTrace` (the
 * per-MAC boot timeline, bounded: `prune(maxPerKey)` keeps the newest rows of each MAC / MAC-less node), and the
 * time a node's reservation was taken. Timestamps are ISO strings with milliseconds (the trace needs ordering
 * finer than a second); ties are ordered by id.
 */
import { randomUUID } from 'node:crypto';
import type { BootTraceEvent, NodeDiagnosisRecord } from '@anvil/sdk';
import type { RepoContext } from '../context.ts';
import type { BootTraceRepo, DiagnosisRepo } from '../types.ts';

const bool = (v: unknown) => v === true || v === 1 || v === '1';

function diagnosisOf(r: Record<string, unknown>): NodeDiagnosisRecord {
  return {
    uuid: String(r.uuid),
    node_uuid: String(r.node_uuid),
    code: r.code as NodeDiagnosisRecord['code'],
    step: (r.step as string | null) ?? null,
    interface: (r.interface as string | null) ?? null,
    cause: String(r.cause),
    hint: String(r.hint),
    retryable: bool(r.retryable),
    last_error: String(r.last_error),
    provision_state: (r.provision_state as string | null) ?? null,
    conductor: (r.conductor as string | null) ?? null,
    created_at: String(r.created_at),
  };
}

function traceOf(r: Record<string, unknown>): BootTraceEvent {
  return {
    mac: (r.mac as string | null) ?? null,
    node_uuid: (r.node_uuid as string | null) ?? null,
    kind: r.kind as BootTraceEvent['kind'],
    result: String(r.result),
    detail: String(r.detail),
    bytes: r.bytes === null || r.bytes === undefined ? null : Number(r.bytes),
    duration_ms: r.duration_ms === null || r.duration_ms === undefined ? null : Number(r.duration_ms),
    step: (r.step as string | null) ?? null,
    at: String(r.at),
  };
}

export function makeDiagnosisRepo(ctx: RepoContext): DiagnosisRepo {
  return {
    async record(d) {
      const row = { ...d, uuid: randomUUID(), created_at: d.created_at ?? new Date().toISOString() };
      await ctx.k('anvil_diagnoses').insert(row);
      return diagnosisOf(row);
    },
    async list(nodeUuid, limit = 50) {
      const rows = await ctx.k('anvil_diagnoses').where('node_uuid', nodeUuid).orderBy('id', 'desc').limit(limit);
      return rows.reverse().map(diagnosisOf);
    },
    async latest(nodeUuid) {
      const row = await ctx.k('anvil_diagnoses').where('node_uuid', nodeUuid).orderBy('id', 'desc').first();
      return row ? diagnosisOf(row) : null;
    },
    prune: (nodeUuid, max) =>
      ctx.tx(async (k) => {
        const keep = await k('anvil_diagnoses').where('node_uuid', nodeUuid).orderBy('id', 'desc').limit(Math.max(1, max)).pluck('id');
        return k('anvil_diagnoses').where('node_uuid', nodeUuid).whereNotIn('id', keep).delete();
      }),
  };
}

export function makeBootTraceRepo(ctx: RepoContext): BootTraceRepo {
  return {
    async add(events) {
      if (!events.length) return;
      await ctx.k('anvil_boot_trace').insert(
        events.map((e) => ({
          mac: e.mac?.toLowerCase() ?? null,
          node_uuid: e.node_uuid ?? null,
          kind: e.kind,
          result: e.result.slice(0, 32),
          detail: e.detail,
          bytes: e.bytes ?? null,
          duration_ms: e.duration_ms ?? null,
          step: e.step ?? null,
          at: e.at,
        })),
      );
    },
    async list(q) {
      const macs = (q.macs ?? []).map((m) => m.toLowerCase());
      if (!macs.length && !q.nodeUuid) return [];
      const rows = await ctx
        .k('anvil_boot_trace')
        .where((w) => {
          if (macs.length) w.whereIn('mac', macs);
          if (q.nodeUuid) w.orWhere('node_uuid', q.nodeUuid);
        })
        .modify((b) => {
          if (q.since) b.andWhere('at', '>=', q.since);
        })
        .orderBy('id', 'desc')
        .limit(q.limit ?? 200);
      return rows.reverse().map(traceOf);
    },
    async prune(maxPerKey) {
      const keep = Math.max(1, maxPerKey);
      let deleted = 0;
      for (const col of ['mac', 'node_uuid'] as const) {
        const over = await ctx.k('anvil_boot_trace').whereNotNull(col).groupBy(col).having(ctx.k.raw('count(*) > ?', [keep])).select(col);
        for (const r of over as Record<string, string>[]) {
          const cut = await ctx.k('anvil_boot_trace').where(col, r[col]).orderBy('id', 'desc').offset(keep - 1).first('id');
          if (cut) deleted += await ctx.k('anvil_boot_trace').where(col, r[col]).andWhere('id', '<', cut.id).delete();
        }
      }
      return deleted;
    },
  };
}
