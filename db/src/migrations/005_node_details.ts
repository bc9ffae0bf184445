/** Per-node details: history, volume connectors and targets, BIOS settings, inventory. */
import type { Knex } from 'knex';
import { create, ids, json, ref, timestamps, unique } from './columns.ts';

export async function up(k: Knex): Promise<void> {
  await create(k, 'node_history', (t) => {
    ids(t, 'node_history');
    ref(t, 'node_id', 'nodes');
    t.string('conductor', 255).nullable();
    t.string('event_type', 255).notNullable();
    t.string('severity', 255).notNullable();
    t.text('event').notNullable();
    t.string('user', 255).nullable();
    timestamps(t);
    t.index(['node_id', 'created_at'], 'node_history_node_created_idx');
  });
  await create(k, 'volume_connectors', (t) => {
    ids(t, 'volume_connectors');
    ref(t, 'node_id', 'nodes');
    t.string('type', 32).notNullable();
    t.string('connector_id', 255).notNullable();
    json(t, 'extra');
    timestamps(t);
    unique(t, 'volume_connectors', ['type', 'connector_id']);
    t.index(['node_id'], 'volume_connectors_node_id_idx');
  });
  await create(k, 'volume_targets', (t) => {
    ids(t, 'volume_targets');
    ref(t, 'node_id', 'nodes');
    t.string('volume_type', 64).notNullable();
    t.string('volume_id', 36).notNullable();
    t.integer('boot_index').notNullable();
    json(t, 'properties');
    json(t, 'extra');
    timestamps(t);
    unique(t, 'volume_targets', ['node_id', 'boot_index']);
    t.index(['volume_id'], 'volume_targets_volume_id_idx');
  });
  await create(k, 'bios_settings', (t) => {
    t.increments('id').primary();
    ref(t, 'node_id', 'nodes');
    t.string('name', 255).notNullable();
    t.text('value').nullable();
    t.string('attribute_type', 255).nullable();
    json(t, 'allowable_values');
    for (const c of ['lower_bound', 'upper_bound', 'min_length', 'max_length']) t.integer(c).nullable();
    for (const c of ['read_only', 'reset_required', 'unique']) t.boolean(c).nullable();
    timestamps(t);
    unique(t, 'bios_settings', ['node_id', 'name']);
  });
  await create(k, 'node_inventory', (t) => {
    t.increments('id').primary();
    ref(t, 'node_id', 'nodes');
    json(t, 'inventory_data');
    json(t, 'plugin_data');
    timestamps(t);
    unique(t, 'node_inventory', ['node_id']);
  });
}

export async function down(k: Knex): Promise<void> {
  for (const table of ['node_inventory', 'bios_settings', 'volume_targets', 'volume_connectors', 'node_history']) {
    await k.schema.dropTableIfExists(table);
  }
}
