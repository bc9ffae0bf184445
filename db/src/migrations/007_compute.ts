/**
 * The compute side (nova-bridge): instances and their faults, flavors, images, keypairs, compute services, and
 * Placement's resource providers, consumers and allocations. Records are JSON in `data`; the columns that are
 * queried or guarded (status, task_state, host, node, generations, usage) are real columns.
 */
import type { Knex } from 'knex';
import { create, json, unique } from './columns.ts';

const stamp = (t: Knex.CreateTableBuilder) => t.bigInteger('updated_ms').notNullable().defaultTo(0);

export async function up(k: Knex): Promise<void> {
  await create(k, 'compute_instances', (t) => {
    t.increments('id').primary();
    t.string('uuid', 36).notNullable();
    t.string('name', 255).notNullable();
    t.string('status', 16).notNullable();
    t.string('task_state', 32).nullable();
    t.string('host', 255).nullable();
    t.string('node', 36).nullable();
    json(t, 'data');
    stamp(t);
    unique(t, 'compute_instances', ['uuid']);
    t.index(['host'], 'compute_instances_host_idx');
    t.index(['node'], 'compute_instances_node_idx');
  });
  await create(k, 'compute_instance_faults', (t) => {
    t.increments('id').primary();
    t.string('instance_uuid', 36).notNullable();
    t.integer('code').notNullable();
    t.string('name', 64).notNullable();
    t.text('message').notNullable();
    t.text('details', 'longtext').nullable();
    t.string('host', 255).nullable();
    t.string('created_at', 32).notNullable();
    t.index(['instance_uuid'], 'compute_instance_faults_instance_idx');
  });
  for (const [table, key] of [
    ['compute_flavors', 'flavorid'],
    ['compute_images', 'uuid'],
    ['compute_keypairs', 'name'],
  ] as const) {
    await create(k, table, (t) => {
      t.increments('id').primary();
      t.string(key, 255).notNullable();
      if (key !== 'name') t.string('name', 255).notNullable();
      json(t, 'data');
      stamp(t);
      unique(t, table, [key]);
      if (table === 'compute_flavors') unique(t, table, ['name']);
    });
  }
  await create(k, 'compute_services', (t) => {
    t.increments('id').primary();
    t.string('host', 255).notNullable();
    t.bigInteger('started_ms').notNullable();
    stamp(t);
    unique(t, 'compute_services', ['host']);
  });
  await create(k, 'placement_providers', (t) => {
    t.increments('id').primary();
    t.string('uuid', 36).notNullable();
    t.string('name', 255).notNullable();
    t.integer('generation').notNullable().defaultTo(0);
    json(t, 'inventories');
    json(t, 'traits');
    json(t, 'usages'); // sum of its allocations per resource class, kept with the row (the claim's lock)
    stamp(t);
    unique(t, 'placement_providers', ['uuid']);
  });
  await create(k, 'placement_consumers', (t) => {
    t.increments('id').primary();
    t.string('uuid', 36).notNullable();
    t.integer('generation').notNullable().defaultTo(0);
    unique(t, 'placement_consumers', ['uuid']);
  });
  await create(k, 'placement_allocations', (t) => {
    t.increments('id').primary();
    t.string('consumer', 36).notNullable();
    t.string('provider', 36).notNullable();
    t.string('resource_class', 255).notNullable();
    t.integer('used').notNullable();
    unique(t, 'placement_allocations', ['consumer', 'provider', 'resource_class']);
    t.index(['provider'], 'placement_allocations_provider_idx');
  });
}

export async function down(k: Knex): Promise<void> {
  for (const t of [
    'placement_allocations',
    'placement_consumers',
    'placement_providers',
    'compute_services',
    'compute_keypairs',
    'compute_images',
    'compute_flavors',
    'compute_instance_faults',
    'compute_instances',
  ]) {
    await k.schema.dropTableIfExists(t);
  }
}
