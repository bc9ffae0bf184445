/** VolumeConnectorRepo: a node's storage initiators (iqn, wwpn, ...); (type, connector_id) unique. */
import { AlreadyExists, NotFound } from '@anvil/sdk';
import type { VolumeConnectorRecord } from '@anvil/sdk';
import type { TableSpec } from '../codec.ts';
import type { RepoContext } from '../context.ts';
import { crud } from '../crud.ts';
import { VolumeConnectorTypeAndIdAlreadyExists } from '../errors.ts';
import { eq } from '../list.ts';
import type { VolumeConnectorRepo } from '../types.ts';

export const VOLUME_CONNECTOR_SPEC: TableSpec = {
  table: 'volume_connectors',
  label: 'Volume connector',
  columns: ['uuid', 'node_id', 'type', 'connector_id', 'extra', 'created_at', 'updated_at'],
  json: { extra: 'object' },
  dates: ['created_at', 'updated_at'],
  derived: ['node_uuid'],
};

const notFound = (ident: string | number) => new NotFound(`Volume connector ${ident} could not be found.`);

export function makeVolumeConnectorRepo(ctx: RepoContext): VolumeConnectorRepo {
  const base = crud<VolumeConnectorRecord>(ctx, {
    spec: VOLUME_CONNECTOR_SPEC,
    filters: { node_id: eq('volume_connectors.node_id'), type: eq('volume_connectors.type'), connector_id: eq('volume_connectors.connector_id') },
    unique: (cols, v) => {
      if (cols === 'type,connector_id') {
        return new VolumeConnectorTypeAndIdAlreadyExists(`A volume connector with type ${v.type} and connector ID ${v.connector_id} already exists.`);
      }
      if (cols === 'uuid') return new AlreadyExists(`A volume connector with UUID ${v.uuid} already exists.`);
      return undefined;
    },
  });
  return {
    create: (values) => base.insert(values),
    get: (id) => base.get('id', id, () => notFound(id)),
    getByUuid: (uuid) => base.get('uuid', uuid, () => notFound(uuid)),
    list: (opts) => base.list(opts),
    async update(uuid, values) {
      return ctx.tx(async (k) => {
        const cur = await base.get('uuid', uuid, () => notFound(uuid), k);
        await base.updateWhere({ id: cur.id }, values, k, { ...cur, ...values });
        return base.get('id', cur.id, () => notFound(uuid), k);
      });
    },
    async destroy(uuid) {
      if ((await base.deleteWhere({ uuid })) === 0) throw notFound(uuid);
    },
  };
}
