/** Correlated BMC outages recorded by power sync (no Ironic table): one row per incident, the node lists as JSON. */
import type { Knex } from 'knex';
import { create, unique } from './columns.ts';

export async function up(k: Knex): Promise<void> {
  await create(k, 'anvil_bmc_incidents', (t) => {
    t.increments('id').primary();
    t.string('uuid', 36).notNullable();
    unique(t, 'anvil_bmc_incidents', ['uuid']);
    t.string('state', 16).notNullable();
    t.string('conductor', 255).notNullable();
    t.text('nodes').notNullable();
    t.text('affected').notNullable();
    t.text('failed_reads').notNullable();
    t.string('started_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('resolved_at', 32).nullable();
    t.index(['state', 'id'], 'anvil_bmc_incidents_state_idx');
  });
}

export async function down(k: Knex): Promise<void> {
  await k.schema.dropTableIfExists('anvil_bmc_incidents');
}
