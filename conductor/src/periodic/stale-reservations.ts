/**
 * Stale-reservation cleanup: locks this conductor holds in the DB with no live task here (a release that failed
 * during a DB outage) are released; unreserved nodes left in a transient state with no worker anywhere (their
 * worker could not save its end state) are failed like an orphan, once older than a grace period.
 */
import type { ConductorContext } from '../context.ts';
import { STUCK_STATES_TREATED_AS_FAIL } from '../states/table.ts';
import { releaseNode } from '../task/lock.ts';
import { failOrphan } from './orphans.ts';

export async function cleanStaleReservations(ctx: ConductorContext): Promise<{ released: number; failed: number }> {
  let released = 0;
  let failed = 0;
  const listedAt = Date.now();
  const mine = await ctx.db.nodes.list({ filters: { reserved_by: ctx.hostname }, limit: 100_000 });
  for (const n of mine as { uuid: string }[]) {
    // Tasks mark a node busy before reserving and until after releasing; any activity since the listing means
    // the row we saw belonged to a live task. A truly stale lock cannot be taken by a new task before we free it.
    if (ctx.workers.has(n.uuid) || ctx.workers.lastActivity(n.uuid) >= listedAt) continue;
    await releaseNode(ctx, n.uuid);
    released++;
  }
  const graceSec = Math.max(2 * (Number(ctx.settings.heartbeat_interval) || 2), 2);
  const before = new Date(Date.now() - graceSec * 1000).toISOString();
  const stuckListedAt = Date.now();
  const stuck = await ctx.db.nodes.list({
    filters: { reserved: false, provision_state: [...STUCK_STATES_TREATED_AS_FAIL], provisioned_before: before },
    limit: 100_000,
  });
  for (const n of stuck as { uuid: string; driver: string; conductor_group: string }[]) {
    if (ctx.workers.has(n.uuid) || ctx.workers.lastActivity(n.uuid) >= stuckListedAt) continue;
    if ((await ctx.rings()).ownerOf(n) !== ctx.hostname) continue;
    if (await failOrphan(ctx, n.uuid, 'The conductor lost track of this operation (its state could not be saved)')) failed++;
  }
  if (released || failed) ctx.log.warn('stale reservation cleanup', { released, failed });
  return { released, failed };
}
