/**
 * /v1/runbooks (1.92; description and traits 1.112): list (detail, fields, project), show by UUID or name, create,
 * JSON-PATCH (owner/public rules as Ironic's), delete. Policy (owner, public) in middleware/auth-policy.ts; the
 * traits sub-resource in runbook-traits.ts.
 */
import { AnvilError, InvalidInput, InvalidParameterValue, type JsonObject, NotFound, PatchError, type RunbookRecord } from '@anvil/sdk';
import type { Database } from '@anvil/db';
import type { ApiContext, ApiRouter, RouteDeps } from '../context.ts';
import { baseUrl } from '../context.ts';
import { pyRepr } from '@anvil/sdk';
import { applyPatch, checkAllowedRoots, parsePatch, valuesAt } from '../patch.ts';
import { nextLink, PAGING_KEYS, paging, Query } from '../query.ts';
import { checkRunbookFields, RUNBOOK_DEFAULT_LIST_FIELDS, RUNBOOK_INVALID_SORT_KEYS, renderRunbook } from '../render/runbook.ts';
import { checkUuidOrName, collectionSince, StatusFault } from '../sub-since.ts';
import { LOGICAL_NAME_RE } from '../validate/common.ts';
import { validateRunbook } from '../validate/runbook.ts';

const PATCHABLE = ['disable_ramdisk', 'extra', 'name', 'owner', 'public', 'steps'];

export async function getRunbook(db: Database, ident: string): Promise<RunbookRecord> {
  checkUuidOrName('runbook_ident', ident);
  try {
    return await db.runbooks.getByIdent(ident);
  } catch (e) {
    if (AnvilError.is(e) && e.status === 404) throw new NotFound(`Runbook ${ident} could not be found.`);
    throw e;
  }
}

async function list(ctx: ApiContext, deps: RouteDeps) {
  const minor = ctx.state.minor;
  const q = new Query(ctx.query, [...PAGING_KEYS, 'fields', 'detail', 'project']);
  let fields = q.fields();
  const detail = q.bool('detail');
  q.bool('project'); // Ironic reads it as a boolean and narrows only project-scoped callers (policy middleware)
  if (detail && fields !== undefined) throw new InvalidParameterValue('Can not specify ?detail=True and fields in the same request.');
  if (!detail && fields === undefined) fields = RUNBOOK_DEFAULT_LIST_FIELDS;
  checkRunbookFields(fields, minor);
  const marker = q.str('marker');
  if (marker !== undefined && !LOGICAL_NAME_RE.test(marker)) throw new StatusFault(400, `Expected name for marker: ${marker}`, 'InvalidParameterValue');
  const p = paging(q, RUNBOOK_INVALID_SORT_KEYS, false);
  const filters: Record<string, unknown> = {};
  if (ctx.state.auth?.projectFilter) filters.project = ctx.state.auth.projectFilter;
  const rows = await deps.db.runbooks.list({ filters, limit: p.limit, marker: p.marker, sortKey: p.sortKey, sortDir: p.sortDir });
  const base = baseUrl(ctx, deps.settings);
  const items = rows.map((r) => renderRunbook(r, minor, base, fields));
  const params: Record<string, string | undefined> = { sort_key: p.sortKey, sort_dir: p.sortDir };
  if (detail !== undefined) params.detail = detail ? 'True' : 'False';
  if (fields) params.fields = fields.join(',');
  const body: Record<string, unknown> = { runbooks: items };
  const next = nextLink(base, 'runbooks', items, p.limit, params, 'uuid', rows[rows.length - 1]?.uuid);
  if (next) body.next = next;
  ctx.body = body;
}

/** Ironic's project-scoped create: the owner is the caller's project, never another one, and not public. */
function ownerForCreate(ctx: ApiContext, owner: string | null, isPublic: boolean): string | null {
  const creds = ctx.state.auth?.creds;
  if (!creds || creds.noauth || creds.system_scope === 'all') return owner;
  const project = creds.project_id ?? null;
  if (owner && owner !== project) throw new InvalidInput('Cannot create a runbook as a project scoped admin with an owner other than your own project.');
  if (project && isPublic) throw new InvalidInput('Cannot create a public runbook as a project scoped admin.');
  return project;
}

async function patch(ctx: ApiContext, deps: RouteDeps) {
  new Query(ctx.query, []);
  const minor = ctx.state.minor;
  const ops = parsePatch(ctx.state.body);
  checkAllowedRoots(ops, minor >= 112 ? [...PATCHABLE, 'description'] : PATCHABLE);
  const r = await getRunbook(deps.db, ctx.params.ident);
  const doc: JsonObject = {
    name: r.name,
    description: r.description,
    public: r.public,
    owner: r.owner,
    disable_ramdisk: r.disable_ramdisk,
    extra: r.extra ?? {},
    steps: r.steps.map((s) => ({ interface: s.interface, step: s.step, args: s.args, order: s.order })),
  };
  const owner = valuesAt(ops, '/owner');
  const pub = valuesAt(ops, '/public');
  // Ironic: no owner for a public runbook; setting /public (to anything) clears the owner before the patch applies
  if (owner.length && ((r.public && !pub.length) || (pub.length && pub[0])))
    throw new PatchError(`Couldn't apply patch '${pyRepr(ctx.state.body)}'. Reason: There cannot be an owner for a public runbook`);
  if (pub.length) doc.owner = null;
  const patched = applyPatch(doc, ops);
  const v = validateRunbook(patched, true, 'patch');
  const updated = await deps.db.runbooks.update(r.uuid, {
    name: v.name,
    description: v.description ?? null,
    public: v.public,
    owner: v.owner,
    disable_ramdisk: v.disable_ramdisk,
    extra: v.extra,
    steps: v.steps,
  });
  ctx.body = renderRunbook(updated, minor, baseUrl(ctx, deps.settings));
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  const since = collectionSince(92, 'runbooks');
  router.get('/v1/runbooks', since, (ctx) => list(ctx, deps));
  router.get('/v1/runbooks/:ident', since, async (ctx) => {
    const fields = new Query(ctx.query, ['fields']).fields();
    const r = await getRunbook(deps.db, ctx.params.ident);
    checkRunbookFields(fields, ctx.state.minor);
    ctx.body = renderRunbook(r, ctx.state.minor, baseUrl(ctx, deps.settings), fields);
  });
  router.post('/v1/runbooks', since, async (ctx) => {
    new Query(ctx.query, []);
    const b = validateRunbook(ctx.state.body, ctx.state.minor >= 112);
    const created = await deps.db.runbooks.create({ ...b, owner: ownerForCreate(ctx, b.owner, b.public), traits: [] });
    const base = baseUrl(ctx, deps.settings);
    ctx.status = 201;
    ctx.set('Location', `${base}/v1/runbooks/${created.uuid}`);
    ctx.body = renderRunbook(created, ctx.state.minor, base);
  });
  router.patch('/v1/runbooks/:ident', since, (ctx) => patch(ctx, deps));
  router.delete('/v1/runbooks/:ident', since, async (ctx) => {
    new Query(ctx.query, []);
    const r = await getRunbook(deps.db, ctx.params.ident);
    await deps.db.runbooks.destroy(r.uuid);
    ctx.status = 204;
  });
}
