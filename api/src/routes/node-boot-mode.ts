/**
 * PUT /v1/nodes/{node}/states/boot_mode {"target": "uefi"|"bios"} and …/states/secure_boot {"target": bool}
 * (1.76; below it NotFound) → 202 + Location …/states. Nodes in a transitional state → 409.
 */
import { Conflict, InvalidParameterValue, NotFound } from '@anvil/sdk';
import { UNSTABLE_STATES, unstableMessage } from '@anvil/conductor';
import type { ApiContext, ApiRouter, RouteDeps } from '../context.ts';
import { baseUrl } from '../context.ts';
import { getNode } from '../lookup.ts';
import { Query } from '../query.ts';
import { parseBool } from '../validate/common.ts';
import { routeOf } from './node-states.ts';
import { withMethod } from './node-vifs.ts';

export const BOOT_MODES = ['bios', 'uefi'];

function target(ctx: ApiContext): unknown {
  const q = new Query(ctx.query, ['target']);
  const b = ctx.state.body;
  if (b !== undefined && (b === null || typeof b !== 'object' || Array.isArray(b)))
    throw new InvalidParameterValue('Invalid request body: a JSON object is expected');
  const body = (b ?? {}) as Record<string, unknown>;
  const extra = Object.keys(body).filter((k) => k !== 'target');
  if (extra.length) throw new InvalidParameterValue(`Unexpected arguments: ${extra.sort().join(', ')}`);
  const t = body.target ?? q.str('target');
  if (t === undefined) throw new InvalidParameterValue('Missing argument: "target"');
  return t;
}

async function change(ctx: ApiContext, deps: RouteDeps, what: 'boot_mode' | 'secure_boot') {
  const raw = target(ctx);
  const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
  if (ctx.state.minor < 76) throw new NotFound('This endpoint is supported starting with the API version 1.76');
  let value: string | boolean;
  if (what === 'boot_mode') {
    if (typeof raw !== 'string' || !BOOT_MODES.includes(raw))
      throw new InvalidParameterValue(`Invalid boot mode ${String(raw)} requested for node. Allowed boot modes are: ${BOOT_MODES.join(', ')}`);
    value = raw;
  } else {
    let v: boolean | undefined;
    if (typeof raw === 'boolean') v = raw;
    else if (typeof raw === 'string') v = parseBool('target', raw);
    if (v === undefined)
      throw new InvalidParameterValue(`Invalid secure_boot ${String(raw)} requested for node. Allowed secure_boot states are: True, False) `);
    value = v;
  }
  if (UNSTABLE_STATES.includes(node.provision_state)) throw new Conflict(unstableMessage(node.provision_state));
  if (what === 'boot_mode') await withMethod(deps, 'setBootMode')(routeOf(node), value as string);
  else await withMethod(deps, 'setSecureBootState')(routeOf(node), value as boolean);
  ctx.set('Location', `${baseUrl(ctx, deps.settings)}/v1/nodes/${ctx.params.ident}/states`);
  ctx.body = null;
  ctx.status = 202;
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  router.put('/v1/nodes/:ident/states/boot_mode', (ctx) => change(ctx, deps, 'boot_mode'));
  router.put('/v1/nodes/:ident/states/secure_boot', (ctx) => change(ctx, deps, 'secure_boot'));
}
