/**
 * Takeover of a dead conductor's work (Ironic _check_orphan_nodes + start-up handling, made fast):
 * a conductor whose heartbeat is older than heartbeat_timeout is dead; its reservations are released, pending
 * power actions dropped, and its nodes left in transient states are failed with a clear last_error
 * (deploying → deploy failed, cleaning → clean failed, ...). Wait states (wait call-back, clean wait ...) are kept:
 * the ring now maps them to a live conductor, which takes the callback.
 */
import { AnvilError } from '@anvil/sdk';
import type { ConductorContext } from '../context.ts';
import { bestEffortPowerOff } from '../flows/common.ts';
import { resumeAllocations } from '../flows/allocation-work.ts';
import { STUCK_STATES_TREATED_AS_FAIL } from '../states/table.ts';
import { TaskManager } from '../task/task.ts';

/**
 * Conductors marked online whose heartbeat is stale (never this one): older than heartbeat_timeout at the
 * database's one-second precision, the very test db.conductors.markDead's UPDATE makes, so a conductor read dead
 * here is declined there only if it heartbeated since.
 */
export async function findDeadConductors(ctx: ConductorContext): Promise<string[]> {
  const timeout = Number(ctx.settings.heartbeat_timeout) || 6;
  const online = await ctx.db.conductors.list({ filters: { online: true }, limit: 10_000 });
  const staleBefore = Math.floor((Date.now() - timeout * 1000) / 1000) * 1000;
  return online
    .filter((c: { hostname: string; updated_at: string | null; created_at: string }) => c.hostname !== ctx.hostname && Date.parse(c.updated_at ?? c.created_at) < staleBefore)
    .map((c: { hostname: string }) => c.hostname);
}

/** Fail one orphaned node in a transient state; NodeLocked (someone else got it) is fine. */
export async function failOrphan(ctx: ConductorContext, uuid: string, reason: string, takeOverFrom?: string): Promise<boolean> {
  let task: TaskManager;
  try {
    task = await TaskManager.acquire(ctx, uuid, { purpose: 'orphan takeover', attempts: 1, takeOverFrom });
  } catch (err) {
    if (AnvilError.is(err) && (err.code === 'NodeLocked' || err.code === 'NodeNotLocked' || err.status === 404)) return false;
    throw err;
  }
  try {
    const state = task.node.provision_state;
    const fields = task.node.target_power_state ? { target_power_state: null } : {};
    if (!STUCK_STATES_TREATED_AS_FAIL.includes(state)) {
      if (Object.keys(fields).length) await task.saveNode(fields);
      return false;
    }
    const msg = `${reason} while the node was in state "${state}"; the operation was aborted.`;
    if (state === 'deploying') await bestEffortPowerOff(task);
    const step = state === 'cleaning' ? { clean_step: {} } : state === 'deploying' ? { deploy_step: {} } : {};
    await task.processEvent('fail', { lastError: msg, targetState: task.node.target_provision_state, fields: { ...fields, ...step } });
    return true;
  } finally {
    await task.release();
  }
}

export interface TakeoverReport {
  dead: string[];
  released: number;
  failed: number;
  /** Allocations left `allocating` by the dead conductors, resumed here. */
  allocations: number;
}

/** One pass: detect dead conductors, release their locks, fail their transient nodes, mark them offline. */
export async function takeOverDeadConductors(ctx: ConductorContext): Promise<TakeoverReport> {
  const dead = await findDeadConductors(ctx);
  const report: TakeoverReport = { dead, released: 0, failed: 0, allocations: 0 };
  const timeout = Number(ctx.settings.heartbeat_timeout) || 6;
  for (const host of dead) {
    const deadId = (await ctx.db.conductors.get(host).catch(() => null))?.id ?? null;
    // Declared dead only if still silent at this write: one that heartbeated since the read above (e.g. all of
    // them after a database outage) keeps its locks, and callers do not give up its calls (rpc/liveness.ts)
    // while it runs them.
    if (!(await ctx.db.conductors.markDead(host, timeout))) {
      // alive again, or already declared dead by another conductor's pass (which takes it over)
      report.dead = report.dead.filter((h) => h !== host);
      const now = await ctx.db.conductors.get(host).catch(() => null);
      if (now?.online) ctx.log.warn(`conductor ${host} heartbeated again before it was declared dead: not taken over`);
      continue;
    }
    const held = await ctx.db.nodes.list({ filters: { reserved_by: host }, limit: 100_000 });
    const reason = `Conductor ${host} went offline (no heartbeat for ${ctx.settings.heartbeat_timeout} s)`;
    // each lock moves atomically from the dead host to this one, so nobody sees the node unlocked mid-operation
    await Promise.all(
      (held as { uuid: string }[]).map(async (n) => {
        const taken = await failOrphan(ctx, n.uuid, reason, host).catch((err) => {
          ctx.log.warn(`takeover of node ${n.uuid} failed`, { error: String(err) });
          return false;
        });
        if (taken) report.failed++;
      }),
    );
    report.released += held.length + (await ctx.db.nodes.releaseAllHeldBy(host));
    // its allocations still `allocating` move here (one conductor wins each) and are processed again
    if (deadId !== null) report.allocations += await resumeAllocations(ctx, deadId);
    ctx.log.warn(`conductor ${host} is dead (no heartbeat for ${ctx.settings.heartbeat_timeout} s): took over ${held.length} node locks`);
  }
  if (report.dead.length) await ctx.rings(true);
  return report;
}
