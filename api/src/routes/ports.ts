/** /v1/ports, /v1/nodes/{node}/ports, /v1/portgroups/{pg}/ports: list, detail, show, create, patch, delete. */
import { Forbidden, InvalidParameterValue, InvalidState, NotAcceptable, type Json, type JsonObject, type PortRecord } from '@anvil/sdk';
import type { Values } from '@anvil/db';
import type { ApiContext, ApiRouter, RouteDeps } from '../context.ts';
import { baseUrl } from '../context.ts';
import { routeSince } from '../gates.ts';
import { checkNodeNotLocked, getNode, getPort, getPortByIdent, getPortgroup, RefCache } from '../lookup.ts';
import { applyPatch, checkAllowedRoots, parsePatch, rootOf } from '../patch.ts';
import { nextLink, PAGING_KEYS, paging, Query } from '../query.ts';
import { checkPortFields, PORT_DEFAULT_LIST_FIELDS, renderPort } from '../render/port.ts';
import { checkPortPhysnet } from '../port-physnet.ts';
import { isUuidLike, validateBody } from '../validate/common.ts';
import { checkLocalLinkConnection, checkPortNodeKeys, PORT_BODY_SINCE, PORT_PATCHABLE, PORT_SCHEMA, rejectNewer } from '../validate/port.ts';

const NEW_PORT_FIELDS = ['name', 'description', 'vendor', 'category', 'available_for_dynamic_portgroup'];

const INVALID_SORT_KEYS = ['extra', 'internal_info', 'local_link_connection'];

interface PortListMode {
  detail: boolean;
  url: string;
  nodeIdent?: string;
  portgroupIdent?: string;
}

async function render(ctx: ApiContext, deps: RouteDeps, refs: RefCache, port: PortRecord, fields?: string[]) {
  const [nodeUuid, portgroupUuid] = await Promise.all([refs.nodeUuid(port.node_id), refs.portgroupUuid(port.portgroup_id)]);
  return renderPort(port, { nodeUuid, portgroupUuid }, ctx.state.minor, baseUrl(ctx, deps.settings), fields);
}

async function listPorts(ctx: ApiContext, deps: RouteDeps, mode: PortListMode): Promise<void> {
  const minor = ctx.state.minor;
  const keys = ['node', 'node_uuid', 'address', 'portgroup', 'shard', 'description_contains', 'conductor_groups', ...PAGING_KEYS, ...(mode.detail ? [] : ['fields', 'detail'])];
  const q = new Query(ctx.query, keys);
  if (q.has('portgroup') && minor < 24) throw new NotAcceptable('Request not acceptable.');
  if (q.has('shard') && minor < 82) throw new NotAcceptable('Request not acceptable. The minimal required API version should be 1.82');
  let fields = mode.detail ? undefined : q.fields();
  checkPortFields(fields, minor);
  let detail: boolean | undefined;
  if (!mode.detail && q.has('detail')) {
    detail = q.bool('detail');
    if (minor < 43) throw new InvalidParameterValue(`Invalid query parameter ?detail=${detail ? 'True' : 'False'} received.`);
    if (detail && fields !== undefined) throw new InvalidParameterValue('Can not specify ?detail=True and fields in the same request.');
  }
  if (!(mode.detail || detail) && fields === undefined) fields = PORT_DEFAULT_LIST_FIELDS;
  const p = paging(q, INVALID_SORT_KEYS);
  const filters: Record<string, unknown> = {};
  const nodeIdent = mode.nodeIdent ?? q.str('node') ?? q.str('node_uuid');
  const exclusive = [nodeIdent, q.str('portgroup') ?? mode.portgroupIdent, q.str('shard')].filter((x) => x !== undefined);
  if (exclusive.length > 1) throw new Forbidden('Only one of node, portgroup or shard can be used to filter ports.');
  if (nodeIdent !== undefined) filters.node_id = (await getNode(deps.db, nodeIdent, minor)).id;
  const pgIdent = mode.portgroupIdent ?? q.str('portgroup');
  if (pgIdent !== undefined) filters.portgroup_id = (await getPortgroup(deps.db, pgIdent)).id;
  const shard = q.list('shard');
  if (shard) filters.shard = shard;
  const address = q.str('address');
  if (address !== undefined) filters.address = address.toLowerCase();
  // Ironic 39 takes these at every version (no microversion check)
  const conductorGroups = q.list('conductor_groups');
  if (conductorGroups && (nodeIdent !== undefined || pgIdent !== undefined || address !== undefined))
    throw new InvalidParameterValue('Filtering by conductor_groups cannot be combined with node_ident, portgroup_ident, or node address filters.');
  if (conductorGroups) filters.conductor_group = conductorGroups.map((g) => g.toLowerCase());
  const descriptionContains = q.str('description_contains');
  if (descriptionContains !== undefined) filters.description_contains = descriptionContains;
  const ports: PortRecord[] = await deps.db.ports.list({ filters, limit: p.limit, marker: p.marker, sortKey: p.sortKey, sortDir: p.sortDir });
  const refs = new RefCache(deps.db);
  const items = await Promise.all(ports.map((port) => render(ctx, deps, refs, port, fields)));
  const params: Record<string, string | undefined> = { sort_key: p.sortKey, sort_dir: p.sortDir };
  if (detail !== undefined) params.detail = detail ? 'True' : 'False';
  if (fields !== undefined) params.fields = fields.join(',');
  const body: Record<string, unknown> = { ports: items };
  const next = nextLink(baseUrl(ctx, deps.settings), mode.url, items, p.limit, params, 'uuid', ports.at(-1)?.uuid);
  if (next) body.next = next;
  ctx.body = body;
}

