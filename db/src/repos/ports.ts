/** PortRepo: a node's NICs; MAC addresses unique (stored lowercase). */
import { AlreadyExists, MACAlreadyExists, NotFound } from '@anvil/sdk';
import type { PortRecord } from '@anvil/sdk';
import type { TableSpec } from '../codec.ts';
import type { RepoContext } from '../context.ts';
import { crud, uuidRepoMethods } from '../crud.ts';
import { boolEq, eq } from '../list.ts';
import type { PortRepo } from '../types.ts';
import { lowerAddress } from './lower-address.ts';

export const PORT_SPEC: TableSpec = {
  table: 'ports',
  label: 'Port',
  columns: ['uuid', 'address', 'node_id', 'portgroup_id', 'extra', 'internal_info', 'local_link_connection', 'pxe_enabled', 'physical_network', 'is_smartnic', 'name', 'description', 'vendor', 'category', 'available_for_dynamic_portgroup', 'created_at', 'updated_at'],
  json: { extra: 'object', internal_info: 'object', local_link_connection: 'object' },
  bools: ['pxe_enabled', 'is_smartnic', 'available_for_dynamic_portgroup'],
  dates: ['created_at', 'updated_at'],
  derived: ['node_uuid', 'portgroup_uuid'],
};

const notFound = (ident: string | number) => new NotFound(`Port ${ident} could not be found.`);

export function makePortRepo(ctx: RepoContext): PortRepo {
  const base = crud<PortRecord>(ctx, {
    spec: PORT_SPEC,
    defaults: () => ({ pxe_enabled: true, is_smartnic: false, available_for_dynamic_portgroup: true }),
    filters: {
      node_id: eq('ports.node_id'),
      node_uuid: (qb, v) => qb.whereIn('ports.node_id', ctx.k('nodes').where('uuid', String(v)).select('id')),
      portgroup_id: eq('ports.portgroup_id'),
      address: (qb, v) => eq('ports.address')(qb, Array.isArray(v) ? v.map((a) => String(a).toLowerCase()) : String(v).toLowerCase()),
      pxe_enabled: boolEq('ports.pxe_enabled'),
      physical_network: eq('ports.physical_network'),
      shard: (qb, v) => qb.whereIn('ports.node_id', ctx.k('nodes').whereIn('shard', Array.isArray(v) ? v : [v]).select('id')),
      conductor_group: (qb, v) =>
        qb.whereIn('ports.node_id', ctx.k('nodes').whereIn('conductor_group', Array.isArray(v) ? v : [v]).select('id')),
      description_contains: (qb, v) => qb.where('ports.description', 'like', `%${String(v)}%`),
    },
    unique: (cols, v) => {
      if (cols === 'address') return new MACAlreadyExists(`A port with MAC address ${v.address} already exists.`);
      if (cols === 'uuid') return new AlreadyExists(`A port with UUID ${v.uuid} already exists.`);
      if (cols === 'name') return new AlreadyExists(`A port with name ${v.name} already exists.`);
      return undefined;
    },
  });
  return {
    ...uuidRepoMethods(ctx, base, notFound, lowerAddress),
    getByAddress: (address) => base.get('address', address.toLowerCase(), () => notFound(address)),
    getByName: (name) => base.get('name', name, () => notFound(name)),
    async destroy(uuid) {
      const n = await base.deleteWhere({ uuid });
      if (n === 0) throw notFound(uuid);
    },
  };
}
