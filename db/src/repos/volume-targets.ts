/** VolumeTargetRepo: volumes a node boots from or attaches; (node_id, boot_index) unique. */
import { AlreadyExists, NotFound } from '@anvil/sdk';
import type { VolumeTargetRecord } from '@anvil/sdk';
import type { TableSpec } from '../codec.ts';
import type { RepoContext } from '../context.ts';
import { crud, uuidRepoMethods } from '../crud.ts';
import { VolumeTargetBootIndexAlreadyExists } from '../errors.ts';
import { eq } from '../list.ts';
import type { VolumeTargetRepo } from '../types.ts';

export const VOLUME_TARGET_SPEC: TableSpec = {
  table: 'volume_targets',
  label: 'Volume target',
  columns: ['uuid', 'node_id', 'volume_type', 'volume_id', 'boot_index', 'properties', 'extra', 'created_at', 'updated_at'],
  json: { properties: 'object', extra: 'object' },
  dates: ['created_at', 'updated_at'],
  derived: ['node_uuid'],
};

const notFound = (ident: string | number) => new NotFound(`Volume target ${ident} could not be found.`);

export function makeVolumeTargetRepo(ctx: RepoContext): VolumeTargetRepo {
  const base = crud<VolumeTargetRecord>(ctx, {
    spec: VOLUME_TARGET_SPEC,
    filters: { node_id: eq('volume_targets.node_id'), volume_id: eq('volume_targets.volume_id'), volume_type: eq('volume_targets.volume_type') },
    unique: (cols, v) => {
      if (cols === 'node_id,boot_index') {
        return new VolumeTargetBootIndexAlreadyExists(`A volume target with boot index '${v.boot_index}' for the same node already exists.`);
      }
      if (cols === 'uuid') return new AlreadyExists(`A volume target with UUID ${v.uuid} already exists.`);
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
