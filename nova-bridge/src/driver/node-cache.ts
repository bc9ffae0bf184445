/**
 * get_available_nodes and its node cache: one list call (fields set, conductor_group = partition key), keeping
 * nodes whose instance this host owns plus unowned nodes that hash to this host.
 */
import { IronicConnectionError, IronicHttpError } from '../client/http-error.ts';
import type { DriverContext } from './context.ts';
import { ComputeHashRing } from './hash-ring.ts';
import { type NodeView, listNodes, nodeExists } from './node-view.ts';
import { VirtDriverNotReady } from './nova-errors.ts';

export class NodeCache {
  private nodes = new Map<string, NodeView>();
  private refreshedAt = 0;
  constructor(
    private readonly ctx: DriverContext,
    /** instance uuids that live on this compute host (Nova's database) */
    private readonly ownedInstances: () => Set<string>,
  ) {}

  get size(): number {
    return this.nodes.size;
  }
  get age(): number {
    return Date.now() - this.refreshedAt;
  }

  async refresh(): Promise<NodeView[]> {
    const filters: Record<string, string> = {};
    if (this.ctx.config.partitionKey !== undefined) filters.conductor_group = this.ctx.config.partitionKey;
    let all: NodeView[];
    try {
      all = await listNodes(this.ctx.client, filters);
    } catch (err) {
      if (err instanceof IronicHttpError || err instanceof IronicConnectionError) throw new VirtDriverNotReady(`cannot list nodes: ${err.message}`);
      throw err;
    }
    const host = this.ctx.config.host;
    const ring = new ComputeHashRing(this.ctx.config.peerList ?? [], host);
    const owned = this.ownedInstances();
    // Nova: nodes of instances this host manages, and instance-less nodes the ring gives this host
    const mine = all.filter((n) => (n.instance_uuid ? owned.has(n.instance_uuid) : ring.owns(host, n.uuid)));
    this.nodes = new Map(mine.map((n) => [n.uuid, n]));
    this.refreshedAt = Date.now();
    return mine;
  }

  /** get_available_nodes: node UUIDs this host manages. */
  async availableNodes(): Promise<string[]> {
    return (await this.refresh()).map((n) => n.uuid);
  }

  cached(uuid: string): NodeView | undefined {
    return this.nodes.get(uuid);
  }

  /** node_is_available: cache first (listing when empty), then a direct read; 404 → false. */
  async nodeIsAvailable(uuid: string): Promise<boolean> {
    if (this.nodes.size === 0) await this.refresh();
    if (this.nodes.has(uuid)) return true;
    const n = await nodeExists(this.ctx.client, uuid);
    if (n) this.nodes.set(uuid, n);
    return n !== null;
  }

  drop(uuid: string): void {
    this.nodes.delete(uuid);
  }
}
