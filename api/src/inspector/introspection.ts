/**
 * ironic-inspector's introspection endpoints over Anvil's inspection: `POST /v1/introspection/<node>` (manage_boot)
 * records the start and runs the node's `inspect` verb (its inspect interface boots the agent); `GET` status and
 * list (Inspector's fields, derived from the record and the node's provision state); `POST …/abort` (the `abort`
 * verb, error "Canceled by operator"); `GET …/data` (the stored inventory with the processed plugin data, as
 * Inspector's processed data) and `…/data/unprocessed` (what the ramdisk posted); `POST /v1/continue` from the
 * ramdisk: the same lookup, hooks and rules as Ironic's /v1/continue_inspection, answering `{"uuid"}`.
 */
import { AnvilError, type ConductorApi, type JsonObject, type NodeRecord } from '@anvil/sdk';
import type { IntrospectionRecord } from '@anvil/db';
import type { ApiDeps } from '../context.ts';
import { checkInspectionData, findInspectedNode, lookupKeys } from '../routes/continue-inspection.ts';
import { type InspectorContext, InspectorError, type InspectorRouter } from './app.ts';

const VALID_STATES = ['enroll', 'manageable', 'inspecting', 'inspect wait', 'inspect failed'];
const STATES = ['aborting', 'enrolling', 'error', 'finished', 'processing', 'reapplying', 'starting', 'waiting'];
const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const TRUE = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE = ['0', 'f', 'false', 'off', 'n', 'no'];
const MAX_LIMIT = 1000;

export interface IntrospectionStatus {
  uuid: string;
  finished: boolean;
  state: string;
  started_at: string;
  finished_at: string | null;
  error: string | null;
  links: { rel: string; href: string }[];
}

const iso = (d: string | null | undefined) => (d ? d.replace(/\+00:00$/, '') : null);

/**
 * Inspector's status of a node, pure: from the introspection record and the node (null once deleted). In progress
 * while the node is inspecting (starting, or processing once the ramdisk's data is in) or in `inspect wait`
 * (waiting); `inspect failed` is finished with the node's last_error; an abort or a failed start keeps its own error.
 */
export function introspectionStatus(row: IntrospectionRecord, node: Pick<NodeRecord, 'provision_state' | 'last_error' | 'inspection_finished_at' | 'provision_updated_at'> | null, base: string): IntrospectionStatus {
  const links = [{ rel: 'self', href: `${base}/v1/introspection/${row.uuid}` }];
  const out = (state: string, finished: boolean, error: string | null, finishedAt: string | null): IntrospectionStatus => ({
    uuid: row.uuid,
    finished,
    state,
    started_at: iso(row.started_at) as string,
    finished_at: finished ? iso(finishedAt ?? row.updated_at ?? row.started_at) : null,
    error,
    links,
  });
  const ps = node?.provision_state;
  if (ps === 'inspecting') return out(Object.keys(row.unprocessed).length ? 'processing' : 'starting', false, null, null);
  if (ps === 'inspect wait') return out('waiting', false, null, null);
  if (row.error) return out('error', true, row.error, node?.provision_updated_at ?? null);
  if (ps === 'inspect failed') return out('error', true, node?.last_error ?? 'Inspection failed', node?.provision_updated_at ?? null);
  return out('finished', true, null, node?.inspection_finished_at ?? node?.provision_updated_at ?? null);
}

const conductorOf = (deps: ApiDeps) => {
  const c = deps.conductor as ConductorApi | undefined;
  if (!c) throw new InspectorError('No available conductor service', 503);
  return c;
};
const route = (n: NodeRecord) => ({ uuid: n.uuid, driver: n.driver, conductor_group: n.conductor_group });
const base = (ctx: InspectorContext) => `${ctx.protocol}://${ctx.host}`;

async function ironicNode(deps: ApiDeps, ident: string): Promise<NodeRecord> {
  try {
    return await deps.db.nodes.getByIdent(ident);
  } catch (e) {
    if (AnvilError.is(e) && e.status === 404) throw new InspectorError(`Node ${ident} was not found in Ironic`, 404);
    throw e;
  }
}

