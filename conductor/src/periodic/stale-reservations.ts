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
  const mine = await ctx.db.nodes.list({ filters: { reserved_by: ctx.hostname }, limit: 100_000 });
  for (const n of mine as { uuid: string }[]) {
    if (ctx.workers.has(n.uuid)) continue;
    await releaseNode(ctx, n.uuid);
    released++;
  }
  const graceSec = Math.max(2 * (Number(ctx.settings.heartbeat_interval) || 2), 2);
  const before = new Date(Date.now() - graceSec * 1000).toISOString();
  const stuck = await ctx.db.nodes.list({
    filters: { reserved: false, provision_state: [...STUCK_STATES_TREATED_AS_FAIL], provisioned_before: before },
    limit: 100_000,
  });
  for (const n of stuck as { uuid: string; driver: string; conductor_group: string }[]) {
    if (ctx.workers.has(n.uuid)) continue;
    if ((await ctx.rings()).ownerOf(n) !== ctx.hostname) continue;
    if (await failOrphan(ctx, n.uuid, 'The conductor lost track of this operation (its state could not be saved)')) failed++;
  }
  if (released || failed) ctx.log.warn('stale reservation cleanup', { released, failed });
  return { released, failed };
}
