/** Chassis and nodes. */
import type { Knex } from 'knex';
import { create, ids, json, ref, timestamps, unique } from './columns.ts';

const INTERFACES = ['bios', 'boot', 'console', 'deploy', 'inspect', 'management', 'network', 'power', 'raid', 'rescue', 'storage', 'vendor'];

export async function up(k: Knex): Promise<void> {
  await create(k, 'chassis', (t) => {
    ids(t, 'chassis');
    t.string('description', 255).nullable();
    json(t, 'extra');
    timestamps(t);
  });
  await create(k, 'nodes', (t) => {
    ids(t, 'nodes');
    t.string('name', 255).nullable();
    t.string('driver', 255).notNullable();
    for (const c of ['driver_info', 'driver_internal_info', 'properties', 'instance_info', 'extra']) json(t, c);
    t.string('instance_uuid', 36).nullable();
    ref(t, 'chassis_id', 'chassis', true);
    t.string('power_state', 32).nullable();
    t.string('target_power_state', 32).nullable();
    t.string('provision_state', 32).notNullable();
    t.string('target_provision_state', 32).nullable();
    t.datetime('provision_updated_at', { precision: 0 }).nullable();
    t.boolean('maintenance').notNullable().defaultTo(false);
    t.text('maintenance_reason').nullable();
    t.text('last_error').nullable();
    t.string('reservation', 255).nullable();
    t.boolean('console_enabled').notNullable().defaultTo(false);
    t.datetime('inspection_started_at', { precision: 0 }).nullable();
    t.datetime('inspection_finished_at', { precision: 0 }).nullable();
    for (const c of ['clean_step', 'deploy_step', 'raid_config', 'target_raid_config']) json(t, c);
    t.string('resource_class', 80).nullable();
    for (const i of INTERFACES) t.string(`${i}_interface`, 255).nullable();
    t.string('fault', 255).nullable();
    t.string('conductor_group', 255).notNullable().defaultTo('');
    t.integer('conductor_affinity').nullable();
    t.boolean('automated_clean').nullable();
    t.boolean('protected').notNullable().defaultTo(false);
    t.text('protected_reason').nullable();
    t.string('owner', 255).nullable();
    t.string('lessee', 255).nullable();
    t.text('description').nullable();
    t.integer('allocation_id').unsigned().nullable();
    t.boolean('retired').notNullable().defaultTo(false);
    t.text('retired_reason').nullable();
    json(t, 'network_data');
    t.string('boot_mode', 16).nullable();
    t.boolean('secure_boot').nullable();
    t.string('shard', 255).nullable();
    timestamps(t);
    unique(t, 'nodes', ['name']);
    unique(t, 'nodes', ['instance_uuid']);
    for (const c of ['provision_state', 'reservation', 'driver', 'resource_class', 'conductor_group', 'owner', 'lessee', 'shard', 'allocation_id']) {
      t.index([c], `nodes_${c}_idx`);
    }
    t.index(['provision_state', 'provision_updated_at'], 'nodes_provision_updated_idx');
    t.index(['maintenance'], 'nodes_maintenance_idx');
  });
}

export async function down(k: Knex): Promise<void> {
  await k.schema.dropTableIfExists('nodes');
  await k.schema.dropTableIfExists('chassis');
}
