/** InspectionRuleRepo: Ironic's inspection rules (API 1.96), conditions and actions stored as JSON lists. */
import { AlreadyExists, NotFound } from '@anvil/sdk';
import type { TableSpec } from '../codec.ts';
import type { RepoContext } from '../context.ts';
import { crud, uuidRepoMethods } from '../crud.ts';
import { eq } from '../list.ts';
import type { InspectionRuleRecord, InspectionRuleRepo } from '../types.ts';

export const INSPECTION_RULE_SPEC: TableSpec = {
  table: 'inspection_rules',
  label: 'Inspection rule',
  columns: ['uuid', 'description', 'priority', 'sensitive', 'phase', 'conditions', 'actions', 'created_at', 'updated_at'],
  json: { conditions: 'array', actions: 'array' },
  bools: ['sensitive'],
  dates: ['created_at', 'updated_at'],
};

const notFound = (ident: string | number) => new NotFound(`Inspection rule ${ident} could not be found.`);

export function makeInspectionRuleRepo(ctx: RepoContext): InspectionRuleRepo {
  const base = crud<InspectionRuleRecord>(ctx, {
    spec: INSPECTION_RULE_SPEC,
    filters: { phase: eq('inspection_rules.phase') },
    unique: (cols, v) => (cols === 'uuid' ? new AlreadyExists(`An inspection rule with UUID ${v.uuid} already exists.`) : undefined),
    defaults: () => ({ priority: 0, sensitive: false, phase: 'main', conditions: [], actions: [] }),
  });
  return {
    ...uuidRepoMethods(ctx, base, notFound),
    async destroy(uuid) {
      if ((await base.deleteWhere({ uuid })) === 0) throw notFound(uuid);
    },
  };
}
