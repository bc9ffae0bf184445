/** PortRepo: a node's NICs; MAC addresses unique (stored lowercase). */
import { AlreadyExists, MACAlreadyExists, NotFound } from '@anvil/sdk';
import type { PortRecord } from '@anvil/sdk';
import type { TableSpec } from '../codec.ts';
import type { RepoContext } from '../context.ts';
import { crud } from '../crud.ts';
import { boolEq, eq } from '../list.ts';
import type { PortRepo } from '../types.ts';

export const PORT_SPEC: TableSpec = {
  table: 'ports',
  label: 'Port',
  columns: ['uuid', 'address', 'node_id', 'portgroup_id', 'extra', 'internal_info', 'local_link_connection', 'pxe_enabled', 'physical_network', 'is_smartnic', 'created_at', 'updated_at'],
  json: { extra: 'object', internal_info: 'object', local_link_connection: 'object' },
  bools: ['pxe_enabled', 'is_smartnic'],
  dates: ['created_at', 'updated_at'],
  derived: ['node_uuid', 'portgroup_uuid'],
};

const notFound = (ident: string | number) => new NotFound(`Port ${ident} could not be found.`);
const lower = <T extends { address?: unknown }>(v: T): T => (typeof v.address === 'string' ? { ...v, address: v.address.toLowerCase() } : v);

export function makePortRepo(ctx: RepoContext): PortRepo {
  const base = crud<PortRecord>(ctx, {
    spec: PORT_SPEC,
    defaults: () => ({ pxe_enabled: true, is_smartnic: false }),
    filters: {
      node_id: eq('ports.node_id'),
      portgroup_id: eq('ports.portgroup_id'),
      address: (qb, v) => eq('ports.address')(qb, Array.isArray(v) ? v.map((a) => String(a).toLowerCase()) : String(v).toLowerCase()),
      pxe_enabled: boolEq('ports.pxe_enabled'),
      physical_network: eq('ports.physical_network'),
      shard: (qb, v) => qb.whereIn('ports.node_id', ctx.k('nodes').whereIn('shard', Array.isArray(v) ? v : [v]).select('id')),
    },
    unique: (cols, v) => {
      if (cols === 'address') return new MACAlreadyExists(`A port with MAC address ${v.address} already exists.`);
      if (cols === 'uuid') return new AlreadyExists(`A port with UUID ${v.uuid} already exists.`);
      return undefined;
    },
  });
  return {
    create: (values) => base.insert(lower(values)),
    get: (id) => base.get('id', id, () => notFound(id)),
    getByUuid: (uuid) => base.get('uuid', uuid, () => notFound(uuid)),
    getByAddress: (address) => base.get('address', address.toLowerCase(), () => notFound(address)),
    list: (opts) => base.list(opts),
    async update(uuid, values) {
      return ctx.tx(async (k) => {
        const cur = await base.get('uuid', uuid, () => notFound(uuid), k);
        await base.updateWhere({ id: cur.id }, lower(values), k, { uuid });
        return base.get('id', cur.id, () => notFound(uuid), k);
      });
    },
    async destroy(uuid) {
      const n = await base.deleteWhere({ uuid });
      if (n === 0) throw notFound(uuid);
    },
  };
}
