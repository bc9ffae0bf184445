/**
 * Allocations belong to conductors (Ironic ConductorManager.create_allocation, _resume_allocations and the takeover
 * of a dead conductor's allocations): the RPC `create_allocation` takes a worker slot, creates the allocation with
 * this conductor's id as conductor_affinity and picks its node in the background (allocation.ts), reserving
 * nodes under this conductor's own hostname. An allocation left `allocating` by a crash is resumed by the same
 * conductor when it starts again, or by the live conductor that takes the dead one over.
 */
import { AnvilError, type AllocationRecord, NoFreeConductorWorker } from '@anvil/sdk';
import type { ConductorContext } from '../context.ts';
import { processAllocation } from './allocation.ts';

const ids = new WeakMap<ConductorContext, number>();

/** This conductor's row id (conductor_affinity). */
export async function conductorId(ctx: ConductorContext): Promise<number> {
  let id = ids.get(ctx);
  if (id === undefined) {
    id = (await ctx.db.conductors.get(ctx.hostname)).id as number;
    ids.set(ctx, id);
  }
  return id;
}

const poolSize = (ctx: ConductorContext) => Number((ctx.settings as Record<string, unknown>).workers_pool_size) || 100;

/** Pick the node in the background; the worker slot must already be reserved (reserved=true) or is taken here. */
function spawn(ctx: ConductorContext, alloc: AllocationRecord, reserved: boolean): void {
  ctx.workers.start(
    `allocation:${alloc.uuid}`,
    async () => {
      const done = await processAllocation(ctx.db, alloc, ctx.hostname);
      ctx.log.info(`allocation ${alloc.uuid} is ${done.state}${done.last_error ? `: ${done.last_error}` : ''}`);
    },
    (err) => ctx.log.error(`processing allocation ${alloc.uuid} failed`, { error: String(err) }),
    reserved,
  );
}

/**
 * RPC create_allocation: a full worker pool answers 503 with nothing created. With `idempotent` (the API's retry
 * after an unreachable conductor) an allocation that already exists under this uuid is answered as it is.
 */
export async function createAllocation(ctx: ConductorContext, values: Partial<AllocationRecord>, idempotent = false): Promise<AllocationRecord> {
  if (!ctx.workers.tryReserve(poolSize(ctx))) {
    throw new NoFreeConductorWorker('Requested action cannot be performed due to lack of free conductor workers.');
  }
  let alloc: AllocationRecord;
  try {
    const { id: _id, node_id: _n, state: _s, conductor_affinity: _c, created_at: _ca, updated_at: _u, ...rest } = values;
    alloc = await ctx.db.allocations.create({ ...rest, state: 'allocating', conductor_affinity: await conductorId(ctx) });
  } catch (err) {
    ctx.workers.unreserve();
    if (idempotent && values.uuid && AnvilError.is(err) && err.status === 409) return ctx.db.allocations.getByUuid(values.uuid);
    throw err;
  }
  spawn(ctx, alloc, true);
  return alloc;
}

/** Process allocations in `allocating` owned by `from` (this conductor's id at start, a dead conductor's at takeover). */
export async function resumeAllocations(ctx: ConductorContext, from: number | null): Promise<number> {
  const me = await conductorId(ctx);
  const filters: Record<string, unknown> = { state: 'allocating' };
  if (from !== null) filters.conductor_affinity = from;
  const stuck = (await ctx.db.allocations.list({ filters, limit: 100_000 })).filter((a) => (a.conductor_affinity ?? null) === from);
  let resumed = 0;
  for (const a of stuck) {
    if (from !== me && !(await ctx.db.allocations.takeOver(a.uuid, from, me).catch(() => false))) continue; // another conductor won
    if (!ctx.workers.tryReserve(Number.MAX_SAFE_INTEGER)) continue;
    spawn(ctx, { ...a, conductor_affinity: me }, true);
    resumed++;
  }
  if (resumed) ctx.log.warn(`resumed ${resumed} allocations left in "allocating"${from === me ? ' by a previous run of this conductor' : from === null ? ' without a conductor' : ` by dead conductor #${from}`}`);
  return resumed;
}
