/**
 * The virt driver: Nova's Ironic driver operations over one DriverContext. Each operation lives in its own file;
 * this class only wires them and keeps the node cache.
 */
import type { ApiAuth } from '../client/api-auth.ts';
import { IronicClient } from '../client/ironic-client.ts';
import type { Instance } from '../compute/types.ts';
import { type WaitMode, createWaiter } from '../events/index.ts';
import type { DriverConfig, DriverContext } from './context.ts';
import { destroy } from './destroy.ts';
import { NodeCache } from './node-cache.ts';
import { type NodeView, type NovaPowerState, findByInstance, getNode, listNodes, novaPowerState } from './node-view.ts';
import { powerOff, powerOn, reboot } from './power.ts';
import { type ProviderData, nodeStats, providerFor } from './provider-tree.ts';
import { rebuild } from './rebuild.ts';
import { rescue, unrescue } from './rescue.ts';
import { type ConfigDriveBuilder, cleanupDeploy, prepareForSpawn, spawn } from './spawn.ts';
import { attachVif, detachVif, plugVifs, unplugVifs } from './vifs.ts';

export interface DriverOptions extends Partial<DriverConfig> {
  endpoint: string;
  /** [ironic]api_retry_interval in ms (2000): poll interval and ironicclient retry sleep. */
  apiRetryIntervalMs?: number;
  /** 'auto' (events when the API streams them, else polling), 'sse' or 'poll'. */
  waitMode?: WaitMode;
  /** instance uuids on this host, for node ownership (default: none). */
  ownedInstances?: () => Set<string>;
  onRequest?: (method: string, path: string, status: number, ms: number) => void;
  /** credentials for a baremetal API under http_basic or keystone (client/api-auth.ts) */
  auth?: ApiAuth | null;
}

export interface InstanceInfo {
  state: NovaPowerState;
  node: string | null;
}

export class IronicDriver {
  readonly ctx: DriverContext;
  readonly cache: NodeCache;

  private constructor(ctx: DriverContext, owned: () => Set<string>) {
    this.ctx = ctx;
    this.cache = new NodeCache(ctx, owned);
  }

  static async create(o: DriverOptions): Promise<IronicDriver> {
    const interval = o.apiRetryIntervalMs ?? 2000;
    const client = new IronicClient({ endpoint: o.endpoint, maxRetries: o.apiMaxRetries ?? 60, retryIntervalMs: interval, onRequest: o.onRequest, auth: o.auth });
    const waiter = await createWaiter(o.endpoint, o.waitMode ?? 'auto', interval, o.auth ?? null);
    const config: DriverConfig = {
      host: o.host ?? 'anvil-compute',
      partitionKey: o.partitionKey,
      peerList: o.peerList,
      apiMaxRetries: o.apiMaxRetries ?? 60,
      skipReserveInUse: o.skipReserveInUse,
      defaultEphemeralFormat: o.defaultEphemeralFormat,
      vifNoConductorSleepMs: o.vifNoConductorSleepMs,
    };
    return new IronicDriver({ client, waiter, config }, o.ownedInstances ?? (() => new Set()));
  }

  get waitMode(): 'poll' | 'sse' {
    return this.ctx.waiter.mode;
  }

  /** init_host: nothing to call; with a partition key, the negotiated write version must be ≥ 1.46. */
  async initHost(): Promise<void> {
    if (this.ctx.config.partitionKey !== undefined) {
      const v = await this.ctx.client.negotiate();
      if (v.write !== '1.46') throw new Error('[ironic]partition_key needs API version 1.46');
    }
  }

  getAvailableNodes(): Promise<string[]> {
    return this.cache.availableNodes();
  }

  nodeIsAvailable(uuid: string): Promise<boolean> {
    return this.cache.nodeIsAvailable(uuid);
  }

  /** update_provider_tree for one node (cache, else one read). */
  async providerTree(nodeUuid: string): Promise<ProviderData> {
    const node = this.cache.cached(nodeUuid) ?? (await getNode(this.ctx.client, nodeUuid));
    return providerFor(node, { skipReserveInUse: this.ctx.config.skipReserveInUse });
  }

