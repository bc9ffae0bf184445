/**
 * VIFs: attach (`POST /v1/nodes/{n}/vifs`, 409 = already attached, "No conductor" 400 retried) and detach
 * (`DELETE …/vifs/{id}`, 400 tolerated as "not attached", 404 is not). Which port or portgroup a VIF lands on
 * (portgroups first) is Ironic's business.
 */
import { IronicHttpError } from '../client/http-error.ts';
import { type DriverContext, nodePath } from './context.ts';
import { VirtualInterfacePlugException } from './nova-errors.ts';

export async function attachVif(ctx: DriverContext, nodeUuid: string, vifId: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await ctx.client.call('POST', `${nodePath(nodeUuid)}/vifs`, { body: { id: vifId }, retryOnConflict: false });
      return;
    } catch (err) {
      if (IronicHttpError.is(err, 409)) return; // already attached
      if (IronicHttpError.is(err, 400) && /No conductor/i.test(err.message) && attempt < 5) {
        await new Promise((r) => setTimeout(r, ctx.config.vifNoConductorSleepMs ?? 10_000));
        continue;
      }
      throw new VirtualInterfacePlugException(`cannot attach VIF ${vifId} to node ${nodeUuid}: ${(err as Error).message}`);
    }
  }
}

export async function detachVif(ctx: DriverContext, nodeUuid: string, vifId: string): Promise<void> {
  try {
    await ctx.client.call('DELETE', `${nodePath(nodeUuid)}/vifs/${encodeURIComponent(vifId)}`);
  } catch (err) {
    if (IronicHttpError.is(err, 400)) return; // not attached
    throw err;
  }
}

export async function listVifs(ctx: DriverContext, nodeUuid: string): Promise<string[]> {
  const r = await ctx.client.get<{ vifs: { id: string }[] }>(`${nodePath(nodeUuid)}/vifs`);
  return r.vifs.map((v) => v.id);
}

/** plug_vifs for a whole instance (prepare_networks_before_block_device_mapping). */
export async function plugVifs(ctx: DriverContext, nodeUuid: string, vifIds: string[]): Promise<void> {
  for (const id of vifIds) await attachVif(ctx, nodeUuid, id);
}

export async function unplugVifs(ctx: DriverContext, nodeUuid: string, vifIds: string[]): Promise<void> {
  for (const id of vifIds) await detachVif(ctx, nodeUuid, id);
}
