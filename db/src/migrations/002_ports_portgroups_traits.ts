/** Portgroups, ports and node traits. */
import type { Knex } from 'knex';
import { create, ids, json, ref, timestamps, unique } from './columns.ts';

export async function up(k: Knex): Promise<void> {
  await create(k, 'portgroups', (t) => {
    ids(t, 'portgroups');
    t.string('name', 255).nullable();
    t.string('address', 18).nullable();
    ref(t, 'node_id', 'nodes');
    json(t, 'extra');
    json(t, 'internal_info');
    t.boolean('standalone_ports_supported').notNullable().defaultTo(true);
    t.string('mode', 255).notNullable().defaultTo('active-backup');
    json(t, 'properties');
    timestamps(t);
    unique(t, 'portgroups', ['name']);
    unique(t, 'portgroups', ['address']);
    t.index(['node_id'], 'portgroups_node_id_idx');
  });
  await create(k, 'ports', (t) => {
    ids(t, 'ports');
    t.string('address', 18).notNullable();
    ref(t, 'node_id', 'nodes');
    ref(t, 'portgroup_id', 'portgroups', true);
    json(t, 'extra');
    json(t, 'internal_info');
    json(t, 'local_link_connection');
    t.boolean('pxe_enabled').notNullable().defaultTo(true);
    t.string('physical_network', 64).nullable();
    t.boolean('is_smartnic').notNullable().defaultTo(false);
    timestamps(t);
    unique(t, 'ports', ['address']);
    t.index(['node_id'], 'ports_node_id_idx');
    t.index(['portgroup_id'], 'ports_portgroup_id_idx');
  });
  await create(k, 'node_traits', (t) => {
    t.increments('id').primary();
    ref(t, 'node_id', 'nodes');
    t.string('trait', 255).notNullable();
    timestamps(t);
    unique(t, 'node_traits', ['node_id', 'trait']);
    t.index(['trait'], 'node_traits_trait_idx');
  });
}

export async function down(k: Knex): Promise<void> {
  await k.schema.dropTableIfExists('node_traits');
  await k.schema.dropTableIfExists('ports');
  await k.schema.dropTableIfExists('portgroups');
}
