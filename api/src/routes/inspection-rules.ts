/**
 * /v1/inspection_rules (1.96), as Ironic 39's InspectionRuleController: list (default fields uuid, priority, phase,
 * description; detail, fields, phase), show, create (201 + Location), JSON-PATCH, delete (204). Validation by
 * @anvil/plugin-inspector's validateRule (Ironic's schema + plugin checks → 400). Sensitive rules hide their
 * conditions and actions; links point at /v1/inspection/<uuid> like Ironic's.
 */
import { randomUUID } from 'node:crypto';
import { AnvilError, InvalidInput, InvalidParameterValue, type JsonObject, NotFound, PatchError } from '@anvil/sdk';
import type { Database, InspectionRuleRecord } from '@anvil/db';
import { validateRule } from '@anvil/plugin-inspector';
import type { Middleware } from 'koa';
import type { ApiContext, ApiRouter, ApiState, RouteDeps } from '../context.ts';
import { baseUrl } from '../context.ts';
import { linkPair } from '../links.ts';
import { applyPatch, parsePatch, pyRepr } from '../patch.ts';
import { nextLink, PAGING_KEYS, paging, Query } from '../query.ts';
import { checkFieldsKnown, pick } from '../render/fields.ts';
import { checkUuid, StatusFault } from '../sub-since.ts';

const FIELDS = ['uuid', 'description', 'priority', 'sensitive', 'phase', 'conditions', 'actions', 'created_at', 'updated_at', 'links'];
const DEFAULT_LIST_FIELDS = ['uuid', 'priority', 'phase', 'description'];

const convertActions = (actions: JsonObject[]) => actions.map((a) => (a.loop === undefined ? { op: a.op, args: a.args } : { op: a.op, args: a.args, loop: a.loop }));
const convertConditions = (conditions: JsonObject[]) =>
  conditions.map((c) => {
    const out: JsonObject = { op: c.op, args: c.args };
    if (Array.isArray(c.loop) ? c.loop.length : c.loop) {
      out.loop = c.loop;
      out.multiple = c.multiple ?? 'any';
    }
    return out;
  });

export function renderRule(r: InspectionRuleRecord, base: string, fields?: string[]): Record<string, unknown> {
  return pick(
    {
      uuid: r.uuid,
      created_at: r.created_at,
      updated_at: r.updated_at,
      description: r.description,
      priority: r.priority,
      sensitive: r.sensitive,
      phase: r.phase,
      conditions: r.sensitive ? null : convertConditions(r.conditions),
      actions: r.sensitive ? null : convertActions(r.actions),
      links: linkPair(base, 'inspection', r.uuid),
    },
    fields,
  );
}

async function getRule(db: Database, uuid: string): Promise<InspectionRuleRecord> {
  checkUuid('inspection_rule_uuid', uuid);
  try {
    return await db.inspectionRules.getByUuid(uuid);
  } catch (e) {
    if (AnvilError.is(e) && e.status === 404) throw new NotFound(`Rule ${uuid} could not be found.`);
    throw e;
  }
}

function checked(rule: JsonObject): JsonObject {
  const bad = validateRule(rule);
  if (bad) throw new InvalidInput(bad);
  return rule;
}

