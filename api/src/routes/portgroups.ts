/** /v1/portgroups (1.23) and /v1/nodes/{node}/portgroups (1.24): list, detail, show, create, patch, delete. */
import { InvalidParameterValue, InvalidState, NotAcceptable, PortgroupNotEmpty, type Json, type JsonObject, type PortgroupRecord } from '@anvil/sdk';
import type { Values } from '@anvil/db';
import type { ApiContext, ApiRouter, RouteDeps } from '../context.ts';
import { baseUrl } from '../context.ts';
import { routeSince } from '../gates.ts';
import { checkNodeNotLocked, getNode, getPortgroup, RefCache } from '../lookup.ts';
import { applyPatch, checkAllowedRoots, parsePatch, rootOf } from '../patch.ts';
import { nextLink, PAGING_KEYS, paging, Query } from '../query.ts';
import { checkPortgroupFields, PORTGROUP_DEFAULT_LIST_FIELDS, renderPortgroup } from '../render/portgroup.ts';
import { isUuidLike, validateBody } from '../validate/common.ts';
import { PORTGROUP_BODY_SINCE, PORTGROUP_PATCHABLE, PORTGROUP_SCHEMA, rejectNewer } from '../validate/port.ts';

const INVALID_SORT_KEYS = ['extra', 'internal_info', 'properties'];

async function render(ctx: ApiContext, deps: RouteDeps, refs: RefCache, pg: PortgroupRecord, fields?: string[]) {
  return renderPortgroup(pg, await refs.nodeUuid(pg.node_id), ctx.state.minor, baseUrl(ctx, deps.settings), fields);
}

async function listPortgroups(ctx: ApiContext, deps: RouteDeps, detailPath: boolean, url: string, nodeIdent?: string) {
  const minor = ctx.state.minor;
  const q = new Query(ctx.query, ['node', 'address', 'shard', 'conductor_groups', ...PAGING_KEYS, ...(detailPath ? [] : ['fields', 'detail'])]);
  let fields = detailPath ? undefined : q.fields();
  checkPortgroupFields(fields, minor);
  let detail: boolean | undefined;
  if (!detailPath && q.has('detail')) {
    detail = q.bool('detail');
    if (minor < 43) throw new InvalidParameterValue(`Invalid query parameter ?detail=${detail ? 'True' : 'False'} received.`);
    if (detail && fields !== undefined) throw new InvalidParameterValue('Can not specify ?detail=True and fields in the same request.');
  }
  if (!(detailPath || detail) && fields === undefined) fields = PORTGROUP_DEFAULT_LIST_FIELDS;
  const p = paging(q, INVALID_SORT_KEYS);
  const filters: Record<string, unknown> = {};
  const node = nodeIdent ?? q.str('node');
  const address = q.str('address');
  const shard = q.list('shard');
  if (shard !== undefined && minor < 106) throw new NotAcceptable('Request not acceptable. The minimal required API version should be 1.106');
  const conductorGroups = q.list('conductor_groups'); // Ironic 39: no microversion check
  if ([node, address, shard, conductorGroups].filter((x) => x !== undefined && x.length > 0).length > 1)
    throw new InvalidParameterValue('Filtering by node, address, or shard simultaneously is not supported.');
  if (node !== undefined) filters.node_id = (await getNode(deps.db, node, minor)).id;
  if (address !== undefined) filters.address = address.toLowerCase();
  if (shard?.length) filters.shard = shard;
  if (conductorGroups?.length) filters.conductor_group = conductorGroups.map((g) => g.toLowerCase());
  const pgs: PortgroupRecord[] = await deps.db.portgroups.list({ filters, limit: p.limit, marker: p.marker, sortKey: p.sortKey, sortDir: p.sortDir });
  const refs = new RefCache(deps.db);
  const items = await Promise.all(pgs.map((pg) => render(ctx, deps, refs, pg, fields)));
  const params: Record<string, string | undefined> = { sort_key: p.sortKey, sort_dir: p.sortDir };
  if (detail !== undefined) params.detail = detail ? 'True' : 'False';
  if (fields !== undefined) params.fields = fields.join(',');
  const body: Record<string, unknown> = { portgroups: items };
  const next = nextLink(baseUrl(ctx, deps.settings), url, items, p.limit, params, 'uuid', pgs.at(-1)?.uuid);
  if (next) body.next = next;
  ctx.body = body;
}

