/** /v1/nodes/{node}/management/boot_device (GET, PUT → 204) and …/boot_device/supported, through the conductor. */
import { BOOT_DEVICES, InvalidParameterValue } from '@anvil/sdk';
import type { ApiContext, ApiRouter, RouteDeps } from '../context.ts';
import { getNode } from '../lookup.ts';
import { Query } from '../query.ts';
import { parseBool } from '../validate/common.ts';
import { conductorOf, routeOf } from './node-states.ts';

function putBody(ctx: ApiContext): { boot_device: string; persistent: boolean } {
  const b = (ctx.state.body ?? {}) as Record<string, unknown>;
  if (typeof b !== 'object' || Array.isArray(b)) throw new InvalidParameterValue('Invalid request body: a JSON object is expected');
  const extra = Object.keys(b).filter((k) => k !== 'boot_device' && k !== 'persistent');
  if (extra.length) throw new InvalidParameterValue(`Unexpected arguments: ${extra.sort().join(', ')}`);
  if (typeof b.boot_device !== 'string') throw new InvalidParameterValue('Missing mandatory argument: boot_device');
  let persistent = false;
  if (b.persistent !== undefined && b.persistent !== null) {
    if (typeof b.persistent === 'boolean') persistent = b.persistent;
    else if (typeof b.persistent === 'string') persistent = parseBool('persistent', b.persistent);
    else throw new InvalidParameterValue(`Invalid persistent: ${JSON.stringify(b.persistent)}`);
  }
  return { boot_device: b.boot_device, persistent };
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  router.get('/v1/nodes/:ident/management/boot_device/supported', async (ctx) => {
    new Query(ctx.query, []);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    ctx.body = { supported_boot_devices: await conductorOf(deps).getSupportedBootDevices(routeOf(node)) };
  });
  router.get('/v1/nodes/:ident/management/boot_device', async (ctx) => {
    new Query(ctx.query, []);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    ctx.body = await conductorOf(deps).getBootDevice(routeOf(node));
  });
  router.put('/v1/nodes/:ident/management/boot_device', async (ctx) => {
    new Query(ctx.query, []);
    const b = putBody(ctx);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    // an unknown name never reaches a BMC; Ironic's drivers word it the same way
    if (!(BOOT_DEVICES as readonly string[]).includes(b.boot_device)) throw new InvalidParameterValue(`Invalid boot device ${b.boot_device} specified.`);
    await conductorOf(deps).setBootDevice(routeOf(node), b.boot_device, b.persistent);
    ctx.body = null;
    ctx.status = 204;
  });
}
