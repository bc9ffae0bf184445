/**
 * Columns of Ironic's API 1.83–1.111: child nodes (`parent_node`, 1.83), `disable_power_off` (1.95), `instance_name`
 * (1.104), `health` (1.109); port `name` (1.88, unique), `description` (1.97), `vendor` (1.100), `category` (1.101),
 * `available_for_dynamic_portgroup` (1.111); portgroup `physical_network` (1.102), `category` (1.103),
 * `dynamic_portgroup` (1.111). Sizes as Ironic's models.
 */
import type { Knex } from 'knex';
import { uniqueIndexName } from '../errors.ts';
import { unique } from './columns.ts';

/**
 * Outside a transaction: MariaDB commits each ALTER TABLE by itself anyway, and inside knex's migration
 * transaction the ALTERs of tables with foreign keys wait on processes queued for the migration lock (a
 * start-up deadlock, db/src/migrations/migrations.test.ts "processes starting together").
 */
export const config = { transaction: false };

export async function up(k: Knex): Promise<void> {
  await k.schema.alterTable('nodes', (t) => {
    t.string('parent_node', 36).nullable();
    t.boolean('disable_power_off').notNullable().defaultTo(false);
    t.string('instance_name', 255).nullable();
    t.string('health', 32).nullable();
    t.index(['parent_node'], 'nodes_parent_node_idx');
  });
  await k.schema.alterTable('ports', (t) => {
    t.string('name', 255).nullable();
    t.string('description', 255).nullable();
    t.string('vendor', 32).nullable();
    t.string('category', 80).nullable();
    t.boolean('available_for_dynamic_portgroup').notNullable().defaultTo(true);
    unique(t, 'ports', ['name']);
  });
  await k.schema.alterTable('portgroups', (t) => {
    t.string('physical_network', 64).nullable();
    t.string('category', 80).nullable();
    t.boolean('dynamic_portgroup').notNullable().defaultTo(false);
  });
}

export async function down(k: Knex): Promise<void> {
  await k.schema.alterTable('portgroups', (t) => t.dropColumns('physical_network', 'category', 'dynamic_portgroup'));
  await k.schema.alterTable('ports', (t) => {
    t.dropUnique(['name'], uniqueIndexName('ports', ['name']));
    t.dropColumns('name', 'description', 'vendor', 'category', 'available_for_dynamic_portgroup');
  });
  await k.schema.alterTable('nodes', (t) => {
    t.dropIndex(['parent_node'], 'nodes_parent_node_idx');
    t.dropColumns('parent_node', 'disable_power_off', 'instance_name', 'health');
  });
}
