/**
 * /v1/nodes/{node}/bios (1.40): cached BIOS settings. `detail`/`fields` and the registry attributes
 * (attribute_type, allowable_values, bounds, lengths, read_only, reset_required, unique) need 1.74.
 */
import { type BiosSettingRecord, InvalidParameterValue } from '@anvil/sdk';
import type { ApiRouter, RouteDeps } from '../context.ts';
import { baseUrl } from '../context.ts';
import { subSince } from '../sub-since.ts';
import { linkPair } from '../links.ts';
import { getNode } from '../lookup.ts';
import { Query } from '../query.ts';
import { pick } from '../render/fields.ts';

export const BIOS_REGISTRY_FIELDS = [
  'attribute_type', 'allowable_values', 'lower_bound', 'max_length', 'min_length', 'read_only', 'reset_required', 'unique', 'upper_bound',
] as const;
export const BIOS_FIELDS = ['created_at', 'name', 'updated_at', 'value', ...BIOS_REGISTRY_FIELDS];

export function renderBios(s: BiosSettingRecord, nodeIdent: string, base: string, minor: number, fields?: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { created_at: s.created_at, updated_at: s.updated_at, name: s.name, value: s.value };
  if (minor >= 74) for (const f of BIOS_REGISTRY_FIELDS) out[f] = s[f] ?? null;
  out.links = linkPair(base, 'nodes', `${nodeIdent}/bios/${s.name}`);
  return pick(out, fields);
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  const since = subSince(40);
  router.get('/v1/nodes/:ident/bios', since, async (ctx) => {
    const minor = ctx.state.minor;
    const q = new Query(ctx.query, ['detail', 'fields']);
    // before 1.74 Ironic answers 400 "Invalid query parameter ?<name>=<value> received." (fields as a Python list)
    if (minor < 74 && q.has('detail')) throw new InvalidParameterValue(`Invalid query parameter ?detail=${q.str('detail')} received.`);
    if (minor < 74 && q.has('fields'))
      throw new InvalidParameterValue(`Invalid query parameter ?fields=[${(q.list('fields') ?? []).map((f) => `'${f}'`).join(', ')}] received.`);
    let fields = q.fields(); // unknown names are ignored, as in Ironic
    const detail = q.bool('detail') ?? false;
    if (detail && fields !== undefined) throw new InvalidParameterValue('Can not specify ?detail=True and fields in the same request.');
    // without detail or fields Ironic lists the basic fields (created_at, updated_at, name, value, links; test/differential)
    if (!detail && fields === undefined) fields = ['created_at', 'updated_at', 'name', 'value'];
    const node = await getNode(deps.db, ctx.params.ident, minor);
    const base = baseUrl(ctx, deps.settings);
    // links name the node as the request did (Ironic builds them from the URL's node ident)
    ctx.body = { bios: (await deps.db.bios.list(node.id)).map((s) => renderBios(s, ctx.params.ident, base, minor, fields)) };
  });
  router.get('/v1/nodes/:ident/bios/:setting', since, async (ctx) => {
    new Query(ctx.query, []);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    const s = await deps.db.bios.get(node.id, ctx.params.setting);
    ctx.body = { [s.name]: renderBios(s, node.uuid, baseUrl(ctx, deps.settings), ctx.state.minor) }; // here Ironic links the uuid
  });
}
