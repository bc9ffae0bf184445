/** /v1/deploy_templates (1.55): list (detail, fields), show by UUID or name, create, JSON-PATCH, delete. */
import { AnvilError, type DeployTemplateRecord, InvalidParameterValue, type JsonObject, NotFound } from '@anvil/sdk';
import type { Database } from '@anvil/db';
import type { ApiContext, ApiRouter, RouteDeps } from '../context.ts';
import { baseUrl } from '../context.ts';
import { collectionSince } from '../sub-since.ts';
import { applyPatch, checkAllowedRoots, parsePatch } from '../patch.ts';
import { nextLink, PAGING_KEYS, paging, Query } from '../query.ts';
import {
  checkDeployTemplateFields,
  DEPLOY_TEMPLATE_DEFAULT_LIST_FIELDS,
  DEPLOY_TEMPLATE_INVALID_SORT_KEYS,
  renderDeployTemplate,
} from '../render/deploy-template.ts';
import { LOGICAL_NAME_RE } from '../validate/common.ts';
import { checkUuidOrName, StatusFault } from '../sub-since.ts';
import { validateDeployTemplate } from '../validate/deploy-template.ts';

export async function getDeployTemplate(db: Database, ident: string): Promise<DeployTemplateRecord> {
  checkUuidOrName('template_ident', ident);
  try {
    return await db.deployTemplates.getByIdent(ident);
  } catch (e) {
    if (AnvilError.is(e) && e.status === 404) throw new NotFound(`Deploy template ${ident} could not be found.`);
    throw e;
  }
}

async function list(ctx: ApiContext, deps: RouteDeps) {
  const minor = ctx.state.minor;
  const q = new Query(ctx.query, [...PAGING_KEYS, 'fields', 'detail']);
  let fields = q.fields();
  checkDeployTemplateFields(fields, minor);
  const detail = q.bool('detail');
  if (detail && fields !== undefined) throw new InvalidParameterValue('Can not specify ?detail=True and fields in the same request.');
  if (!detail && fields === undefined) fields = DEPLOY_TEMPLATE_DEFAULT_LIST_FIELDS;
  const marker = q.str('marker');
  if (marker !== undefined && !LOGICAL_NAME_RE.test(marker)) throw new StatusFault(400, `Expected name for marker: ${marker}`, 'InvalidParameterValue');
  const p = paging(q, DEPLOY_TEMPLATE_INVALID_SORT_KEYS, false);
  const rows = await deps.db.deployTemplates.list({ limit: p.limit, marker: p.marker, sortKey: p.sortKey, sortDir: p.sortDir });
  const base = baseUrl(ctx, deps.settings);
  const items = rows.map((t) => renderDeployTemplate(t, base, fields));
  const params: Record<string, string | undefined> = { sort_key: p.sortKey, sort_dir: p.sortDir };
  if (detail !== undefined) params.detail = detail ? 'True' : 'False';
  if (q.has('fields')) params.fields = fields?.join(',');
  const body: Record<string, unknown> = { deploy_templates: items };
  const next = nextLink(base, 'deploy_templates', items, p.limit, params);
  if (next) body.next = next;
  ctx.body = body;
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  const since = collectionSince(55, 'deploy templates');
  router.get('/v1/deploy_templates', since, (ctx) => list(ctx, deps));
  router.get('/v1/deploy_templates/:ident', since, async (ctx) => {
    const fields = new Query(ctx.query, ['fields']).fields();
    checkDeployTemplateFields(fields, ctx.state.minor);
    ctx.body = renderDeployTemplate(await getDeployTemplate(deps.db, ctx.params.ident), baseUrl(ctx, deps.settings), fields);
  });
  router.post('/v1/deploy_templates', since, async (ctx) => {
    new Query(ctx.query, []);
    const body = validateDeployTemplate(ctx.state.body);
    const t = await deps.db.deployTemplates.create(body);
    const base = baseUrl(ctx, deps.settings);
    ctx.status = 201;
    ctx.set('Location', `${base}/v1/deploy_templates/${t.uuid}`);
    ctx.body = renderDeployTemplate(t, base);
  });
  router.patch('/v1/deploy_templates/:ident', since, async (ctx) => {
    new Query(ctx.query, []);
    const ops = parsePatch(ctx.state.body);
    checkAllowedRoots(ops, ['extra', 'name', 'steps']);
    const t = await getDeployTemplate(deps.db, ctx.params.ident);
    const doc: JsonObject = {
      name: t.name,
      extra: t.extra ?? {},
      steps: t.steps.map((s) => ({ interface: s.interface, step: s.step, args: s.args, priority: s.priority })),
    };
    const patched = applyPatch(doc, ops);
    const valid = validateDeployTemplate({ name: patched.name ?? null, steps: patched.steps ?? null, extra: patched.extra ?? null });
    const updated = await deps.db.deployTemplates.update(t.uuid, { name: valid.name, extra: valid.extra, steps: valid.steps });
    ctx.body = renderDeployTemplate(updated, baseUrl(ctx, deps.settings));
  });
  router.delete('/v1/deploy_templates/:ident', since, async (ctx) => {
    new Query(ctx.query, []);
    const t = await getDeployTemplate(deps.db, ctx.params.ident);
    await deps.db.deployTemplates.destroy(t.uuid);
    ctx.status = 204;
  });
}
