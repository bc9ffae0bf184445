/**
 * Correlated BMC outages (`anvil_bmc_incidents`): `save` writes an incident's whole row (insert or update by uuid),
 * `list` the newest first, optionally only open ones. The diagnosis is not stored: it is derived from the row.
 */
import type { BmcIncident } from '@anvil/sdk';
import type { RepoContext } from '../context.ts';
import type { BmcIncidentRepo } from '../types.ts';

type Row = Omit<BmcIncident, 'diagnosis'>;

const parse = (v: unknown): unknown => {
  try {
    return JSON.parse(String(v));
  } catch {
    return null;
  }
};
const list = (v: unknown): string[] => {
  const a = parse(v);
  return Array.isArray(a) ? a.map(String) : [];
};
const counts = (v: unknown): Record<string, number> => {
  const o = parse(v);
  return o && typeof o === 'object' && !Array.isArray(o) ? Object.fromEntries(Object.entries(o).map(([k, n]) => [k, Number(n)])) : {};
};

function rowOf(r: Record<string, unknown>): Row {
  return {
    uuid: String(r.uuid),
    state: r.state === 'resolved' ? 'resolved' : 'open',
    conductor: String(r.conductor),
    nodes: list(r.nodes),
    affected: list(r.affected),
    failed_reads: counts(r.failed_reads),
    started_at: String(r.started_at),
    updated_at: String(r.updated_at),
    resolved_at: (r.resolved_at as string | null) ?? null,
  };
}

export function makeBmcIncidentRepo(ctx: RepoContext): BmcIncidentRepo {
  return {
    async save(i) {
      const values = { ...i, nodes: JSON.stringify(i.nodes), affected: JSON.stringify(i.affected), failed_reads: JSON.stringify(i.failed_reads) };
      const n = await ctx.k('anvil_bmc_incidents').where('uuid', i.uuid).update(values);
      if (!n) await ctx.k('anvil_bmc_incidents').insert(values);
    },
    async list(q = {}) {
      let query = ctx.k('anvil_bmc_incidents').orderBy('id', 'desc').limit(q.limit ?? 100);
      if (q.state) query = query.where('state', q.state);
      return (await query).map(rowOf);
    },
  };
}
