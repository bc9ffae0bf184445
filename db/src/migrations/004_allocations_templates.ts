/** Allocations, deploy templates and their steps. */
import type { Knex } from 'knex';
import { create, ids, json, ref, timestamps, unique } from './columns.ts';

export async function up(k: Knex): Promise<void> {
  await create(k, 'allocations', (t) => {
    ids(t, 'allocations');
    t.string('name', 255).nullable();
    ref(t, 'node_id', 'nodes', true);
    t.string('state', 15).notNullable();
    t.text('last_error').nullable();
    t.string('resource_class', 80).nullable();
    json(t, 'traits');
    json(t, 'candidate_nodes');
    json(t, 'extra');
    t.string('owner', 255).nullable();
    t.integer('conductor_affinity').nullable();
    timestamps(t);
    unique(t, 'allocations', ['name']);
    t.index(['node_id'], 'allocations_node_id_idx');
    t.index(['state'], 'allocations_state_idx');
  });
  await create(k, 'deploy_templates', (t) => {
    ids(t, 'deploy_templates');
    t.string('name', 255).notNullable();
    json(t, 'extra');
    timestamps(t);
    unique(t, 'deploy_templates', ['name']);
  });
  await create(k, 'deploy_template_steps', (t) => {
    t.increments('id').primary();
    ref(t, 'deploy_template_id', 'deploy_templates');
    t.string('interface', 255).notNullable();
    t.string('step', 255).notNullable();
    json(t, 'args');
    t.integer('priority').notNullable();
    timestamps(t);
    t.index(['deploy_template_id'], 'deploy_template_steps_template_idx');
  });
}

export async function down(k: Knex): Promise<void> {
  await k.schema.dropTableIfExists('deploy_template_steps');
  await k.schema.dropTableIfExists('deploy_templates');
  await k.schema.dropTableIfExists('allocations');
}
