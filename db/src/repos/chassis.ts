/** ChassisRepo: groups of nodes; cannot be deleted while nodes belong to it. */
import { AlreadyExists, ChassisNotEmpty, NotFound } from '@anvil/sdk';
import type { ChassisRecord } from '@anvil/sdk';
import type { TableSpec } from '../codec.ts';
import type { RepoContext } from '../context.ts';
import { crud, uuidRepoMethods } from '../crud.ts';
import { contains } from '../list.ts';
import type { ChassisRepo } from '../types.ts';

export const CHASSIS_SPEC: TableSpec = {
  table: 'chassis',
  label: 'Chassis',
  columns: ['uuid', 'description', 'extra', 'created_at', 'updated_at'],
  json: { extra: 'object' },
  dates: ['created_at', 'updated_at'],
};

const notFound = (ident: string | number) => new NotFound(`Chassis ${ident} could not be found.`);

export function makeChassisRepo(ctx: RepoContext): ChassisRepo {
  const base = crud<ChassisRecord>(ctx, {
    spec: CHASSIS_SPEC,
    filters: { description_contains: contains('chassis.description') },
    unique: (cols, v) => (cols === 'uuid' ? new AlreadyExists(`A chassis with UUID ${v.uuid} already exists.`) : undefined),
  });
  return {
    ...uuidRepoMethods(ctx, base, notFound),
    async destroy(uuid) {
      await ctx.tx(async (k) => {
        const ch = await k('chassis').where('uuid', uuid).first('id');
        if (!ch) throw notFound(uuid);
        if (await k('nodes').where('chassis_id', ch.id).first('id')) {
          throw new ChassisNotEmpty(`Cannot complete the requested action because chassis ${uuid} contains nodes.`);
        }
        await k('chassis').where('id', ch.id).delete();
      });
    },
  };
}
