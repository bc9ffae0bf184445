/** FirmwareRepo: a node's cached firmware components (Ironic 39's firmware_information), keyed by (node_id, component). */
import type { Knex } from 'knex';
import type { FirmwareComponentRecord } from '@anvil/sdk';
import { fromRow, nowDb, type TableSpec } from '../codec.ts';
import type { RepoContext } from '../context.ts';
import type { FirmwareRepo } from '../types.ts';

export const FIRMWARE_SPEC: TableSpec = {
  table: 'firmware_information',
  label: 'Firmware component',
  columns: ['node_id', 'component', 'initial_version', 'current_version', 'last_version_flashed', 'vendor', 'model', 'serial_number', 'created_at', 'updated_at'],
  dates: ['created_at', 'updated_at'],
};

function flashed(prev: { current_version: string | null; last_version_flashed: string | null } | undefined, current: string | null): string | null {
  if (!prev) return null;
  return prev.current_version !== current ? current : prev.last_version_flashed;
}

export function makeFirmwareRepo(ctx: RepoContext): FirmwareRepo {
  const decode = (row: Record<string, unknown>): FirmwareComponentRecord => {
    const { id: _id, ...rest } = row;
    return fromRow<FirmwareComponentRecord>(FIRMWARE_SPEC, rest);
  };
  const list = async (nodeId: number, k: Knex = ctx.k) =>
    (await k('firmware_information').where('node_id', nodeId).orderBy('id').select(['id', ...FIRMWARE_SPEC.columns])).map(decode);

  return {
    list: (nodeId) => list(nodeId),
    replace: (nodeId, components) =>
      ctx.tx(async (k) => {
        const rows: { component: string; current_version: string | null; last_version_flashed: string | null }[] = await k('firmware_information')
          .where('node_id', nodeId)
          .select('component', 'current_version', 'last_version_flashed');
        const known = new Map(rows.map((r) => [r.component, r]));
        const keep = components.map((c) => c.component);
        const del = k('firmware_information').where('node_id', nodeId);
        if (keep.length) del.whereNotIn('component', keep);
        await del.delete();
        const now = nowDb();
        for (const c of components) {
          const values = {
            current_version: c.current_version ?? null,
            // not given: Ironic's sync — a changed current_version is the version last flashed, else keep it
            last_version_flashed: c.last_version_flashed !== undefined ? c.last_version_flashed : flashed(known.get(c.component), (c.current_version ?? null) as string | null),
            vendor: c.vendor ?? null,
            model: c.model ?? null,
            serial_number: c.serial_number ?? null,
          };
          if (known.has(c.component)) await k('firmware_information').where({ node_id: nodeId, component: c.component }).update({ ...values, updated_at: now });
          else await k('firmware_information').insert({ node_id: nodeId, component: c.component, initial_version: c.initial_version, ...values, created_at: now, updated_at: null });
        }
        return list(nodeId, k);
      }),
  };
}
