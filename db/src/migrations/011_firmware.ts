/**
 * Ironic 39's firmware interface (API 1.86): `nodes.firmware_interface` and the cached components of a node
 * (`firmware_information`, one row per component; vendor/model/serial_number shown from 1.114). Sizes as Ironic's.
 */
import type { Knex } from 'knex';
import { create, ref, timestamps, unique } from './columns.ts';

/** Outside a transaction, like 008/009 (MariaDB: DDL commits by itself; no waits on queued processes). */
export const config = { transaction: false };

export async function up(k: Knex): Promise<void> {
  if (!(await k.schema.hasColumn('nodes', 'firmware_interface'))) {
    await k.schema.alterTable('nodes', (t) => {
      t.string('firmware_interface', 255).nullable();
    });
  }
  if (!(await k.schema.hasTable('firmware_information'))) {
    await create(k, 'firmware_information', (t) => {
      t.increments('id').primary();
      ref(t, 'node_id', 'nodes');
      t.string('component', 255).notNullable();
      t.string('initial_version', 255).notNullable();
      t.string('current_version', 255).nullable();
      t.string('last_version_flashed', 255).nullable();
      t.string('vendor', 255).nullable();
      t.string('model', 255).nullable();
      t.string('serial_number', 255).nullable();
      timestamps(t);
      unique(t, 'firmware_information', ['node_id', 'component']);
    });
  }
}

export async function down(k: Knex): Promise<void> {
  await k.schema.dropTableIfExists('firmware_information');
  await k.schema.alterTable('nodes', (t) => t.dropColumn('firmware_interface'));
}