async function cached(deps: ApiDeps, ident: string): Promise<{ row: IntrospectionRecord; node: NodeRecord | null }> {
  const node = await deps.db.nodes.getByIdent(ident).catch(() => null);
  const row = await deps.db.introspections.find(node?.uuid ?? ident);
  if (!row) throw new InspectorError(`Could not find node ${ident} in cache`, 404);
  return { row, node };
}

function strictBool(v: string): boolean {
  if (TRUE.includes(v.toLowerCase())) return true;
  if (FALSE.includes(v.toLowerCase())) return false;
  throw new InspectorError(`Invalid boolean value for manage_boot: ${v}`, 400);
}

async function start(ctx: InspectorContext, deps: ApiDeps) {
  const manageBoot = strictBool(typeof ctx.query.manage_boot === 'string' ? ctx.query.manage_boot : 'True');
  // Anvil boots the agent through the node's own inspect interface: there is no unmanaged mode here
  if (!manageBoot) throw new InspectorError('Unmanaged boot (manage_boot=False) is not supported by this installation: the node is booted by its inspect interface', 400);
  const node = await ironicNode(deps, ctx.params.node);
  const state = node.provision_state.toLowerCase();
  if (!VALID_STATES.includes(state)) {
    throw new InspectorError(`Invalid provision state for introspection: "${state}", valid states are "[${VALID_STATES.map((s) => `'${s}'`).join(', ')}]"`, 400);
  }
  await deps.db.introspections.start(node.uuid, manageBoot);
  try {
    await conductorOf(deps).doProvisionAction(route(node), 'inspect');
  } catch (err) {
    const msg = (err as Error).message;
    await deps.db.introspections.update(node.uuid, { error: msg });
    throw AnvilError.is(err) && err.status < 500 ? new InspectorError(msg, err.status) : err;
  }
  ctx.status = 202;
  ctx.body = {};
}

async function abort(ctx: InspectorContext, deps: ApiDeps) {
  const { row, node } = await cached(deps, ctx.params.node);
  if (!node || node.provision_state !== 'inspect wait') {
    const state = introspectionStatus(row, node, '').state;
    throw new InspectorError(`Can not process event "abort" from state "${state}"`, 400);
  }
  await conductorOf(deps).doProvisionAction(route(node), 'abort');
  await deps.db.introspections.update(node.uuid, { error: 'Canceled by operator' });
  ctx.status = 202;
  ctx.body = {};
}

async function list(ctx: InspectorContext, deps: ApiDeps) {
  const q = ctx.query;
  const bad = (m: string) => new InspectorError(`Bad request: ${m}`, 400);
  let limit = MAX_LIMIT;
  if (typeof q.limit === 'string') {
    if (!/^-?\d+$/.test(q.limit.trim())) throw bad(`invalid literal for int() with base 10: '${q.limit}'`);
    limit = Number(q.limit) || MAX_LIMIT;
    if (limit < 0) throw bad('Limit cannot be negative');
    if (limit > MAX_LIMIT) throw bad(`Limit over ${MAX_LIMIT}`);
  }
  const marker = typeof q.marker === 'string' ? q.marker : undefined;
  if (marker !== undefined && !UUID_RE.test(marker)) throw bad('Marker not UUID-like');
  const states = typeof q.state === 'string' ? q.state.split(',') : null;
  const invalid = (states ?? []).filter((s) => !STATES.includes(s));
  if (invalid.length) throw bad(`State(s) "${invalid.join(', ')}" are not valid`);
  const rows = await deps.db.introspections.list();
  let from = 0;
  if (marker) {
    from = rows.findIndex((r) => r.uuid === marker) + 1;
    if (from === 0) throw new InspectorError(`Node ${marker} was not found`, 404);
  }
  const out: IntrospectionStatus[] = [];
  for (const row of rows.slice(from)) {
    const node = await deps.db.nodes.getByUuid(row.uuid).catch(() => null);
    const s = introspectionStatus(row, node, base(ctx));
    if (!states || states.includes(s.state)) out.push(s);
    if (out.length >= limit) break;
  }
  ctx.body = { introspection: out };
}

