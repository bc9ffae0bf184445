/**
 * Runbooks (Ironic API 1.92, description and traits 1.112): `runbooks`, their ordered `runbook_steps` and the
 * `runbook_traits` that approve them for nodes. Sizes as Ironic's models.
 */
import type { Knex } from 'knex';
import { create, ids, json, ref, timestamps, unique } from './columns.ts';

/**
 * Outside a transaction, like 008: on MariaDB each CREATE TABLE commits by itself, and the foreign keys of new
 * tables inside knex's migration transaction wait on processes queued for the migration lock.
 */
export const config = { transaction: false };

export async function up(k: Knex): Promise<void> {
  if (!(await k.schema.hasTable('runbooks'))) {
    await create(k, 'runbooks', (t) => {
      ids(t, 'runbooks');
      t.string('name', 255).notNullable();
      t.string('description', 255).nullable();
      t.boolean('public').notNullable().defaultTo(false);
      t.string('owner', 255).nullable();
      t.boolean('disable_ramdisk').notNullable().defaultTo(false);
      json(t, 'extra');
      timestamps(t);
      unique(t, 'runbooks', ['name']);
      t.index(['owner'], 'runbooks_owner_idx');
    });
  }
  if (!(await k.schema.hasTable('runbook_steps'))) {
    await create(k, 'runbook_steps', (t) => {
      t.increments('id').primary();
      ref(t, 'runbook_id', 'runbooks');
      t.string('interface', 255).notNullable();
      t.string('step', 255).notNullable();
      json(t, 'args');
      t.integer('order').notNullable();
      timestamps(t);
      t.index(['runbook_id'], 'runbook_steps_runbook_idx');
    });
  }
  if (!(await k.schema.hasTable('runbook_traits'))) {
    await create(k, 'runbook_traits', (t) => {
      ref(t, 'runbook_id', 'runbooks');
      t.string('trait', 255).notNullable();
      timestamps(t);
      t.primary(['runbook_id', 'trait']);
      t.index(['trait'], 'runbook_traits_trait_idx');
    });
  }
}

export async function down(k: Knex): Promise<void> {
  await k.schema.dropTableIfExists('runbook_traits');
  await k.schema.dropTableIfExists('runbook_steps');
  await k.schema.dropTableIfExists('runbooks');
}
