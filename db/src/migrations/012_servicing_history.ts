/**
 * Columns of Ironic 39's servicing (API 1.87: node `service_step`) and node history fields (1.113 `project`; 1.115
 * `state`, `target_provision_state`, `duration_seconds`). Sizes as Ironic's models.
 */
import type { Knex } from 'knex';

/** Outside a transaction, as 008: ALTERs inside knex's migration transaction deadlock with processes queued for its lock. */
export const config = { transaction: false };

export async function up(k: Knex): Promise<void> {
  await k.schema.alterTable('nodes', (t) => {
    t.text('service_step', 'longtext').nullable();
  });
  await k.schema.alterTable('node_history', (t) => {
    t.string('project', 255).nullable();
    t.string('state', 255).nullable();
    t.string('target_provision_state', 255).nullable();
    t.integer('duration_seconds').nullable();
  });
}

export async function down(k: Knex): Promise<void> {
  await k.schema.alterTable('node_history', (t) => t.dropColumns('project', 'state', 'target_provision_state', 'duration_seconds'));
  await k.schema.alterTable('nodes', (t) => t.dropColumns('service_step'));
}
