/**
 * The Inspector-compatible API's own tables (ironic-inspector's `rules` with their conditions/actions, and its node
 * cache reduced to what its status and data answers need): introspection rules in Inspector's format, and one row per
 * node introspected through that API (start time, manage_boot, an abort's error, the ramdisk's unprocessed data).
 */
import type { Knex } from 'knex';
import { create, ids, json, timestamps } from './columns.ts';

export async function up(k: Knex): Promise<void> {
  await create(k, 'inspector_rules', (t) => {
    ids(t, 'inspector_rules');
    t.string('description', 255).nullable();
    t.string('scope', 255).nullable();
    json(t, 'conditions');
    json(t, 'actions');
    timestamps(t);
  });
  await create(k, 'introspections', (t) => {
    ids(t, 'introspections');
    t.boolean('manage_boot').notNullable().defaultTo(true);
    t.datetime('started_at', { precision: 0 }).notNullable();
    t.text('error').nullable();
    json(t, 'unprocessed');
    timestamps(t);
  });
}

export async function down(k: Knex): Promise<void> {
  await k.schema.dropTableIfExists('introspections');
  await k.schema.dropTableIfExists('inspector_rules');
}