async function data(ctx: InspectorContext, deps: ApiDeps, processed: boolean) {
  if (deps.settings.inventory_data_backend === 'none') {
    throw new InspectorError('Inspector is not configured to store data. Set the [processing]store_data configuration option to change this.', 404);
  }
  const node = await ironicNode(deps, ctx.params.node);
  const missing = () => new InspectorError(`Introspection data not found for node ${node.uuid}, processed=${processed ? 'True' : 'False'}`, 404);
  if (processed) {
    const inv = await deps.db.inventory.get(node.id).catch(() => null);
    if (!inv) throw missing();
    ctx.body = { ...inv.plugin_data, inventory: inv.inventory };
    return;
  }
  const row = await deps.db.introspections.find(node.uuid);
  if (!row || !Object.keys(row.unprocessed).length) throw missing();
  ctx.body = row.unprocessed;
}

/** The ramdisk's data: validated as Ironic's callback, looked up (or discovered), handed to the conductor. */
async function continueIntrospection(ctx: InspectorContext, deps: ApiDeps) {
  const body = ctx.state.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const type = body === null || body === undefined ? 'NoneType' : Array.isArray(body) ? 'list' : typeof body === 'string' ? 'str' : typeof body === 'number' ? (Number.isInteger(body) ? 'int' : 'float') : 'bool';
    throw new InspectorError(`Invalid data: expected a JSON object, got ${type}`, 400);
  }
  let checked: { inventory: JsonObject; pluginData: JsonObject };
  try {
    checked = checkInspectionData(body);
  } catch (e) {
    throw new InspectorError((e as Error).message, 400);
  }
  const { inventory, pluginData } = checked;
  const { macs, bmcs } = lookupKeys(inventory);
  if (!macs.length && !bmcs.length) throw new InspectorError('No lookup attributes were found, inspector won\'t be able to find it after introspection, consider creating ironic ports or providing an IPMI address', 400);
  let node: { uuid: string; driver: string; conductor_group: string };
  try {
    node = await findInspectedNode({ ...deps, maxMinor: 0 }, inventory, pluginData, macs, bmcs);
  } catch (e) {
    if (AnvilError.is(e) && e.status === 404) throw new InspectorError(`Could not find a node for attributes {'bmc_address': [${bmcs.map((b) => `'${b}'`).join(', ')}], 'mac': [${macs.map((m) => `'${m}'`).join(', ')}]}`, 404);
    throw e;
  }
  await deps.db.introspections.update(node.uuid, { unprocessed: body as JsonObject });
  const conductor = conductorOf(deps);
  if (!conductor.continueInspection) throw new InspectorError('No available conductor service', 503);
  await conductor.continueInspection({ uuid: node.uuid, driver: node.driver, conductor_group: node.conductor_group }, inventory, pluginData);
  ctx.body = { uuid: node.uuid };
}

export function register(router: InspectorRouter, deps: ApiDeps): void {
  router.post('/v1/continue', (ctx) => continueIntrospection(ctx as InspectorContext, deps));
  router.get('/v1/introspection', (ctx) => list(ctx as InspectorContext, deps));
  router.post('/v1/introspection/:node', (ctx) => start(ctx as InspectorContext, deps));
  router.get('/v1/introspection/:node', async (ctx) => {
    const { row, node } = await cached(deps, ctx.params.node);
    ctx.body = introspectionStatus(row, node, base(ctx as InspectorContext));
  });
  router.post('/v1/introspection/:node/abort', (ctx) => abort(ctx as InspectorContext, deps));
  router.get('/v1/introspection/:node/data', (ctx) => data(ctx as InspectorContext, deps, true));
  router.get('/v1/introspection/:node/data/unprocessed', (ctx) => data(ctx as InspectorContext, deps, false));
}