async function list(ctx: ApiContext, deps: RouteDeps) {
  const q = new Query(ctx.query, [...PAGING_KEYS, 'fields', 'detail', 'phase']);
  let fields = q.fields();
  checkFieldsKnown(fields, FIELDS);
  const detail = q.bool('detail');
  if (detail && fields !== undefined) throw new InvalidParameterValue('Can not specify ?detail=True and fields in the same request.');
  if (!detail && fields === undefined) fields = DEFAULT_LIST_FIELDS;
  const p = paging(q, ['actions', 'conditions']);
  const phase = q.str('phase');
  const rows = await deps.db.inspectionRules.list({ limit: p.limit, marker: p.marker, sortKey: p.sortKey, sortDir: p.sortDir, filters: phase ? { phase } : undefined });
  const base = baseUrl(ctx, deps.settings);
  const items = rows.map((r) => renderRule(r, base, fields));
  const params: Record<string, string | undefined> = { sort_key: p.sortKey, sort_dir: p.sortDir };
  if (detail !== undefined) params.detail = detail ? 'True' : 'False';
  if (q.has('fields')) params.fields = fields?.join(',');
  const body: Record<string, unknown> = { inspection_rules: items };
  const next = nextLink(base, 'inspection', items, p.limit, params, 'uuid', rows[rows.length - 1]?.uuid);
  if (next) body.next = next;
  ctx.body = body;
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  // Ironic's controller _route: webob HTTPNotFound / HTTPMethodNotAllowed, rendered as faults
  const since: Middleware<ApiState> = async (ctx, next) => {
    if (ctx.state.minor < 96) throw new StatusFault(ctx.method === 'GET' || ctx.method === 'HEAD' ? 404 : 405, 'The API version does not allow inspection rules', 'Client');
    await next();
  };
  router.get('/v1/inspection_rules', since, (ctx) => list(ctx, deps));
  router.get('/v1/inspection_rules/:uuid', since, async (ctx) => {
    const fields = new Query(ctx.query, ['fields']).fields();
    checkFieldsKnown(fields, FIELDS);
    ctx.body = renderRule(await getRule(deps.db, ctx.params.uuid), baseUrl(ctx, deps.settings), fields);
  });
  router.post('/v1/inspection_rules', since, async (ctx) => {
    new Query(ctx.query, []);
    const body = ctx.state.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new InvalidInput('Validation failed for inspection rule: the body must be an object');
    const rule = checked({ ...(body as JsonObject) });
    if (rule.uuid !== undefined && rule.uuid !== null) checkUuid('uuid', String(rule.uuid));
    const created = await deps.db.inspectionRules.create({
      uuid: typeof rule.uuid === 'string' ? rule.uuid : randomUUID(),
      description: (rule.description as string | null) ?? null,
      priority: (rule.priority as number | undefined) ?? 0,
      sensitive: rule.sensitive === true,
      phase: (rule.phase as string | null) ?? 'main',
      conditions: (rule.conditions ?? []) as JsonObject[],
      actions: rule.actions as JsonObject[],
    });
    const base = baseUrl(ctx, deps.settings);
    ctx.status = 201;
    ctx.set('Location', `${base}/v1/inspection_rules/${created.uuid}`);
    ctx.body = renderRule(created, base);
  });
  router.patch('/v1/inspection_rules/:uuid', since, async (ctx) => {
    new Query(ctx.query, []);
    const ops = parsePatch(ctx.state.body);
    const cur = await getRule(deps.db, ctx.params.uuid);
    const unset = ops.find((o) => o.path === '/sensitive' && o.op !== 'remove' && o.value === false);
    if (unset && cur.sensitive) throw new PatchError(`Couldn't apply patch '${pyRepr(ctx.state.body)}'. Reason: Inspection rules cannot have the sensitive flag unset.`);
    const doc: JsonObject = { uuid: cur.uuid, description: cur.description, priority: cur.priority, sensitive: cur.sensitive, phase: cur.phase, conditions: cur.conditions, actions: cur.actions };
    const patched = checked(applyPatch(doc, ops));
    if (patched.uuid !== cur.uuid) throw new InvalidParameterValue('Cannot overwrite UUID for an existing inspection rule.');
    const updated = await deps.db.inspectionRules.update(cur.uuid, {
      description: (patched.description as string | null) ?? null,
      priority: (patched.priority as number | undefined) ?? 0,
      sensitive: patched.sensitive === true,
      phase: (patched.phase as string | null) ?? 'main',
      conditions: (patched.conditions ?? []) as JsonObject[],
      actions: patched.actions as JsonObject[],
    });
    ctx.body = renderRule(updated, baseUrl(ctx, deps.settings));
  });
  router.delete('/v1/inspection_rules/:uuid', since, async (ctx) => {
    new Query(ctx.query, []);
    const cur = await getRule(deps.db, ctx.params.uuid);
    await deps.db.inspectionRules.destroy(cur.uuid);
    ctx.status = 204;
  });
}
