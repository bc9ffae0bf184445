/**
 * ironic-inspector's `/v1/rules`: list (short form: uuid, description, scope, links), create (its checks and texts;
 * 201 from 1.6, 200 before), show, delete one, delete all. Rules are kept in Inspector's format and run by the
 * conductor after Ironic's inspection rules (@anvil/plugin-inspector's applyInspectorRules).
 */
import { randomUUID } from 'node:crypto';
import { AnvilError, type JsonObject } from '@anvil/sdk';
import type { InspectorRuleRecord } from '@anvil/db';
import { validateInspectorRule } from '@anvil/plugin-inspector';
import type { ApiDeps } from '../context.ts';
import { type InspectorContext, InspectorError, type InspectorRouter } from './app.ts';

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export function ruleRepr(r: InspectorRuleRecord, short: boolean): JsonObject {
  const out: JsonObject = { uuid: r.uuid, description: r.description, scope: r.scope };
  if (!short) {
    out.conditions = r.conditions;
    out.actions = r.actions;
  }
  out.links = [{ href: `/v1/rules/${r.uuid}`, rel: 'self' }];
  return out;
}

async function getRule(deps: ApiDeps, uuid: string): Promise<InspectorRuleRecord> {
  try {
    return await deps.db.inspectorRules.getByUuid(uuid);
  } catch (e) {
    if (AnvilError.is(e) && e.status === 404) throw new InspectorError(`Rule ${uuid} was not found`, 404);
    throw e;
  }
}

async function create(ctx: InspectorContext, deps: ApiDeps) {
  const body = ctx.state.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InspectorError('Invalid data: expected a JSON object', 400);
  const b = body as JsonObject;
  if (b.uuid && !UUID_RE.test(String(b.uuid))) throw new InspectorError('Invalid UUID value', 400);
  if (b.scope && String(b.scope).length > 255) throw new InspectorError('Invalid scope: the length of the scope should be within 255 characters', 400);
  const checked = validateInspectorRule(b);
  if ('error' in checked) throw new InspectorError(checked.error, 400);
  const uuid = typeof b.uuid === 'string' && b.uuid ? b.uuid : randomUUID();
  let created: InspectorRuleRecord;
  try {
    created = await deps.db.inspectorRules.create({ uuid, ...checked.rule });
  } catch (e) {
    if (AnvilError.is(e) && e.status === 409) throw new InspectorError(`Rule with UUID ${uuid} already exists`, 409);
    throw e;
  }
  const [major, minor] = ctx.state.version;
  ctx.status = major === 1 && minor < 6 ? 200 : 201;
  ctx.body = ruleRepr(created, false);
}

export function register(router: InspectorRouter, deps: ApiDeps): void {
  router.get('/v1/rules', async (ctx) => {
    ctx.body = { rules: (await deps.db.inspectorRules.list()).map((r) => ruleRepr(r, true)) };
  });
  router.post('/v1/rules', (ctx) => create(ctx as InspectorContext, deps));
  router.delete('/v1/rules', async (ctx) => {
    await deps.db.inspectorRules.destroyAll();
    ctx.status = 204;
  });
  router.get('/v1/rules/:uuid', async (ctx) => {
    ctx.body = ruleRepr(await getRule(deps, ctx.params.uuid), false);
  });
  router.delete('/v1/rules/:uuid', async (ctx) => {
    await getRule(deps, ctx.params.uuid);
    await deps.db.inspectorRules.destroy(ctx.params.uuid);
    ctx.status = 204;
  });
}
