/** Inspection rules (API 1.96): Ironic's inspection_rules table (conditions and actions as JSON). */
import type { Knex } from 'knex';
import { create, ids, json, timestamps } from './columns.ts';

export async function up(k: Knex): Promise<void> {
  await create(k, 'inspection_rules', (t) => {
    ids(t, 'inspection_rules');
    t.string('description', 255).nullable();
    t.integer('priority').notNullable().defaultTo(0);
    t.boolean('sensitive').notNullable().defaultTo(false);
    t.string('phase', 16).notNullable().defaultTo('main');
    json(t, 'conditions');
    json(t, 'actions');
    timestamps(t);
    t.index(['phase'], 'inspection_rules_phase_idx');
  });
}

export async function down(k: Knex): Promise<void> {
  await k.schema.dropTableIfExists('inspection_rules');
}
