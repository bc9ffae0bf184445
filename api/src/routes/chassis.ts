/** /v1/chassis: list, detail, show, create, patch, delete (nodes of a chassis are in routes/nodes.ts). */
import Joi from 'joi';
import { ChassisNotEmpty, InvalidParameterValue, type Json, type JsonObject, type ChassisRecord } from '@anvil/sdk';
import type { ApiContext, ApiRouter, RouteDeps } from '../context.ts';
import { baseUrl } from '../context.ts';
import { getChassis } from '../lookup.ts';
import { applyPatch, checkAllowedRoots, parsePatch } from '../patch.ts';
import { nextLink, PAGING_KEYS, paging, Query } from '../query.ts';
import { CHASSIS_DEFAULT_LIST_FIELDS, checkChassisFields, renderChassis } from '../render/chassis.ts';
import { jsonObject, uuid, validateBody } from '../validate/common.ts';

export const CHASSIS_SCHEMA = Joi.object({
  description: Joi.string().max(255).allow(null),
  extra: jsonObject().allow(null),
  uuid: uuid().allow(null),
}).unknown(false);

async function listChassis(ctx: ApiContext, deps: RouteDeps, detailPath: boolean) {
  const minor = ctx.state.minor;
  const q = new Query(ctx.query, [...PAGING_KEYS, ...(detailPath ? [] : ['fields', 'detail'])]);
  let fields = detailPath ? undefined : q.fields();
  checkChassisFields(fields, minor);
  let detail: boolean | undefined;
  if (!detailPath && q.has('detail')) {
    detail = q.bool('detail');
    if (minor < 43) throw new InvalidParameterValue(`Invalid query parameter ?detail=${detail ? 'True' : 'False'} received.`);
    if (detail && fields !== undefined) throw new InvalidParameterValue('Can not specify ?detail=True and fields in the same request.');
  }
  if (!(detailPath || detail) && fields === undefined) fields = CHASSIS_DEFAULT_LIST_FIELDS;
  const p = paging(q, ['extra']);
  const list: ChassisRecord[] = await deps.db.chassis.list({ limit: p.limit, marker: p.marker, sortKey: p.sortKey, sortDir: p.sortDir });
  const base = baseUrl(ctx, deps.settings);
  const items = list.map((c) => renderChassis(c, base, fields));
  const params: Record<string, string | undefined> = { sort_key: p.sortKey, sort_dir: p.sortDir };
  if (detail !== undefined) params.detail = detail ? 'True' : 'False';
  if (fields !== undefined) params.fields = fields.join(',');
  const body: Record<string, unknown> = { chassis: items };
  const next = nextLink(base, detailPath ? 'chassis/detail' : 'chassis', items, p.limit, params, 'uuid', list.at(-1)?.uuid);
  if (next) body.next = next;
  ctx.body = body;
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  router.get('/v1/chassis', (ctx) => listChassis(ctx, deps, false));
  router.get('/v1/chassis/detail', (ctx) => listChassis(ctx, deps, true));
  router.get('/v1/chassis/:ident', async (ctx) => {
    const fields = new Query(ctx.query, ['fields']).fields();
    checkChassisFields(fields, ctx.state.minor);
    ctx.body = renderChassis(await getChassis(deps.db, ctx.params.ident), baseUrl(ctx, deps.settings), fields);
  });
  router.post('/v1/chassis', async (ctx) => {
    new Query(ctx.query, []);
    const body = validateBody<Record<string, Json>>(CHASSIS_SCHEMA, ctx.state.body, 'chassis');
    const values: Partial<ChassisRecord> = { description: (body.description as string | null) ?? null, extra: (body.extra as JsonObject) ?? {} };
    if (typeof body.uuid === 'string') values.uuid = body.uuid;
    const ch = await deps.db.chassis.create(values);
    const base = baseUrl(ctx, deps.settings);
    ctx.status = 201;
    ctx.set('Location', `${base}/v1/chassis/${ch.uuid}`);
    ctx.body = renderChassis(ch, base);
  });
  router.patch('/v1/chassis/:ident', async (ctx) => {
    new Query(ctx.query, []);
    const ops = parsePatch(ctx.state.body);
    checkAllowedRoots(ops, ['description', 'extra']);
    const ch = await getChassis(deps.db, ctx.params.ident);
    const before: JsonObject = { description: ch.description, extra: ch.extra ?? {} };
    const patched = applyPatch(before, ops);
    const valid = validateBody<Record<string, Json>>(CHASSIS_SCHEMA, { description: patched.description ?? null, extra: patched.extra ?? null }, 'chassis');
    const updated = await deps.db.chassis.update(ch.uuid, { description: (valid.description as string | null) ?? null, extra: (valid.extra as JsonObject) ?? {} });
    ctx.body = renderChassis(updated, baseUrl(ctx, deps.settings));
  });
  router.delete('/v1/chassis/:ident', async (ctx) => {
    new Query(ctx.query, []);
    const ch = await getChassis(deps.db, ctx.params.ident);
    const nodes = await deps.db.nodes.list({ filters: { chassis_id: ch.id }, limit: 1 });
    if (nodes.length) throw new ChassisNotEmpty(`Cannot complete the requested action because chassis ${ch.uuid} contains nodes.`);
    await deps.db.chassis.destroy(ch.uuid);
    ctx.status = 204;
  });
}