  /** get_available_resource: all capacity is in the custom class; stats carry cpu_arch and capabilities. */
  async availableResource(nodeUuid: string) {
    const node = this.cache.cached(nodeUuid) ?? (await getNode(this.ctx.client, nodeUuid));
    return { vcpus: 0, memory_mb: 0, local_gb: 0, hypervisor_type: 'ironic', hypervisor_hostname: node.uuid, stats: nodeStats(node) };
  }

  /** list_instance_uuids */
  async listInstanceUuids(): Promise<string[]> {
    const r = await this.ctx.client.get<{ nodes: { instance_uuid: string }[] }>('/v1/nodes?associated=True&fields=instance_uuid', 'read');
    return r.nodes.map((n) => n.instance_uuid);
  }

  async getInfo(instanceUuid: string): Promise<InstanceInfo> {
    const node = await findByInstance(this.ctx.client, instanceUuid);
    return { state: node ? novaPowerState(node.power_state) : 'NOSTATE', node: node?.uuid ?? null };
  }

  prepareForSpawn(instance: Instance, nodeUuid: string): Promise<NodeView> {
    return prepareForSpawn(this.ctx, instance.uuid, nodeUuid);
  }
  /** prepare_networks_before_block_device_mapping: read the node, attach every VIF. */
  async plugVifs(instance: Instance, nodeUuid: string): Promise<void> {
    await getNode(this.ctx.client, nodeUuid);
    return plugVifs(
      this.ctx,
      nodeUuid,
      instance.nics.map((n) => n.port_id),
    );
  }
  unplugVifs(instance: Instance, nodeUuid: string): Promise<void> {
    return unplugVifs(
      this.ctx,
      nodeUuid,
      instance.nics.map((n) => n.port_id),
    );
  }
  spawn(instance: Instance, nodeUuid: string, configDrive?: ConfigDriveBuilder, signal?: AbortSignal): Promise<NodeView> {
    return spawn(this.ctx, { instance, nodeUuid, configDrive, signal });
  }
  failedSpawnCleanup(instance: Instance): Promise<void> {
    return cleanupDeploy(this.ctx, instance);
  }
  async destroy(instance: Instance): Promise<void> {
    await destroy(this.ctx, instance);
    if (instance.node) this.cache.drop(instance.node);
  }
  reboot(instance: Instance, hard = false): Promise<NodeView> {
    return reboot(this.ctx, instance.uuid, hard);
  }
  powerOff(instance: Instance, timeoutSec = 0): Promise<NodeView> {
    return powerOff(this.ctx, instance.uuid, timeoutSec);
  }
  powerOn(instance: Instance): Promise<NodeView> {
    return powerOn(this.ctx, instance.uuid);
  }
  rescue(instance: Instance, password: string): Promise<NodeView> {
    return rescue(this.ctx, instance.uuid, password);
  }
  unrescue(instance: Instance): Promise<NodeView> {
    return unrescue(this.ctx, instance.uuid);
  }
  rebuild(instance: Instance, nodeUuid: string, preserveEphemeral: boolean, configDrive?: ConfigDriveBuilder): Promise<NodeView> {
    return rebuild(this.ctx, { instance, nodeUuid, preserveEphemeral, configDrive });
  }
  async attachInterface(nodeUuid: string, vifId: string): Promise<void> {
    await getNode(this.ctx.client, nodeUuid);
    return attachVif(this.ctx, nodeUuid, vifId);
  }
  async detachInterface(nodeUuid: string, vifId: string): Promise<void> {
    await getNode(this.ctx.client, nodeUuid);
    return detachVif(this.ctx, nodeUuid, vifId);
  }
  /** every node (fields set), for the scheduler's view. */
  listAllNodes(): Promise<NodeView[]> {
    return listNodes(this.ctx.client, this.ctx.config.partitionKey !== undefined ? { conductor_group: this.ctx.config.partitionKey } : {});
  }

  close(): Promise<void> {
    return this.ctx.waiter.close();
  }
}
