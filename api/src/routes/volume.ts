/**
 * /v1/volume (1.32): the volume root, connectors and targets (list with node filter, detail, fields; show; create;
 * JSON-PATCH; delete), and the read-only views under /v1/nodes/{node}/volume. Updating or deleting a connector or
 * target needs the node powered off (Ironic's conductor rule); under a node only listing is allowed (403).
 */
import Joi from 'joi';
import { AnvilError, Forbidden, InvalidInput, InvalidParameterValue, NodeLocked, InvalidStateRequested, type JsonObject, NotFound } from '@anvil/sdk';
import type { Database, NodeView } from '@anvil/db';
import type { ApiContext, ApiRouter, RouteDeps } from '../context.ts';
import { baseUrl } from '../context.ts';
import { businessSince, checkUuid, subSince } from '../sub-since.ts';
import { linkPair } from '../links.ts';
import { getNode, RefCache } from '../lookup.ts';
import { check } from '../policy/authorize.ts';
import { applyPatch, checkAllowedRoots, parsePatch } from '../patch.ts';
import { nextLink, PAGING_KEYS, paging, Query } from '../query.ts';
import type { FieldTable } from '../render/fields.ts';
import {
  CONNECTOR_DEFAULT_LIST_FIELDS,
  CONNECTOR_FIELDS,
  checkVolumeFields,
  renderConnector,
  renderTarget,
  TARGET_DEFAULT_LIST_FIELDS,
  TARGET_FIELDS,
} from '../render/volume.ts';
import { isUuidLike, jsonObject, uuid, validateBody } from '../validate/common.ts';

