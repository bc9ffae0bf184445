/** Conductors and the hardware interfaces each offers. */
import type { Knex } from 'knex';
import { create, json, ref, timestamps, unique } from './columns.ts';

export async function up(k: Knex): Promise<void> {
  await create(k, 'conductors', (t) => {
    t.increments('id').primary();
    t.string('hostname', 255).notNullable();
    t.string('conductor_group', 255).notNullable().defaultTo('');
    t.boolean('online').notNullable().defaultTo(true);
    json(t, 'drivers');
    timestamps(t);
    unique(t, 'conductors', ['hostname']);
  });
  await create(k, 'conductor_hardware_interfaces', (t) => {
    t.increments('id').primary();
    ref(t, 'conductor_id', 'conductors');
    t.string('hardware_type', 255).notNullable();
    t.string('interface_type', 16).notNullable();
    t.string('interface_name', 255).notNullable();
    t.boolean('default').notNullable().defaultTo(false);
    timestamps(t);
    t.unique(['conductor_id', 'hardware_type', 'interface_type', 'interface_name'], { indexName: 'uniq_conductorhwifaces0all' });
  });
}

export async function down(k: Knex): Promise<void> {
  await k.schema.dropTableIfExists('conductor_hardware_interfaces');
  await k.schema.dropTableIfExists('conductors');
}