async function nodeForPort(deps: RouteDeps, nodeUuid: string, minor: number, byName = false) {
  try {
    if (!byName && !isUuidLike(nodeUuid)) throw new InvalidParameterValue(`Node ${nodeUuid} could not be found.`);
    return await getNode(deps.db, nodeUuid, minor);
  } catch (e) {
    if ((e as { status?: number }).status === 404) throw new InvalidParameterValue(`Node ${nodeUuid} could not be found.`);
    throw e;
  }
}

async function createPort(ctx: ApiContext, deps: RouteDeps): Promise<void> {
  const minor = ctx.state.minor;
  new Query(ctx.query, []);
  checkPortNodeKeys(ctx.state.body);
  const body = validateBody<Record<string, Json>>(PORT_SCHEMA, ctx.state.body, 'port');
  if (body.node_ident !== undefined && minor < 94) throw new NotAcceptable('Request not acceptable.');
  const node = await nodeForPort(deps, (body.node_ident ?? body.node_uuid) as string, minor, body.node_ident !== undefined);
  rejectNewer(body, PORT_BODY_SINCE, minor);
  // Ironic 39 refuses the 1.88+ keys below their version even when null
  for (const f of NEW_PORT_FIELDS) if (f in body && PORT_BODY_SINCE[f] > minor) throw new NotAcceptable('Request not acceptable.');
  const isSmartnic = body.is_smartnic === true;
  checkLocalLinkConnection(body.local_link_connection as JsonObject | null, isSmartnic, minor);
  const values: Values<PortRecord> = {
    address: body.address as string,
    node_id: node.id,
    extra: (body.extra as JsonObject) ?? {},
    local_link_connection: (body.local_link_connection as JsonObject) ?? {},
    pxe_enabled: body.pxe_enabled === null || body.pxe_enabled === undefined ? true : (body.pxe_enabled as boolean),
    physical_network: (body.physical_network as string | null) ?? null,
    is_smartnic: isSmartnic,
  };
  for (const f of ['name', 'description', 'vendor', 'category'] as const) if (typeof body[f] === 'string') values[f] = body[f] as string;
  if (typeof body.available_for_dynamic_portgroup === 'boolean') values.available_for_dynamic_portgroup = body.available_for_dynamic_portgroup;
  if (typeof body.uuid === 'string') values.uuid = body.uuid;
  if (typeof body.portgroup_uuid === 'string') {
    const pg = await getPortgroup(deps.db, body.portgroup_uuid);
    if (pg.node_id !== node.id) throw new InvalidParameterValue('Port can not be added to a portgroup belonging to a different node.');
    values.portgroup_id = pg.id;
    await checkPortPhysnet(deps.db, pg.id, (body.physical_network as string | null) ?? null);
  }
  const port = await deps.db.ports.create(values);
  const base = baseUrl(ctx, deps.settings);
  ctx.status = 201;
  ctx.set('Location', `${base}/v1/ports/${port.uuid}`);
  ctx.body = await render(ctx, deps, new RefCache(deps.db), port);
}

