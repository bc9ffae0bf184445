/** rebuild: new instance_info (with preserve_ephemeral), fresh config drive, `target: rebuild`, wait as spawn. */
import type { Instance } from '../compute/types.ts';
import { type DriverContext, nodePath } from './context.ts';
import { deployPatch } from './instance-info.ts';
import { type NodeView, getNode } from './node-view.ts';
import { InstanceDeployFailure } from './nova-errors.ts';
import { type ConfigDriveBuilder, listNodePorts } from './spawn.ts';
import { waitForActive } from './wait-active.ts';

export interface RebuildInput {
  instance: Instance;
  nodeUuid: string;
  preserveEphemeral: boolean;
  configDrive?: ConfigDriveBuilder;
}

export async function rebuild(ctx: DriverContext, r: RebuildInput): Promise<NodeView> {
  const node = await getNode(ctx.client, r.nodeUuid);
  await ctx.client.call('PATCH', nodePath(node.uuid), {
    body: deployPatch({
      instance: r.instance,
      node,
      host: ctx.config.host,
      preserveEphemeral: r.preserveEphemeral,
      defaultEphemeralFormat: ctx.config.defaultEphemeralFormat,
    }),
    retryOnConflict: false,
  });
  const body: Record<string, unknown> = { target: 'rebuild' };
  if (r.configDrive) {
    const { ports, portgroups } = await listNodePorts(ctx, node.uuid);
    body.configdrive = await r.configDrive(ports, portgroups);
  }
  try {
    await ctx.client.call('PUT', `${nodePath(node.uuid)}/states/provision`, { body });
  } catch (err) {
    throw new InstanceDeployFailure(`Failed to request Ironic to rebuild instance ${r.instance.uuid}: ${(err as Error).message}`);
  }
  return waitForActive(ctx, node.uuid, r.instance.uuid);
}
