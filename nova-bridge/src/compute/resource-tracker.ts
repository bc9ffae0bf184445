/**
 * The resource tracker (Nova's update_available_resource for the Ironic driver): one node list from the
 * baremetal API, then each node this compute service manages (hash ring) pushed to Placement as its provider —
 * inventory reserved when unusable or in use, the node's traits — with the provider generation it read, retried
 * on a conflict. Providers of nodes that vanished are deleted (kept while allocations still use them).
 * Concurrent callers share one sync; `fresh(ms)` reuses a recent one.
 */
import type { Database } from '@anvil/db';
import { type ResourceProvider, ResourceProviderGenerationConflict } from '@anvil/sdk';
import type { IronicDriver } from '../driver/driver.ts';
import { type NodeView, getNode } from '../driver/node-view.ts';
import { providerFor } from '../driver/provider-tree.ts';

export class ResourceTracker {
  nodes: NodeView[] = [];
  syncedAt = 0;
  private running: Promise<NodeView[]> | null = null;

  constructor(
    private readonly db: Database,
    private readonly driver: IronicDriver,
    /** whether this compute service reports this node (the hash ring); default all */
    readonly manages: (nodeUuid: string) => boolean = () => true,
  ) {}

  /** the last node list if younger than maxAgeMs, else a new sync (shared by concurrent callers) */
  fresh(maxAgeMs: number): Promise<NodeView[]> {
    if (this.running) return this.running;
    if (Date.now() - this.syncedAt <= maxAgeMs) return Promise.resolve(this.nodes);
    return this.sync();
  }

  sync(): Promise<NodeView[]> {
    this.running ??= this.doSync().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async doSync(): Promise<NodeView[]> {
    const started = Date.now();
    const nodes = await this.driver.listAllNodes();
    for (const n of nodes) if (this.manages(n.uuid)) await this.push(n);
    const seen = new Set(nodes.map((n) => n.uuid));
    for (const p of await this.db.placement.providers()) if (!seen.has(p.uuid)) await this.db.placement.deleteProvider(p.uuid);
    this.nodes = nodes;
    this.syncedAt = started;
    return nodes;
  }

  /** one node changed (an event): re-read it and update its provider; a vanished node's provider goes */
  async syncNode(uuid: string): Promise<void> {
    const n = await getNode(this.driver.ctx.client, uuid).catch(() => null);
    if (!n) {
      await this.db.placement.deleteProvider(uuid);
      return;
    }
    if (this.manages(uuid)) await this.push(n);
  }

  private async push(n: NodeView): Promise<void> {
    if (!n.resource_class) {
      await this.db.placement.deleteProvider(n.uuid);
      return;
    }
    const want = providerFor(n, { skipReserveInUse: this.driver.ctx.config.skipReserveInUse });
    for (let attempt = 0; ; attempt++) {
      const cur = await this.db.placement.provider(n.uuid);
      if (cur && sameProvider(cur, want)) return; // nothing changed: no write, no transaction
      try {
        await this.db.placement.putProvider(want, cur?.generation ?? null);
        return;
      } catch (err) {
        if (!(err instanceof ResourceProviderGenerationConflict) || attempt >= 3) throw err;
      }
    }
  }
}

const canonical = (p: Pick<ResourceProvider, 'inventories' | 'traits'>) =>
  JSON.stringify([Object.entries(p.inventories).sort(([a], [b]) => a.localeCompare(b)), [...p.traits].sort()]);

function sameProvider(a: ResourceProvider, b: Omit<ResourceProvider, 'generation'>): boolean {
  return a.name === b.name && canonical(a) === canonical(b);
}
