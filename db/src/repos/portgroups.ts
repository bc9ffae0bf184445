/** PortgroupRepo: bonds of ports; name and MAC unique; cannot be deleted while ports belong to it. */
import { AlreadyExists, NotFound, PortgroupNotEmpty } from '@anvil/sdk';
import type { PortgroupRecord } from '@anvil/sdk';
import { isUuidLike, type TableSpec } from '../codec.ts';
import type { RepoContext } from '../context.ts';
import { crud, uuidRepoMethods } from '../crud.ts';
import { PortgroupDuplicateName, PortgroupMACAlreadyExists } from '../errors.ts';
import { eq } from '../list.ts';
import type { PortgroupRepo } from '../types.ts';
import { lowerAddress } from './lower-address.ts';

export const PORTGROUP_SPEC: TableSpec = {
  table: 'portgroups',
  label: 'Portgroup',
  columns: ['uuid', 'name', 'address', 'node_id', 'extra', 'internal_info', 'standalone_ports_supported', 'mode', 'properties', 'physical_network', 'category', 'dynamic_portgroup', 'created_at', 'updated_at'],
  json: { extra: 'object', internal_info: 'object', properties: 'object' },
  bools: ['standalone_ports_supported', 'dynamic_portgroup'],
  dates: ['created_at', 'updated_at'],
  derived: ['node_uuid'],
};

const notFound = (ident: string | number) => new NotFound(`Portgroup ${ident} could not be found.`);

export function makePortgroupRepo(ctx: RepoContext): PortgroupRepo {
  const base = crud<PortgroupRecord>(ctx, {
    spec: PORTGROUP_SPEC,
    defaults: () => ({ standalone_ports_supported: true, mode: 'active-backup', dynamic_portgroup: false }),
    filters: {
      node_id: eq('portgroups.node_id'),
      node_uuid: (qb, v) => qb.whereIn('portgroups.node_id', ctx.k('nodes').where('uuid', String(v)).select('id')),
      address: eq('portgroups.address'),
      name: eq('portgroups.name'),
      shard: (qb, v) => qb.whereIn('portgroups.node_id', ctx.k('nodes').whereIn('shard', Array.isArray(v) ? v : [v]).select('id')),
      conductor_group: (qb, v) =>
        qb.whereIn('portgroups.node_id', ctx.k('nodes').whereIn('conductor_group', Array.isArray(v) ? v : [v]).select('id')),
    },
    unique: (cols, v) => {
      if (cols === 'name') return new PortgroupDuplicateName(`A portgroup with name ${v.name} already exists.`);
      if (cols === 'address') return new PortgroupMACAlreadyExists(`A portgroup with MAC address ${v.address} already exists.`);
      if (cols === 'uuid') return new AlreadyExists(`A portgroup with UUID ${v.uuid} already exists.`);
      return undefined;
    },
  });
  return {
    ...uuidRepoMethods(ctx, base, notFound, lowerAddress),
    getByName: (name) => base.get('name', name, () => notFound(name)),
    getByAddress: (address) => base.get('address', address.toLowerCase(), () => notFound(address)),
    getByIdent: (ident) => (isUuidLike(ident) ? base.get('uuid', ident, () => notFound(ident)) : base.get('name', ident, () => notFound(ident))),
    async destroy(uuid) {
      await ctx.tx(async (k) => {
        const pg = await k('portgroups').where('uuid', uuid).first('id');
        if (!pg) throw notFound(uuid);
        const ports = await k('ports').where('portgroup_id', pg.id).first('id');
        if (ports) throw new PortgroupNotEmpty(`Cannot complete the requested action because portgroup ${uuid} contains ports.`);
        await k('portgroups').where('id', pg.id).delete();
      });
    },
  };
}