export interface Kind {
  /** URL segment and collection key. */
  name: 'connectors' | 'targets';
  label: string;
  table: FieldTable;
  defaults: string[];
  invalidSort: string[];
  schema: Joi.ObjectSchema;
  patchable: string[];
  repo: (db: Database) => {
    getByUuid(u: string): Promise<{ uuid: string; node_id: number } & Record<string, unknown>>;
    list(o: object): Promise<({ uuid: string; node_id: number } & Record<string, unknown>)[]>;
    create(v: object): Promise<{ uuid: string; node_id: number } & Record<string, unknown>>;
    update(u: string, v: object): Promise<{ uuid: string; node_id: number } & Record<string, unknown>>;
    destroy(u: string): Promise<void>;
  };
  render: (r: never, nodeUuid: string | null, base: string, fields?: string[], redact?: boolean) => Record<string, unknown>;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export const KINDS: Kind[] = [
  {
    name: 'connectors',
    label: 'Volume connector',
    table: CONNECTOR_FIELDS,
    defaults: CONNECTOR_DEFAULT_LIST_FIELDS,
    invalidSort: ['extra'],
    // keys in Ironic's schema order, so the first missing required property is reported as jsonschema does
    schema: Joi.object({
      connector_id: Joi.string().min(1).max(255).required(),
      extra: jsonObject().allow(null),
      node_uuid: uuid().required(),
      type: Joi.string().min(1).max(32).required(),
      uuid: uuid().allow(null),
    }).unknown(false),
    patchable: ['connector_id', 'extra', 'node_uuid', 'type'],
    repo: (db) => db.volumeConnectors as unknown as ReturnType<Kind['repo']>,
    render: renderConnector as Kind['render'],
  },
  {
    name: 'targets',
    label: 'Volume target',
    table: TARGET_FIELDS,
    defaults: TARGET_DEFAULT_LIST_FIELDS,
    invalidSort: ['extra', 'properties'],
    schema: Joi.object({
      boot_index: Joi.number().integer().strict().min(INT32_MIN).max(INT32_MAX).required(), // the column is a 32-bit INT
      extra: jsonObject().allow(null),
      node_uuid: uuid().required(),
      properties: jsonObject().allow(null),
      volume_id: Joi.string().min(1).max(36).required(),
      volume_type: Joi.string().min(1).max(64).required(),
      uuid: uuid().allow(null),
    }).unknown(false),
    patchable: ['boot_index', 'extra', 'node_uuid', 'properties', 'volume_id', 'volume_type'],
    repo: (db) => db.volumeTargets as unknown as ReturnType<Kind['repo']>,
    render: renderTarget as Kind['render'],
  },
];

/** Ironic redacts target properties when baremetal:volume:view_target_properties fails (never under noauth). */
const redactFor = (ctx: ApiContext) => {
  const auth = ctx.state.auth;
  return !!auth && !check('baremetal:volume:view_target_properties', {}, auth.creds, auth.policy);
};

async function getOne(kind: Kind, db: Database, ident: string) {
  checkUuid(`${kind.name.slice(0, -1)}_uuid`, ident);
  try {
    return await kind.repo(db).getByUuid(ident);
  } catch (e) {
    if (AnvilError.is(e) && e.status === 404) throw new NotFound(`${kind.label} ${ident} could not be found.`);
    throw e;
  }
}

/** A node named in a body: unknown → 400 as Ironic. */
async function bodyNode(db: Database, ident: string): Promise<NodeView> {
  try {
    return await db.nodes.getByUuid(ident);
  } catch (e) {
    if (AnvilError.is(e) && e.status === 404) throw new InvalidInput(`Invalid input for field/attribute node_uuid. Value: '${ident}'. `);
    throw e;
  }
}

function requireUnlocked(node: NodeView): void {
  if (node.reservation)
    throw new NodeLocked(`Node ${node.uuid} is locked by host ${node.reservation}, please retry after the current operation is completed.`);
}

function requirePoweredOff(node: NodeView, action: string): void {
  if (node.power_state !== 'power off')
    throw new InvalidStateRequested(`The requested action "${action}" can not be performed on node "${node.uuid}" while it is in state "${node.power_state}".`);
}

async function list(ctx: ApiContext, deps: RouteDeps, kind: Kind, detailPath: boolean, parentNode?: string) {
  const minor = ctx.state.minor;
  const keys = [...PAGING_KEYS, ...(parentNode ? [] : ['node']), ...(detailPath ? [] : ['fields', 'detail'])];
  const q = new Query(ctx.query, keys);
  let fields = detailPath ? undefined : q.fields();
  checkVolumeFields(fields, minor, kind.table);
  const detail = detailPath ? true : q.bool('detail');
  if (detail && fields !== undefined) throw new InvalidParameterValue('Can not specify ?detail=True and fields in the same request.');
  if (!detail && fields === undefined) fields = kind.defaults;
  const p = paging(q, kind.invalidSort);
  const filters: Record<string, unknown> = {};
  // under /nodes/{node}/volume Ironic looks the node up by UUID only: a name is "Node <name> could not be found."
  if (parentNode !== undefined && !isUuidLike(parentNode)) throw new NotFound(`Node ${parentNode} could not be found.`);
  const nodeIdent = parentNode ?? q.str('node');
  if (nodeIdent !== undefined) filters.node_id = (await getNode(deps.db, nodeIdent, minor)).id;
  const rows = await kind.repo(deps.db).list({ filters, limit: p.limit, marker: p.marker, sortKey: p.sortKey, sortDir: p.sortDir });
  const refs = new RefCache(deps.db);
  const base = baseUrl(ctx, deps.settings);
  const items = await Promise.all(rows.map(async (r) => kind.render(r as never, await refs.nodeUuid(r.node_id), base, fields, redactFor(ctx))));
  const params: Record<string, string | undefined> = { sort_key: p.sortKey, sort_dir: p.sortDir };
  if (!parentNode && q.has('node')) params.node = q.str('node');
  if (!detailPath && q.has('detail')) params.detail = detail ? 'True' : 'False';
  if (!detailPath && q.has('fields')) params.fields = fields?.join(',');
  const path = parentNode ? `nodes/${parentNode}/volume/${kind.name}` : `volume/${kind.name}`;
  const body: Record<string, unknown> = { [kind.name]: items };
  const next = nextLink(base, detailPath ? `${path}/detail` : path, items, p.limit, params);
  if (next) body.next = next;
  ctx.body = body;
}

function registerKind(router: ApiRouter, deps: RouteDeps, kind: Kind): void {
  const since = subSince(32);
  const base = `/v1/volume/${kind.name}`;
  router.get(base, since, (ctx) => list(ctx, deps, kind, false));
  router.get(`${base}/detail`, since, (ctx) => list(ctx, deps, kind, true));
  router.get(`/v1/nodes/:node/volume/${kind.name}`, since, (ctx) => list(ctx, deps, kind, false, ctx.params.node));
  // Under a node only listing is allowed; as in Ironic the request is validated (and the object looked up)
  // before the 403 OperationNotPermitted.
  const forbidden = () => new Forbidden('Operation not permitted.');
  router.get(`/v1/nodes/:node/volume/${kind.name}/:ident`, since, async (ctx) => {
    await getOne(kind, deps.db, ctx.params.ident);
    throw forbidden();
  });
  router.post(`/v1/nodes/:node/volume/${kind.name}`, since, async (ctx) => {
    validateBody(kind.schema, ctx.state.body, kind.name.slice(0, -1));
    throw forbidden();
  });
  router.patch(`/v1/nodes/:node/volume/${kind.name}/:ident`, since, async (ctx) => {
    parsePatch(ctx.state.body);
    await getOne(kind, deps.db, ctx.params.ident);
    throw forbidden();
  });
  router.delete(`/v1/nodes/:node/volume/${kind.name}/:ident`, since, async (ctx) => {
    await getOne(kind, deps.db, ctx.params.ident);
    throw forbidden();
  });
  router.get(`${base}/:ident`, since, async (ctx) => {
    const fields = new Query(ctx.query, ['fields']).fields();
    checkVolumeFields(fields, ctx.state.minor, kind.table);
    const r = await getOne(kind, deps.db, ctx.params.ident);
    ctx.body = kind.render(r as never, await new RefCache(deps.db).nodeUuid(r.node_id), baseUrl(ctx, deps.settings), fields, redactFor(ctx));
  });
  router.post(base, since, async (ctx) => {
    new Query(ctx.query, []);
    const body = validateBody<Record<string, unknown>>(kind.schema, ctx.state.body, kind.name.slice(0, -1));
    const node = await bodyNode(deps.db, String(body.node_uuid));
    const { node_uuid: _n, uuid: u, ...rest } = body;
    const values: Record<string, unknown> = { ...rest, node_id: node.id, extra: (rest.extra as JsonObject | null) ?? {} };
    if (kind.name === 'targets') values.properties = (rest.properties as JsonObject | null) ?? {};
    if (typeof u === 'string') values.uuid = u;
    const created = await kind.repo(deps.db).create(values);
    const b = baseUrl(ctx, deps.settings);
    ctx.status = 201;
    ctx.set('Location', `${b}/v1/volume/${kind.name}/${created.uuid}`);
    ctx.body = kind.render(created as never, node.uuid, b);
  });
  router.patch(`${base}/:ident`, since, async (ctx) => {
    new Query(ctx.query, []);
    const ops = parsePatch(ctx.state.body);
    checkAllowedRoots(ops, kind.patchable);
    const cur = await getOne(kind, deps.db, ctx.params.ident);
    const refs = new RefCache(deps.db);
    const doc: JsonObject = { node_uuid: await refs.nodeUuid(cur.node_id) };
    for (const k of kind.patchable) if (k !== 'node_uuid') doc[k] = (cur[k] ?? null) as JsonObject[string];
    const patched = applyPatch(doc, ops);
    // a removed (or nulled) dict becomes {} as in Ironic
    for (const k of ['extra', 'properties']) if (kind.patchable.includes(k) && (patched[k] ?? null) === null) patched[k] = {};
    const valid = validateBody<Record<string, unknown>>(kind.schema, patched, kind.name.slice(0, -1));
    const node = await bodyNode(deps.db, String(valid.node_uuid));
    requireUnlocked(node);
    requirePoweredOff(node, `${kind.label.toLowerCase()} update`);
    const { node_uuid: _n, uuid: _u, ...rest } = valid;
    const updated = await kind.repo(deps.db).update(cur.uuid, { ...rest, node_id: node.id });
    ctx.body = kind.render(updated as never, node.uuid, baseUrl(ctx, deps.settings), undefined, redactFor(ctx));
  });
  router.delete(`${base}/:ident`, since, async (ctx) => {
    new Query(ctx.query, []);
    const cur = await getOne(kind, deps.db, ctx.params.ident);
    const node = await deps.db.nodes.get(cur.node_id);
    requireUnlocked(node);
    requirePoweredOff(node, `${kind.label.toLowerCase()} deletion`);
    await kind.repo(deps.db).destroy(cur.uuid);
    ctx.status = 204;
  });
}

function volumeRoot(base: string, prefix: string) {
  return {
    connectors: [linkPair(base, `${prefix}/connectors`)].flat(),
    links: linkPair(base, `${prefix}/`), // Ironic's volume root links end with a slash

    targets: [linkPair(base, `${prefix}/targets`)].flat(),
  };
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  const since = businessSince(32);
  router.get('/v1/volume', since, (ctx) => {
    new Query(ctx.query, []);
    ctx.body = volumeRoot(baseUrl(ctx, deps.settings), 'volume');
  });
  router.get('/v1/nodes/:node/volume', since, async (ctx) => {
    new Query(ctx.query, []);
    await getNode(deps.db, ctx.params.node, ctx.state.minor);
    // links name the node as the request did (Ironic builds them from the URL)
    ctx.body = volumeRoot(baseUrl(ctx, deps.settings), `nodes/${ctx.params.node}/volume`);
  });
  for (const kind of KINDS) registerKind(router, deps, kind);
}
