/**
 * /v1/nodes/{node}/firmware (Ironic 39, API 1.86): the node's cached firmware components. `fields` from Ironic's
 * query schema (an unknown name → 400 naming the allowed ones; vendor/model/serial_number need 1.114); `detail` is
 * a string in a query, so Ironic's boolean schema refuses every value; created_at/updated_at are always shown.
 * Below 1.86 every method is a framework 404; other methods at 1.86 are 405.
 */
import { type FirmwareComponentRecord, InvalidParameterValue } from '@anvil/sdk';
import type { ApiRouter, RouteDeps } from '../context.ts';
import { FrameworkError } from '../framework-error.ts';
import { getNode } from '../lookup.ts';
import { pyRepr } from '../patch.ts';
import { Query } from '../query.ts';
import { subSince } from '../sub-since.ts';

const QUERY_FIELDS = ['created_at', 'updated_at', 'component', 'initial_version', 'current_version', 'last_version_flashed', 'vendor', 'model', 'serial_number'];
const DEFAULT_FIELDS = ['component', 'initial_version', 'current_version', 'last_version_flashed'];
const IDENTITY_FIELDS = ['vendor', 'model', 'serial_number'];

/** One component (pure): created_at, updated_at, then the requested fields in the requested order. */
export function renderFirmware(c: FirmwareComponentRecord, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { created_at: c.created_at, updated_at: c.updated_at };
  for (const f of fields) out[f] = (c as unknown as Record<string, unknown>)[f] ?? null;
  return out;
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  const since = subSince(86);
  const noMethod = () => {
    throw new FrameworkError(405, '');
  };
  router.get('/v1/nodes/:ident/firmware', since, async (ctx) => {
    const minor = ctx.state.minor;
    const q = new Query(ctx.query, ['fields', 'detail']);
    const requested = q.list('fields');
    for (const f of requested ?? []) if (!QUERY_FIELDS.includes(f)) throw new InvalidParameterValue(`Schema error: ${pyRepr(f)} is not one of ${pyRepr(QUERY_FIELDS)}`);
    if (q.has('detail')) throw new InvalidParameterValue(`Schema error: ${pyRepr(q.str('detail'))} is not of type 'boolean'`);
    const node = await getNode(deps.db, ctx.params.ident, minor);
    if (minor < 114 && requested) {
      const bad = IDENTITY_FIELDS.filter((f) => requested.includes(f)).sort();
      if (bad.length) throw new InvalidParameterValue(`Fields ${bad.join(', ')} are not allowed in this API version. They require at least API version 1.114.`);
    }
    const fields = requested ?? (minor >= 114 ? [...DEFAULT_FIELDS, ...IDENTITY_FIELDS] : DEFAULT_FIELDS);
    ctx.body = { firmware: (await deps.db.firmware.list(node.id)).map((c) => renderFirmware(c, fields)) };
  });
  for (const m of ['post', 'put', 'patch', 'delete'] as const) router[m]('/v1/nodes/:ident/firmware', since, noMethod);
  for (const m of ['get', 'post', 'put', 'patch', 'delete'] as const) router[m]('/v1/nodes/:ident/firmware/:component', since, noMethod);
}