async function updatePort(ctx: ApiContext, deps: RouteDeps, ident: string): Promise<void> {
  const minor = ctx.state.minor;
  new Query(ctx.query, []);
  const ops = parsePatch(ctx.state.body);
  checkAllowedRoots(ops, PORT_PATCHABLE);
  // Ironic 39 checks only the pre-1.88 fields on PATCH (name, description, vendor, ... are writable at any version)
  for (const [f, since] of Object.entries(PORT_BODY_SINCE))
    if (since > minor && !NEW_PORT_FIELDS.includes(f) && ops.some((o) => rootOf(o.path) === f)) throw new NotAcceptable('Request not acceptable.');
  const port = await getPortByIdent(deps.db, ident);
  const refs = new RefCache(deps.db);
  const before: JsonObject = {
    address: port.address,
    extra: port.extra ?? {},
    is_smartnic: port.is_smartnic,
    local_link_connection: port.local_link_connection ?? {},
    node_uuid: await refs.nodeUuid(port.node_id),
    physical_network: port.physical_network,
    portgroup_uuid: await refs.portgroupUuid(port.portgroup_id),
    pxe_enabled: port.pxe_enabled,
    name: port.name ?? null,
    description: port.description ?? null,
    vendor: port.vendor ?? null,
    category: port.category ?? null,
    available_for_dynamic_portgroup: port.available_for_dynamic_portgroup ?? true,
  };
  const patched = applyPatch(before, ops);
  const clean: JsonObject = {};
  for (const [k, v] of Object.entries(patched)) if (v !== null) clean[k] = v;
  const valid = validateBody<Record<string, Json>>(PORT_SCHEMA, clean, 'port');
  const changed = new Set(PORT_PATCHABLE.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(patched[f])));
  const node = await nodeForPort(deps, String(valid.node_uuid), minor);
  const current = port.node_id === node.id ? node : await deps.db.nodes.get(port.node_id);
  await checkNodeNotLocked(deps.db, current.id);
  if (minor >= 39 && current.provision_state === 'inspecting')
    throw new InvalidState(`Port ${port.uuid} can not be updated while node ${current.uuid} is being inspected.`);
  if (changed.has('address') && !current.maintenance && (current.provision_state === 'active' || current.instance_uuid))
    throw new InvalidState(`Cannot update the address of port ${port.uuid}: node ${current.uuid} is active or has an instance associated.`);
  // Ironic gates network_type (1.64) in a PATCH only when an op names /local_link_connection/network_type itself
  const llcMinor = ops.some((o) => o.path === '/local_link_connection/network_type') ? minor : Math.max(minor, 64);
  checkLocalLinkConnection(valid.local_link_connection as JsonObject | null, valid.is_smartnic === true, llcMinor);
  // Ironic's conductor (update_port, on the port's node after the patch): connectivity attributes change only in
  // enroll / inspecting / inspect wait / manageable or in maintenance.
  const connectivity = ['portgroup_uuid', 'pxe_enabled', 'local_link_connection', 'physical_network'];
  const allowed = ['enroll', 'inspecting', 'inspect wait', 'manageable'];
  if (connectivity.some((f) => changed.has(f)) && !(allowed.includes(node.provision_state) || node.maintenance))
    throw new InvalidState(
      `Port ${port.uuid} can not have any connectivity attributes (portgroup_id, pxe_enabled, local_link_connection, physical_network) updated unless node ${node.uuid} is in a ${allowed.join(', ')} state or in maintenance mode. The current state is ${node.provision_state}.`,
    );
  const values: Values<PortRecord> = {};
  if (changed.has('address')) values.address = valid.address as string;
  if (changed.has('extra')) values.extra = (valid.extra as JsonObject) ?? {};
  if (changed.has('is_smartnic')) values.is_smartnic = valid.is_smartnic === true;
  if (changed.has('local_link_connection')) values.local_link_connection = (valid.local_link_connection as JsonObject) ?? {};
  if (changed.has('physical_network')) values.physical_network = (valid.physical_network as string) ?? null;
  if (changed.has('pxe_enabled')) values.pxe_enabled = valid.pxe_enabled !== false;
  if (changed.has('node_uuid')) values.node_id = node.id;
  for (const f of ['name', 'description', 'vendor', 'category'] as const) if (changed.has(f)) values[f] = (valid[f] as string | undefined) ?? null;
  if (changed.has('available_for_dynamic_portgroup')) values.available_for_dynamic_portgroup = valid.available_for_dynamic_portgroup !== false;
  if (changed.has('portgroup_uuid') || changed.has('node_uuid')) {
    if (typeof valid.portgroup_uuid === 'string') {
      const pg = await getPortgroup(deps.db, valid.portgroup_uuid);
      if (pg.node_id !== node.id) throw new InvalidParameterValue('Port can not be added to a portgroup belonging to a different node.');
      values.portgroup_id = pg.id;
    } else values.portgroup_id = null;
  }
  const portgroupId = values.portgroup_id === undefined ? port.portgroup_id : values.portgroup_id;
  if (portgroupId && (changed.has('portgroup_uuid') || changed.has('node_uuid') || changed.has('physical_network')))
    await checkPortPhysnet(deps.db, portgroupId, (valid.physical_network as string | undefined) ?? null, port.id);
  const updated = Object.keys(values).length ? await deps.db.ports.update(port.uuid, values) : port;
  ctx.body = await render(ctx, deps, new RefCache(deps.db), updated);
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  router.get('/v1/ports', (ctx) => listPorts(ctx, deps, { detail: false, url: 'ports' }));
  router.get('/v1/ports/detail', (ctx) => listPorts(ctx, deps, { detail: true, url: 'ports/detail' }));
  router.post('/v1/ports', (ctx) => createPort(ctx, deps));
  router.get('/v1/ports/:ident', async (ctx) => {
    const q = new Query(ctx.query, ['fields']);
    const fields = q.fields();
    const port = await getPortByIdent(deps.db, ctx.params.ident); // Ironic 39: the lookup comes before fields checks
    checkPortFields(fields, ctx.state.minor);
    ctx.body = await render(ctx, deps, new RefCache(deps.db), port, fields);
  });
  router.patch('/v1/ports/:ident', (ctx) => updatePort(ctx, deps, ctx.params.ident));
  router.delete('/v1/ports/:ident', async (ctx) => {
    new Query(ctx.query, []);
    const port = await getPort(deps.db, ctx.params.ident);
    await checkNodeNotLocked(deps.db, port.node_id);
    await deps.db.ports.destroy(port.uuid);
    ctx.status = 204;
  });
  router.get('/v1/nodes/:node/ports', (ctx) =>
    listPorts(ctx, deps, { detail: false, url: `nodes/${ctx.params.node}/ports`, nodeIdent: ctx.params.node }),
  );
  router.get('/v1/nodes/:node/ports/detail', (ctx) =>
    listPorts(ctx, deps, { detail: true, url: `nodes/${ctx.params.node}/ports/detail`, nodeIdent: ctx.params.node }),
  );
  router.get('/v1/portgroups/:pg/ports', routeSince(24), (ctx) =>
    listPorts(ctx, deps, { detail: false, url: `portgroups/${ctx.params.pg}/ports`, portgroupIdent: ctx.params.pg }),
  );
  router.get('/v1/portgroups/:pg/ports/detail', routeSince(24), (ctx) =>
    listPorts(ctx, deps, { detail: true, url: `portgroups/${ctx.params.pg}/ports/detail`, portgroupIdent: ctx.params.pg }),
  );
}
