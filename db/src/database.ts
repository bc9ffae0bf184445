/** Builds a Database handle (repositories bound to one knex or transaction). */
import type { Knex } from 'knex';
import { makeContext } from './context.ts';
import type { Dialect } from './dialect/dialect.ts';
import { MIGRATION_TABLE, migrationSource } from './migrations/index.ts';
import { prepareMigrationTables, refuseStaleBatch } from './migrations/race-safe.ts';
import { makeAllocationRepo } from './repos/allocations.ts';
import { makeBiosRepo } from './repos/bios.ts';
import { makeChassisRepo } from './repos/chassis.ts';
import { makeCatalogRepo } from './repos/compute-catalog.ts';
import { makeComputeRepo } from './repos/compute.ts';
import { makeConductorRepo } from './repos/conductors.ts';
import { makeDeployTemplateRepo } from './repos/deploy-templates.ts';
import { makeRunbookRepo } from './repos/runbooks.ts';
import { makeFirmwareRepo } from './repos/firmware.ts';
import { makeInventoryRepo } from './repos/inventory.ts';
import { makeInspectionRuleRepo } from './repos/inspection-rules.ts';
import { makeInspectorRuleRepo, makeIntrospectionRepo } from './repos/inspector.ts';
import { makeNodeHistoryRepo } from './repos/node-history.ts';
import { makeBootTraceRepo, makeDiagnosisRepo } from './repos/anvil-why.ts';
import { makeBmcIncidentRepo } from './repos/bmc-incidents.ts';
import { makeNodeRepo } from './repos/nodes.ts';
import { makePlacementRepo } from './repos/placement.ts';
import { makePortgroupRepo } from './repos/portgroups.ts';
import { makePortRepo } from './repos/ports.ts';
import { makeTraitRepo } from './repos/traits.ts';
import { makeVolumeConnectorRepo } from './repos/volume-connectors.ts';
import { makeVolumeTargetRepo } from './repos/volume-targets.ts';
import type { Database } from './types.ts';

/**
 * Runs pending migrations. Several processes may start at once (API + conductors on one MariaDB): the one that
 * gets knex's migration lock migrates, the others wait for it (up to waitMs) and then find nothing pending.
 */
export async function runMigrations(k: Knex, waitMs = 300_000): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await prepareMigrationTables(k, MIGRATION_TABLE);
      await k.migrate.latest({ migrationSource, tableName: MIGRATION_TABLE, beforeAll: refuseStaleBatch(MIGRATION_TABLE) });
      return;
    } catch (err) {
      const e = err as Error;
      const contended =
        e.name === 'MigrationLocked' || e.name === 'StaleMigrationList' || /already exists|Duplicate entry|UNIQUE constraint failed/i.test(e.message);
      if (!contended) throw err;
      if (Date.now() > deadline) {
        throw new Error(`database migrations are locked by another process (${e.message}); if none is running, clear ${MIGRATION_TABLE}_lock.is_locked`);
      }
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
}

export async function migrationStatus(k: Knex): Promise<{ applied: string[]; pending: string[] }> {
  const [done, pending] = (await k.migrate.list({ migrationSource, tableName: MIGRATION_TABLE })) as [unknown[], unknown[]];
  const nameOf = (m: unknown) => (typeof m === 'string' ? m : String((m as { name?: string; file?: string }).name ?? (m as { file?: string }).file));
  return { applied: done.map(nameOf), pending: pending.map(nameOf) };
}

export function makeDatabase(k: Knex, dialect: Dialect, root?: Knex): Database {
  const ctx = makeContext(k, dialect);
  const inTransaction = Boolean((k as Knex.Transaction).isTransaction);
  const db: Database = {
    engine: dialect.engine,
    knex: k,
    inTransaction,
    changeStamp: inTransaction ? () => null : () => dialect.changeStamp(),
    migrate: () => runMigrations(root ?? k),
    migrationStatus: () => migrationStatus(root ?? k),
    async close() {
      if (!inTransaction) await k.destroy();
    },
    transaction: (fn) => ctx.tx((trx) => fn(makeDatabase(trx, dialect, root ?? k))),
    nodes: makeNodeRepo(ctx),
    ports: makePortRepo(ctx),
    portgroups: makePortgroupRepo(ctx),
    chassis: makeChassisRepo(ctx),
    traits: makeTraitRepo(ctx),
    conductors: makeConductorRepo(ctx),
    allocations: makeAllocationRepo(ctx),
    deployTemplates: makeDeployTemplateRepo(ctx),
    runbooks: makeRunbookRepo(ctx),
    history: makeNodeHistoryRepo(ctx),
    volumeConnectors: makeVolumeConnectorRepo(ctx),
    volumeTargets: makeVolumeTargetRepo(ctx),
    bios: makeBiosRepo(ctx),
    firmware: makeFirmwareRepo(ctx),
    inventory: makeInventoryRepo(ctx),
    inspectionRules: makeInspectionRuleRepo(ctx),
    inspectorRules: makeInspectorRuleRepo(ctx),
    introspections: makeIntrospectionRepo(ctx),
    diagnoses: makeDiagnosisRepo(ctx),
    bootTrace: makeBootTraceRepo(ctx),
    bmcIncidents: makeBmcIncidentRepo(ctx),
    placement: makePlacementRepo(ctx),
    compute: makeComputeRepo(ctx),
    catalog: makeCatalogRepo(ctx),
  };
  return db;
}