async function nodeFor(deps: RouteDeps, ident: string, minor: number) {
  try {
    if (!isUuidLike(ident)) throw new InvalidParameterValue(`Node ${ident} could not be found.`);
    return await getNode(deps.db, ident, minor);
  } catch (e) {
    if ((e as { status?: number }).status === 404) throw new InvalidParameterValue(`Node ${ident} could not be found.`);
    throw e;
  }
}

function checkName(name: Json | undefined): void {
  if (typeof name === 'string' && isUuidLike(name)) throw new InvalidParameterValue(`Expected a logical name but received ${name}.`);
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  const since = routeSince(23, 'resource');
  router.get('/v1/portgroups', since, (ctx) => listPortgroups(ctx, deps, false, 'portgroups'));
  router.get('/v1/portgroups/detail', since, (ctx) => listPortgroups(ctx, deps, true, 'portgroups/detail'));
  router.get('/v1/nodes/:node/portgroups', routeSince(24), (ctx) =>
    listPortgroups(ctx, deps, false, `nodes/${ctx.params.node}/portgroups`, ctx.params.node),
  );
  router.get('/v1/nodes/:node/portgroups/detail', routeSince(24), (ctx) =>
    listPortgroups(ctx, deps, true, `nodes/${ctx.params.node}/portgroups/detail`, ctx.params.node),
  );
  router.get('/v1/portgroups/:ident', since, async (ctx) => {
    const fields = new Query(ctx.query, ['fields']).fields();
    checkPortgroupFields(fields, ctx.state.minor);
    const pg = await getPortgroup(deps.db, ctx.params.ident);
    ctx.body = await render(ctx, deps, new RefCache(deps.db), pg, fields);
  });
  router.post('/v1/portgroups', since, async (ctx) => {
    const minor = ctx.state.minor;
    new Query(ctx.query, []);
    const body = validateBody<Record<string, Json>>(PORTGROUP_SCHEMA, ctx.state.body, 'portgroup');
    rejectNewer(body, PORTGROUP_BODY_SINCE, minor);
    checkName(body.name);
    const node = await nodeFor(deps, body.node_uuid as string, minor);
    const values: Values<PortgroupRecord> = {
      node_id: node.id,
      name: (body.name as string | null) ?? null,
      address: (body.address as string | null) ?? null,
      extra: (body.extra as JsonObject) ?? {},
      standalone_ports_supported: body.standalone_ports_supported !== false,
      mode: (body.mode as string | null) ?? ((deps.settings.default_portgroup_mode as string | undefined) ?? 'active-backup'),
      properties: (body.properties as JsonObject) ?? {},
      physical_network: (body.physical_network as string | null) ?? null,
      category: (body.category as string | null) ?? null,
    };
    if (typeof body.uuid === 'string') values.uuid = body.uuid;
    const pg = await deps.db.portgroups.create(values);
    const base = baseUrl(ctx, deps.settings);
    ctx.status = 201;
    ctx.set('Location', `${base}/v1/portgroups/${pg.uuid}`);
    ctx.body = await render(ctx, deps, new RefCache(deps.db), pg);
  });
  router.patch('/v1/portgroups/:ident', since, async (ctx) => {
    const minor = ctx.state.minor;
    new Query(ctx.query, []);
    const ops = parsePatch(ctx.state.body);
    checkAllowedRoots(ops, PORTGROUP_PATCHABLE);
    // Ironic 21.4 (api_utils.is_path_updated) looks at the first operation only: mode/properties changed by a later
    // operation pass at any version (tempest's test_update_portgroup_add relies on it at 1.23)
    const first = ops[0] ? rootOf(ops[0].path) : undefined;
    if (first !== undefined && (PORTGROUP_BODY_SINCE[first] ?? 0) > minor) throw new NotAcceptable('Request not acceptable.');
    if (ops.some((o) => o.op === 'remove' && o.path === '/mode')) throw new InvalidParameterValue("'mode' is a required property and can not be removed");
    const pg = await getPortgroup(deps.db, ctx.params.ident);
    await checkNodeNotLocked(deps.db, pg.node_id);
    const refs = new RefCache(deps.db);
    const before: JsonObject = {
      address: pg.address, extra: pg.extra ?? {}, mode: pg.mode, name: pg.name, node_uuid: await refs.nodeUuid(pg.node_id),
      properties: pg.properties ?? {}, standalone_ports_supported: pg.standalone_ports_supported,
      physical_network: pg.physical_network ?? null, category: pg.category ?? null,
    };
    const patched = applyPatch(before, ops);
    const clean: JsonObject = {};
    for (const [k, v] of Object.entries(patched)) if (v !== null) clean[k] = v;
    const valid = validateBody<Record<string, Json>>(PORTGROUP_SCHEMA, clean, 'portgroup');
    checkName(valid.name);
    const changed = PORTGROUP_PATCHABLE.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(patched[f]));
    const values: Record<string, unknown> = {};
    const current = await deps.db.nodes.get(pg.node_id);
    if (minor >= 39 && current.provision_state === 'inspecting')
      throw new InvalidState(`Portgroup ${pg.uuid} can not be updated while node ${current.uuid} is being inspected.`);
    for (const f of changed) {
      if (f === 'node_uuid') {
        // Ironic's conductor (update_portgroup): moving to another node needs that node in enroll / inspecting /
        // inspect wait / manageable or maintenance, and a portgroup without ports
        const target = await nodeFor(deps, String(valid.node_uuid), minor);
        const allowed = ['enroll', 'inspecting', 'inspect wait', 'manageable'];
        if (!allowed.includes(target.provision_state) && !target.maintenance)
          throw new InvalidState(
            `Portgroup ${pg.uuid} can not be associated to node ${target.uuid} unless the node is in a ${allowed.join(', ')} state or in maintenance mode.`,
          );
        if ((await deps.db.ports.list({ filters: { portgroup_id: pg.id }, limit: 1 })).length)
          throw new PortgroupNotEmpty(
            `Portgroup ${pg.uuid} can not be associated with node ${target.uuid} because there are ports associated with this portgroup.`,
          );
        values.node_id = target.id;
      }
      else if (f === 'extra' || f === 'properties') values[f] = valid[f] ?? {};
      else if (f === 'standalone_ports_supported') values[f] = valid[f] !== false;
      else values[f] = valid[f] ?? null;
    }
    const updated = Object.keys(values).length ? await deps.db.portgroups.update(pg.uuid, values as Values<PortgroupRecord>) : pg;
    // Ironic 39 (update_portgroup_physical_network): the member ports take the portgroup's new physical_network
    if (changed.includes('physical_network'))
      for (const port of await deps.db.ports.list({ filters: { portgroup_id: pg.id } }))
        await deps.db.ports.update(port.uuid, { physical_network: (valid.physical_network as string | undefined) ?? null });
    ctx.body = await render(ctx, deps, new RefCache(deps.db), updated);
  });
  router.delete('/v1/portgroups/:ident', since, async (ctx) => {
    new Query(ctx.query, []);
    const pg = await getPortgroup(deps.db, ctx.params.ident);
    await checkNodeNotLocked(deps.db, pg.node_id);
    const ports = await deps.db.ports.list({ filters: { portgroup_id: pg.id }, limit: 1 });
    if (ports.length) throw new PortgroupNotEmpty(`Cannot complete the requested action because portgroup ${pg.uuid} contains ports.`);
    await deps.db.portgroups.destroy(pg.uuid);
    ctx.status = 204;
  });
}
