/** VolumeConnectorRepo: a node's storage initiators (iqn, wwpn, ...); (type, connector_id) unique. */
import { AlreadyExists, NotFound } from '@anvil/sdk';
import type { VolumeConnectorRecord } from '@anvil/sdk';
import type { TableSpec } from '../codec.ts';
import type { RepoContext } from '../context.ts';
import { crud, uuidRepoMethods } from '../crud.ts';
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
    ...uuidRepoMethods(ctx, base, notFound),
    async destroy(uuid) {
      if ((await base.deleteWhere({ uuid })) === 0) throw notFound(uuid);
    },
  };
}
