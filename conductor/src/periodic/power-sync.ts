/**
 * Power-state sync (Ironic _sync_power_states) and power-failure recovery (_power_failure_recovery).
 * Sync: for this conductor's nodes not in maintenance, not reserved, without a pending power action and not in
 * wait call-back / clean wait / enroll / adopt failed: read the real state; unknown in DB → record it; mismatch →
 * push the DB state to the hardware (force_power_state_during_sync) or accept the real one. Failures or a
 * persisting mismatch are counted; after power_state_sync_max_retries → DB = real state, maintenance with
 * fault "power failure". Recovery: such nodes whose power state reads again leave maintenance.
 * A BMC that did not answer is decided after the round (bmc-incident.ts): many at once are one incident
 * (bmc-incident-record.ts), no maintenance, retried with backoff; otherwise Ironic's counting above.
 */
import { randomUUID } from 'node:crypto';
import { AnvilError, Fault, type NodeRecord } from '@anvil/sdk';
import type { ConductorContext } from '../context.ts';
import { errText } from '../flows/common.ts';
import { TaskManager } from '../task/task.ts';
import { diagnose } from '../why/classify.ts';
import { decideRound, deferred, type IncidentPolicy, type OpenIncident, type ReadOutcome } from './bmc-incident.ts';
import { recordIncident } from './bmc-incident-record.ts';

const SKIP_STATES = ['wait call-back', 'clean wait', 'enroll', 'adopt failed'];

/** Per-node failure counters (Ironic keeps them in the conductor's memory too). */
export class PowerSyncCounters {
  readonly counts = new Map<string, number>();
  /** the open correlated BMC outage of this conductor, if any */
  incident: OpenIncident | null = null;
}

export function incidentPolicy(settings: Record<string, unknown>): IncidentPolicy {
  return {
    minNodes: Number(settings.bmc_incident_min_nodes ?? 5),
    minFraction: Number(settings.bmc_incident_min_fraction ?? 0.02),
    backoffBaseMs: Math.max(1, Number(settings.sync_power_state_interval) || 60) * 1000,
    backoffMaxMs: Math.max(1, Number(settings.bmc_incident_max_backoff ?? 300)) * 1000,
  };
}

/** The BMC did not answer at all (not: answered with an error): what a switch or PDU outage looks like. */
const unreachable = (error: string) => diagnose(error, { state: null }).code === 'bmc.unreachable';

/** Ironic's count of a failed read: after max retries, DB = real state (null) and maintenance. */
async function countFailure(ctx: ConductorContext, uuid: string, counters: PowerSyncCounters, max: number, error: string): Promise<boolean> {
  const task = await openTask(ctx, uuid, false);
  if (!task) return false;
  try {
    if (task.node.maintenance || task.node.target_power_state) return false;
    const count = (counters.counts.get(uuid) ?? 0) + 1;
    counters.counts.set(uuid, count);
    if (count <= max) return false;
    const msg = `During sync_power_state, max retries exceeded for node ${uuid}, node state None does not match expected state '${task.node.power_state}'. Updating DB state to 'None' Switching node to maintenance mode. Error: ${error}`;
    await task.saveNode({ power_state: null, maintenance: true, maintenance_reason: msg, fault: Fault.POWER_FAILURE, last_error: msg });
    await task.history(msg, 'ERROR', 'power');
    task.publish('power failure');
    counters.counts.delete(uuid);
    return true;
  } finally {
    await task.release();
  }
}

async function openTask(ctx: ConductorContext, uuid: string, shared: boolean): Promise<TaskManager | null> {
  try {
    return await TaskManager.acquire(ctx, uuid, { purpose: 'power state sync', shared, attempts: 1 });
  } catch (err) {
    if (AnvilError.is(err) && (err.code === 'NodeLocked' || err.status === 404)) return null;
    throw err;
  }
}

async function mine(ctx: ConductorContext, filters: Record<string, unknown>): Promise<NodeRecord[]> {
  const nodes: NodeRecord[] = await ctx.db.nodes.list({ filters, limit: 100_000 });
  const rings = await ctx.rings();
  return nodes.filter((n) => rings.ownerOf(n) === ctx.hostname);
}

