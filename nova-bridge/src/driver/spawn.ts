/**
 * prepare_for_spawn (reserve the node), spawn (instance_info, validate, config drive, deploy, wait) and the
 * rollback Nova does when a spawn step fails (_cleanup_deploy).
 */
import { IronicHttpError } from '../client/http-error.ts';
import type { Instance } from '../compute/types.ts';
import { type DriverContext, nodePath } from './context.ts';
import { deployPatch, UNRESERVE_PATCH } from './instance-info.ts';
import { type NodeView, findByInstance, getNode } from './node-view.ts';
import { ComputeResourcesUnavailable, InstanceDeployFailure } from './nova-errors.ts';
import { unplugVifs } from './vifs.ts';
import { waitForActive } from './wait-active.ts';

/** Builds the gzip+base64 config drive for a node, given its ports and portgroups (for network_data MACs). */
export type ConfigDriveBuilder = (ports: Record<string, unknown>[], portgroups: Record<string, unknown>[]) => Promise<string>;

export async function prepareForSpawn(ctx: DriverContext, instanceUuid: string, nodeUuid: string): Promise<NodeView> {
  const node = await getNode(ctx.client, nodeUuid);
  const why: string[] = [];
  if (node.instance_uuid && node.instance_uuid !== instanceUuid) why.push(`associated with instance ${node.instance_uuid}`);
  if (node.maintenance) why.push('in maintenance');
  if (node.power_state === 'error' || node.power_state === null) why.push(`power state ${node.power_state}`);
  if (node.provision_state !== 'available' && node.provision_state !== null) why.push(`provision state ${node.provision_state}`);
  if (why.length) throw new ComputeResourcesUnavailable(`node ${nodeUuid} is not available: ${why.join(', ')}`);
  try {
    return await reservePatch(ctx, nodeUuid, instanceUuid);
  } catch (err) {
    throw new InstanceDeployFailure(`cannot reserve node ${nodeUuid} for instance ${instanceUuid}: ${(err as Error).message}`);
  }
}

async function reservePatch(ctx: DriverContext, nodeUuid: string, instanceUuid: string): Promise<NodeView> {
  // SDK PATCH (read microversion), sent once: a 409 (already associated, locked) fails the build
  return ctx.client.call<NodeView>('PATCH', nodePath(nodeUuid), {
    kind: 'read',
    body: [{ op: 'replace', path: '/instance_uuid', value: instanceUuid }],
  });
}

export async function listNodePorts(ctx: DriverContext, nodeUuid: string) {
  const ports = await ctx.client.get<{ ports: Record<string, unknown>[] }>(`${nodePath(nodeUuid)}/ports/detail`);
  const pgs = await ctx.client.get<{ portgroups: Record<string, unknown>[] }>(`/v1/portgroups/detail?node=${encodeURIComponent(nodeUuid)}`);
  return { ports: ports.ports, portgroups: pgs.portgroups };
}

export interface SpawnInput {
  instance: Instance;
  nodeUuid: string;
  configDrive?: ConfigDriveBuilder; // absent: no config drive
  signal?: AbortSignal;
}

export async function spawn(ctx: DriverContext, s: SpawnInput): Promise<NodeView> {
  const { instance, nodeUuid } = s;
  const node = await getNode(ctx.client, nodeUuid);
  try {
    await ctx.client.call('PATCH', nodePath(nodeUuid), {
      body: deployPatch({ instance, node, host: ctx.config.host, defaultEphemeralFormat: ctx.config.defaultEphemeralFormat }),
      retryOnConflict: false,
    });
  } catch (err) {
    throw new InstanceDeployFailure(`cannot set instance_info on node ${nodeUuid}: ${(err as Error).message}`);
  }
  const v = await ctx.client.get<Record<string, { result?: unknown; reason?: string }>>(`${nodePath(nodeUuid)}/validate`);
  const bad = ['deploy', 'power', 'storage'].filter((k) => !v[k]?.result);
  if (bad.length) {
    await cleanupDeploy(ctx, instance);
    const reasons = bad.map((k) => `${k}: ${v[k]?.reason ?? 'no result'}`).join('; ');
    throw new InstanceDeployFailure(`Ironic node ${nodeUuid} failed to validate (${reasons})`);
  }
  const body: Record<string, unknown> = { target: 'active' };
  try {
    if (s.configDrive) {
      const { ports, portgroups } = await listNodePorts(ctx, nodeUuid);
      body.configdrive = await s.configDrive(ports, portgroups);
    }
    await ctx.client.call('PUT', `${nodePath(nodeUuid)}/states/provision`, { body });
  } catch (err) {
    await cleanupDeploy(ctx, instance).catch(() => {});
    throw err;
  }
  return waitForActive(ctx, nodeUuid, instance.uuid, s.signal);
}

/** _cleanup_deploy: volume targets, VIFs, then un-reserve the node (remove instance_info and instance_uuid). */
export async function cleanupDeploy(ctx: DriverContext, instance: Instance): Promise<void> {
  const node = await findByInstance(ctx.client, instance.uuid);
  if (!node) return;
  await deleteVolumeTargets(ctx, node.uuid);
  await unplugVifs(
    ctx,
    node.uuid,
    instance.nics.map((n) => n.port_id),
  );
  await ctx.client.call('PATCH', nodePath(node.uuid), { body: UNRESERVE_PATCH });
}

export async function deleteVolumeTargets(ctx: DriverContext, nodeUuid: string): Promise<void> {
  let targets: { uuid: string }[];
  try {
    targets = (await ctx.client.get<{ targets: { uuid: string }[] }>(`${nodePath(nodeUuid)}/volume/targets?detail=True`)).targets;
  } catch (err) {
    if (IronicHttpError.is(err, 404)) return; // an API without boot-from-volume
    throw err;
  }
  for (const t of targets) {
    try {
      await ctx.client.call('DELETE', `/v1/volume/targets/${encodeURIComponent(t.uuid)}`);
    } catch (err) {
      if (!IronicHttpError.is(err, 404)) throw err;
    }
  }
}
