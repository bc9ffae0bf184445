/**
 * The Inspector-compatible API's repositories (migration 013_inspector): introspection rules in ironic-inspector's
 * format (conditions with op/field, actions with action; listed oldest first as Inspector does) and the per-node
 * introspection rows (keyed by the node's uuid; `start` creates or restarts one).
 */
import { AlreadyExists, NotFound } from '@anvil/sdk';
import type { TableSpec } from '../codec.ts';
import type { RepoContext } from '../context.ts';
import { crud, uuidRepoMethods } from '../crud.ts';
import type { InspectorRuleRepo, IntrospectionRecord, IntrospectionRepo, InspectorRuleRecord } from '../types-hardware.ts';

export const INSPECTOR_RULE_SPEC: TableSpec = {
  table: 'inspector_rules',
  label: 'Introspection rule',
  columns: ['uuid', 'description', 'scope', 'conditions', 'actions', 'created_at', 'updated_at'],
  json: { conditions: 'array', actions: 'array' },
  dates: ['created_at', 'updated_at'],
};

export const INTROSPECTION_SPEC: TableSpec = {
  table: 'introspections',
  label: 'Introspection',
  columns: ['uuid', 'manage_boot', 'started_at', 'error', 'unprocessed', 'created_at', 'updated_at'],
  json: { unprocessed: 'object' },
  bools: ['manage_boot'],
  dates: ['started_at', 'created_at', 'updated_at'],
};

export function makeInspectorRuleRepo(ctx: RepoContext): InspectorRuleRepo {
  const notFound = (ident: string | number) => new NotFound(`Rule ${ident} was not found`);
  const base = crud<InspectorRuleRecord>(ctx, {
    spec: INSPECTOR_RULE_SPEC,
    filters: {},
    unique: (cols, v) => (cols === 'uuid' ? new AlreadyExists(`Rule with UUID ${v.uuid} already exists`) : undefined),
    defaults: () => ({ conditions: [], actions: [] }),
  });
  const m = uuidRepoMethods(ctx, base, notFound);
  return {
    create: m.create,
    getByUuid: m.getByUuid,
    list: () => base.list({ sortKey: 'created_at', sortDir: 'asc' }),
    async destroy(uuid) {
      if ((await base.deleteWhere({ uuid })) === 0) throw notFound(uuid);
    },
    async destroyAll() {
      await ctx.k('inspector_rules').delete();
    },
  };
}

export function makeIntrospectionRepo(ctx: RepoContext): IntrospectionRepo {
  const notFound = (ident: string | number) => new NotFound(`Could not find node ${ident} in cache`);
  const base = crud<IntrospectionRecord>(ctx, {
    spec: INTROSPECTION_SPEC,
    filters: {},
    defaults: () => ({ manage_boot: true, unprocessed: {} }),
  });
  const m = uuidRepoMethods(ctx, base, notFound);
  return {
    getByUuid: m.getByUuid,
    find: (uuid) => base.find('uuid', uuid),
    list: (opts) => base.list({ sortKey: 'started_at', sortDir: 'desc', ...opts }),
    async start(uuid, manageBoot) {
      const values = { manage_boot: manageBoot, started_at: new Date().toISOString(), error: null, unprocessed: {} };
      return ctx.tx(async (k) => {
        const cur = await base.find('uuid', uuid, k);
        if (!cur) return base.insert({ uuid, ...values }, k);
        await base.updateWhere({ id: cur.id }, values, k, { ...cur, ...values });
        return base.get('id', cur.id, () => notFound(uuid), k);
      });
    },
    async update(uuid, values) {
      const cur = await base.find('uuid', uuid);
      if (cur) await base.updateWhere({ id: cur.id }, values, undefined, { ...cur, ...values });
    },
  };
}