export async function syncPowerStates(ctx: ConductorContext, counters: PowerSyncCounters): Promise<{ checked: number; fixed: number; failed: number }> {
  const max = Number(ctx.settings.power_state_sync_max_retries) || 3;
  const force = ctx.settings.force_power_state_during_sync !== false;
  let checked = 0;
  let fixed = 0;
  let failed = 0;
  const now = Date.now();
  const later = deferred(counters.incident, now);
  const outcomes: ReadOutcome[] = [];
  const errors = new Map<string, string>();
  const ours = await mine(ctx, { maintenance: false });
  for (const n of ours) {
    if (n.reservation || SKIP_STATES.includes(n.provision_state) || n.target_power_state || later.has(n.uuid)) continue;
    const task = await openTask(ctx, n.uuid, true);
    if (!task) continue;
    try {
      if (task.node.maintenance || task.node.target_power_state || task.node.reservation) continue;
      checked++;
      const power = task.driver.get('power');
      let real: string | null = null;
      let error: string | null = null;
      try {
        real = await power.getPowerState(task);
      } catch (err) {
        error = errText(err);
      }
      const expected = task.node.power_state;
      const silent = error !== null && unreachable(error);
      outcomes.push({ node: n.uuid, unreachable: silent });
      if (silent) {
        errors.set(n.uuid, error as string); // decided after the round: one of many, or alone
        continue;
      }
      if (error === null && real === expected) {
        counters.counts.delete(n.uuid);
        continue;
      }
      // a write follows: take the exclusive lock (a user action holding it wins; retry next round)
      try {
        await task.upgradeLock(1);
      } catch {
        continue;
      }
      if (task.node.maintenance || task.node.power_state !== expected) continue;
      if (real !== null && expected === null) {
        await task.saveNode({ power_state: real });
        counters.counts.delete(n.uuid);
        continue;
      }
      const count = (counters.counts.get(n.uuid) ?? 0) + 1;
      counters.counts.set(n.uuid, count);
      if (count > max) {
        const msg = `During sync_power_state, max retries exceeded for node ${n.uuid}, node state ${real} does not match expected state '${expected}'. Updating DB state to '${real}' Switching node to maintenance mode.${error ? ` Error: ${error}` : ''}`;
        await task.saveNode({ power_state: real, maintenance: true, maintenance_reason: msg, fault: Fault.POWER_FAILURE, last_error: msg });
        await task.history(msg, 'ERROR', 'power');
        task.publish('power failure');
        counters.counts.delete(n.uuid);
        failed++;
        continue;
      }
      if (real === null) continue; // read failed: retry next round
      if (force && expected) {
        try {
          await power.setPowerState(task, expected);
          await task.saveNode({ power_state: expected });
          fixed++;
        } catch (err) {
          task.log.warn(`Failed to change power state of node ${n.uuid} to '${expected}' during sync`, { error: errText(err) });
        }
      } else {
        await task.saveNode({ power_state: real });
        counters.counts.delete(n.uuid);
        fixed++;
      }
    } finally {
      await task.release();
    }
  }
  const policy = incidentPolicy(ctx.settings as Record<string, unknown>);
  // an outage another conductor has open (updated within the longest backoff) is the same switch or PDU
  const peerOutage =
    outcomes.some((o) => o.unreachable) &&
    (await ctx.db.bmcIncidents.list({ state: 'open', limit: 20 })).some((i) => i.conductor !== ctx.hostname && Date.now() - Date.parse(i.updated_at) < policy.backoffMaxMs + policy.backoffBaseMs);
  const { incident, decision } = decideRound(counters.incident, outcomes, checked, Date.now(), policy, () => randomUUID(), peerOutage, new Set(ours.map((n) => n.uuid)));
  const before = counters.incident;
  counters.incident = incident;
  for (const uuid of decision.joined) counters.counts.delete(uuid);
  await recordIncident(ctx, incident ?? before, decision);
  for (const uuid of decision.countNormally) if (await countFailure(ctx, uuid, counters, max, errors.get(uuid) ?? 'no answer')) failed++;
  return { checked, fixed, failed };
}

export async function recoverPowerFailures(ctx: ConductorContext): Promise<number> {
  let recovered = 0;
  for (const n of await mine(ctx, { maintenance: true, fault: Fault.POWER_FAILURE, reserved: false })) {
    if (n.provision_state === 'enroll' || n.target_power_state) continue;
    const task = await openTask(ctx, n.uuid, false);
    if (!task) continue;
    try {
      const real = await task.driver.get('power').getPowerState(task);
      await task.saveNode({ power_state: real, maintenance: false, maintenance_reason: null, fault: null });
      await task.history(`Power state of node ${n.uuid} could be read again; maintenance cleared`, 'INFO', 'power');
      task.publish('power recovered');
      recovered++;
    } catch (err) {
      task.log.info('node still unreachable for power recovery', { error: errText(err) });
    } finally {
      await task.release();
    }
  }
  return recovered;
}
