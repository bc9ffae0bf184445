/**
 * /v1/allocations (1.52): list (filters node, resource_class, state, owner 1.60), show, create (RPC
 * create_allocation: a conductor creates it and picks the node, conductor/flows/allocation-work.ts; backfill with
 * `node` 1.58 stays here), PATCH name/extra (1.57), DELETE (releases the node).
 * /v1/nodes/{node}/allocation: GET and DELETE the node's allocation.
 */
import { AnvilError, type AllocationRecord, InvalidParameterValue, InvalidState, NodeLocked, type JsonObject, InvalidInput, NotAcceptable, NotFound, TemporaryFailure } from '@anvil/sdk';
import type { Database } from '@anvil/db';
import { backfillAllocation, deallocationRefusal } from '@anvil/conductor';
import { conductorOf, routeOf } from './node-states.ts';
import type { ApiContext, ApiRouter, RouteDeps } from '../context.ts';
import { baseUrl } from '../context.ts';
import { checkUuidOrName, collectionSince, StatusFault, subSince } from '../sub-since.ts';
import { getNode, RefCache } from '../lookup.ts';
import { applyPatch, checkAllowedRoots, parsePatch } from '../patch.ts';
import { nextLink, PAGING_KEYS, paging, Query } from '../query.ts';
import { ALLOCATION_INVALID_SORT_KEYS, checkAllocationFields, renderAllocation } from '../render/allocation.ts';
import { ALLOCATION_CREATE_SCHEMA, ALLOCATION_PATCH_SCHEMA, checkAllocationName } from '../validate/allocation.ts';
import { checkTrait } from '../validate/trait.ts';
import { validateBody } from '../validate/common.ts';

/** Ironic re-codes NodeNotFound to 400 where a node is named in a body or filter. */
const NodeNotFound400 = class extends AnvilError {
  constructor(message: string) {
    super(message, 'NodeNotFound', 400);
  }
};

export async function getAllocation(db: Database, ident: string): Promise<AllocationRecord> {
  checkUuidOrName('allocation_ident', ident);
  try {
    return await db.allocations.getByIdent(ident);
  } catch (e) {
    if (AnvilError.is(e) && e.status === 404) throw new NotFound(`Allocation ${ident} could not be found.`);
    throw e;
  }
}

async function render(ctx: ApiContext, deps: RouteDeps, a: AllocationRecord, refs: RefCache, fields?: string[]) {
  return renderAllocation(a, await refs.nodeUuid(a.node_id), baseUrl(ctx, deps.settings), ctx.state.minor, fields);
}

async function list(ctx: ApiContext, deps: RouteDeps) {
  const minor = ctx.state.minor;
  const q = new Query(ctx.query, ['node', 'resource_class', 'state', 'owner', 'fields', ...PAGING_KEYS]);
  if (q.has('owner') && minor < 60) throw new NotAcceptable('Request not acceptable.');
  const fields = q.fields();
  checkAllocationFields(fields, minor);
  const p = paging(q, ALLOCATION_INVALID_SORT_KEYS);
  const filters: Record<string, unknown> = {};
  const nodeIdent = q.str('node');
  if (nodeIdent !== undefined) {
    try {
      filters.node_id = (await getNode(deps.db, nodeIdent, minor)).id;
    } catch (e) {
      if (AnvilError.is(e) && e.status === 404) throw new NodeNotFound400(e.message);
      throw e;
    }
  }
  for (const k of ['resource_class', 'state', 'owner']) if (q.has(k)) filters[k] = q.str(k);
  if (ctx.state.auth?.projectFilter) filters.owner = ctx.state.auth.projectFilter; // project-scoped caller
  const rows = await deps.db.allocations.list({ filters, limit: p.limit, marker: p.marker, sortKey: p.sortKey, sortDir: p.sortDir });
  const refs = new RefCache(deps.db);
  const items = await Promise.all(rows.map((a) => render(ctx, deps, a, refs, fields)));
  const params: Record<string, string | undefined> = { sort_key: p.sortKey, sort_dir: p.sortDir };
  if (fields) params.fields = fields.join(',');
  for (const k of ['node', 'resource_class', 'state', 'owner']) params[k] = q.str(k);
  const body: Record<string, unknown> = { allocations: items };
  const next = nextLink(baseUrl(ctx, deps.settings), 'allocations', items, p.limit, params);
  if (next) body.next = next;
  ctx.body = body;
}

