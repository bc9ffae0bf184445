/**
 * Anvil's failure explanations (no Ironic table): structured diagnoses recorded beside last_error, the per-MAC boot
 * trace, and the time a node's reservation was taken (`nodes.reserved_at`, for "locked by X since T").
 */
import type { Knex } from 'knex';
import { create } from './columns.ts';

export async function up(k: Knex): Promise<void> {
  await create(k, 'anvil_diagnoses', (t) => {
    t.increments('id').primary();
    t.string('uuid', 36).notNullable();
    t.string('node_uuid', 36).notNullable();
    t.string('code', 64).notNullable();
    t.string('step', 255).nullable();
    t.string('interface', 64).nullable();
    t.text('cause').notNullable();
    t.text('hint').notNullable();
    t.boolean('retryable').notNullable();
    t.text('last_error').notNullable();
    t.string('provision_state', 32).nullable();
    t.string('conductor', 255).nullable();
    t.string('created_at', 32).notNullable();
    t.index(['node_uuid', 'id'], 'anvil_diagnoses_node_idx');
  });
  await create(k, 'anvil_boot_trace', (t) => {
    t.increments('id').primary();
    t.string('mac', 17).nullable();
    t.string('node_uuid', 36).nullable();
    t.string('kind', 16).notNullable();
    t.string('result', 32).notNullable();
    t.text('detail').notNullable();
    t.bigInteger('bytes').nullable();
    t.integer('duration_ms').nullable();
    t.string('step', 255).nullable();
    t.string('at', 32).notNullable();
    t.index(['mac', 'id'], 'anvil_boot_trace_mac_idx');
    t.index(['node_uuid', 'id'], 'anvil_boot_trace_node_idx');
  });
  await k.schema.alterTable('nodes', (t) => {
    t.string('reserved_at', 32).nullable();
  });
}

export async function down(k: Knex): Promise<void> {
  await k.schema.alterTable('nodes', (t) => {
    t.dropColumn('reserved_at');
  });
  await k.schema.dropTableIfExists('anvil_boot_trace');
  await k.schema.dropTableIfExists('anvil_diagnoses');
}
