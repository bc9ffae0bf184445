/** BiosRepo: a node's cached BIOS settings with their registry attributes, keyed by (node_id, name). */
import type { Knex } from 'knex';
import { NotFound } from '@anvil/sdk';
import type { BiosSettingRecord } from '@anvil/sdk';
import { fromRow, nowDb, toRow, type TableSpec } from '../codec.ts';
import type { RepoContext } from '../context.ts';
import type { BiosRepo, BiosSettingInput } from '../types.ts';

export const BIOS_SPEC: TableSpec = {
  table: 'bios_settings',
  label: 'BIOS setting',
  columns: ['node_id', 'name', 'value', 'attribute_type', 'allowable_values', 'lower_bound', 'upper_bound', 'min_length', 'max_length', 'read_only', 'reset_required', 'unique', 'created_at', 'updated_at'],
  json: { allowable_values: 'nullable' },
  bools: ['read_only', 'reset_required', 'unique'],
  dates: ['created_at', 'updated_at'],
};

const COLUMNS = BIOS_SPEC.columns;

export function makeBiosRepo(ctx: RepoContext): BiosRepo {
  const decode = (row: Record<string, unknown>): BiosSettingRecord => {
    const { id: _id, ...rest } = row;
    return fromRow<BiosSettingRecord>(BIOS_SPEC, rest);
  };
  const list = async (nodeId: number, k: Knex = ctx.k) => (await k('bios_settings').where('node_id', nodeId).orderBy('name').select(COLUMNS)).map(decode);

  async function upsert(k: Knex, nodeId: number, settings: BiosSettingInput[]): Promise<void> {
    const existing = new Set<string>((await k('bios_settings').where('node_id', nodeId).select('name')).map((r: { name: string }) => r.name));
    const now = nowDb();
    for (const s of settings) {
      const row = toRow(BIOS_SPEC, { ...s, node_id: nodeId });
      if (existing.has(s.name)) {
        await k('bios_settings').where({ node_id: nodeId, name: s.name }).update({ ...row, updated_at: now });
      } else {
        await k('bios_settings').insert({ ...row, created_at: now, updated_at: null });
        existing.add(s.name);
      }
    }
  }

  return {
    list: (nodeId) => list(nodeId),
    async get(nodeId, name) {
      const row = await ctx.k('bios_settings').where({ node_id: nodeId, name }).first(COLUMNS);
      if (!row) {
        const node = await ctx.k('nodes').where('id', nodeId).first('uuid');
        throw new NotFound(`Node ${node?.uuid ?? nodeId} doesn't have a BIOS setting '${name}'`);
      }
      return decode(row);
    },
    upsert: (nodeId, settings) =>
      ctx.tx(async (k) => {
        await upsert(k, nodeId, settings);
        return list(nodeId, k);
      }),
    replace: (nodeId, settings) =>
      ctx.tx(async (k) => {
        const keep = settings.map((s) => s.name);
        const del = k('bios_settings').where('node_id', nodeId);
        if (keep.length) del.whereNotIn('name', keep);
        await del.delete();
        await upsert(k, nodeId, settings);
        return list(nodeId, k);
      }),
    async remove(nodeId, names) {
      if (names.length) await ctx.k('bios_settings').where('node_id', nodeId).whereIn('name', names).delete();
    },
    async removeAll(nodeId) {
      await ctx.k('bios_settings').where('node_id', nodeId).delete();
    },
  };
}