async function create(ctx: ApiContext, deps: RouteDeps) {
  new Query(ctx.query, []);
  const minor = ctx.state.minor;
  const raw = ctx.state.body;
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const b = raw as Record<string, unknown>;
    if (b.node && minor < 58) throw new InvalidInput('Cannot set node when creating an allocation in this API version');
    if (b.owner !== undefined && minor < 60) throw new NotAcceptable('Request not acceptable.');
  }
  const body = validateBody<Record<string, unknown>>(ALLOCATION_CREATE_SCHEMA, raw, 'allocation');
  const traits = (body.traits as string[] | null) ?? [];
  for (const t of traits) checkTrait(t);
  if (body.name !== undefined && body.name !== null) checkAllocationName(String(body.name));
  if (!body.resource_class && !body.node) throw new InvalidInput('The resource_class field is mandatory when not backfilling');
  let candidates: string[] = [];
  const rawCandidates = (body.candidate_nodes as string[] | null) ?? [];
  if (rawCandidates.length) {
    const missing: string[] = [];
    for (const c of rawCandidates) {
      try {
        candidates.push((await deps.db.nodes.getByIdent(c)).uuid);
      } catch (e) {
        if (AnvilError.is(e) && e.status === 404) missing.push(c);
        else throw e;
      }
    }
    if (missing.length) throw new NodeNotFound400(`Nodes cannot be found: ${missing.join(', ')}`);
    candidates = [...new Set(candidates)];
  }
  const values: Partial<AllocationRecord> = {
    name: (body.name as string | null) ?? null,
    resource_class: (body.resource_class as string | null) ?? null,
    traits,
    candidate_nodes: candidates,
    extra: (body.extra as JsonObject | null) ?? {},
    owner: ctx.state.auth?.forceOwner ?? (body.owner as string | null) ?? null,
  };
  if (typeof body.uuid === 'string') values.uuid = body.uuid;
  let alloc: AllocationRecord;
  if (body.node) {
    const ident = String(body.node);
    let node: Awaited<ReturnType<typeof getNode>>;
    try {
      node = await getNode(deps.db, ident, minor, true);
    } catch (e) {
      if (AnvilError.is(e) && e.status === 404) throw new NodeNotFound400(e.message);
      throw e;
    }
    if (!values.resource_class) values.resource_class = node.resource_class;
    alloc = await backfillAllocation(deps.db, values, node);
  } else {
    // As in Ironic a conductor creates the allocation and picks the node in the background (the owner of the
    // first candidate node, else any live conductor); the answer is the allocation in state `allocating`.
    const c = conductorOf(deps);
    if (!c.createAllocation) throw new TemporaryFailure('No conductor is available to process the allocation.');
    const near = candidates.length ? routeOf(await deps.db.nodes.getByUuid(candidates[0])) : null;
    alloc = await c.createAllocation(values, near);
  }
  const base = baseUrl(ctx, deps.settings);
  ctx.status = 201;
  ctx.set('Location', `${base}/v1/allocations/${alloc.uuid}`);
  ctx.body = await render(ctx, deps, alloc, new RefCache(deps.db));
}

async function destroy(deps: RouteDeps, alloc: AllocationRecord) {
  if (alloc.node_id !== null) {
    const node = await deps.db.nodes.get(alloc.node_id).catch(() => null);
    if (node) {
      const refusal = deallocationRefusal(node, alloc.uuid);
      if (refusal) throw new InvalidState(refusal);
      if (node.reservation) throw new NodeLocked(`Node ${node.uuid} is locked by host ${node.reservation}, please retry after the current operation is completed.`);
    }
  }
  await deps.db.allocations.destroy(alloc.uuid);
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  const since = collectionSince(52, 'allocations');
  router.get('/v1/allocations', since, (ctx) => list(ctx, deps));
  router.post('/v1/allocations', since, (ctx) => create(ctx, deps));
  router.get('/v1/allocations/:ident', since, async (ctx) => {
    const fields = new Query(ctx.query, ['fields']).fields();
    checkAllocationFields(fields, ctx.state.minor);
    ctx.body = await render(ctx, deps, await getAllocation(deps.db, ctx.params.ident), new RefCache(deps.db), fields);
  });
  router.patch('/v1/allocations/:ident', since, async (ctx) => {
    if (ctx.state.minor < 57) throw new StatusFault(405, 'The API version does not allow updating allocations');
    new Query(ctx.query, []);
    const ops = parsePatch(ctx.state.body);
    checkAllowedRoots(ops, ['name', 'extra']);
    const a = await getAllocation(deps.db, ctx.params.ident);
    const patched = applyPatch({ name: a.name, extra: a.extra ?? {} }, ops);
    const valid = validateBody<Record<string, unknown>>(ALLOCATION_PATCH_SCHEMA, { name: patched.name ?? null, extra: patched.extra ?? null }, 'allocation');
    if (valid.name !== null && valid.name !== undefined) checkAllocationName(String(valid.name), 'update');
    const updated = await deps.db.allocations.update(a.uuid, { name: (valid.name as string | null) ?? null, extra: (valid.extra as JsonObject | null) ?? {} }, { updateNode: false });
    ctx.body = await render(ctx, deps, updated, new RefCache(deps.db));
  });
  router.delete('/v1/allocations/:ident', since, async (ctx) => {
    new Query(ctx.query, []);
    await destroy(deps, await getAllocation(deps.db, ctx.params.ident));
    ctx.status = 204;
  });
  const nodeAllocation = async (ctx: ApiContext) => {
    // Ironic's GET looks the node up as the list's `node` filter does: a node that does not exist is a 400
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor).catch((e) => {
      throw ctx.method === 'GET' && AnvilError.is(e) && e.status === 404 ? new InvalidParameterValue(e.message) : e;
    });
    if (node.allocation_id === null)
      throw new NotFound(`Allocation for node ${ctx.params.ident} was not found`);
    return deps.db.allocations.get(node.allocation_id);
  };
  const nodeSince = subSince(52); // Ironic: HTTPNotFound for every method under the node
  router.get('/v1/nodes/:ident/allocation', nodeSince, async (ctx) => {
    const fields = new Query(ctx.query, ['fields']).fields();
    checkAllocationFields(fields, ctx.state.minor);
    ctx.body = await render(ctx, deps, await nodeAllocation(ctx), new RefCache(deps.db), fields);
  });
  router.delete('/v1/nodes/:ident/allocation', nodeSince, async (ctx) => {
    new Query(ctx.query, []);
    await destroy(deps, await nodeAllocation(ctx));
    ctx.status = 204;
  });
}
