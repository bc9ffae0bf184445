/**
 * A snapshot of Placement for the scheduler (pure): resource providers (one per node) with inventories and
 * traits, and allocations of consumers (instances) against them. The durable Placement is the database
 * (`db.placement`, claims guarded by generations); `PlacementStore.snapshot` reads it into this form.
 */
import { Conflict } from '@anvil/sdk';
import type { ProviderData } from '../driver/provider-tree.ts';

export interface Allocation {
  provider: string;
  resources: Record<string, number>;
}

export class PlacementStore {
  readonly providers = new Map<string, ProviderData & { generation: number }>();
  readonly allocations: Map<string, Allocation>;

  constructor(allocations: Record<string, Allocation> = {}) {
    this.allocations = new Map(Object.entries(allocations));
  }

  /** the scheduler's view of the stored Placement (providers + allocation rows) */
  static snapshot(providers: (ProviderData & { generation: number })[], rows: { consumer: string; provider: string; resource_class: string; used: number }[]): PlacementStore {
    const s = new PlacementStore();
    for (const p of providers) s.providers.set(p.uuid, p);
    for (const r of rows) {
      const a = s.allocations.get(r.consumer) ?? { provider: r.provider, resources: {} };
      a.resources[r.resource_class] = r.used;
      s.allocations.set(r.consumer, a);
    }
    return s;
  }

  /** update_provider_tree's effect: set the provider's inventory and add its traits (never pruned). */
  setProvider(p: ProviderData): void {
    const old = this.providers.get(p.uuid);
    const traits = [...new Set([...(old?.traits ?? []), ...p.traits])];
    this.providers.set(p.uuid, { ...p, traits, generation: (old?.generation ?? -1) + 1 });
  }

  used(provider: string, rc: string): number {
    let n = 0;
    for (const a of this.allocations.values()) if (a.provider === provider) n += a.resources[rc] ?? 0;
    return n;
  }

  /** Why a provider cannot hold these resources (empty = it can). */
  capacityReasons(provider: string, resources: Record<string, number>, consumer?: string): string[] {
    const p = this.providers.get(provider);
    if (!p) return ['no resource provider'];
    const out: string[] = [];
    for (const [rc, amount] of Object.entries(resources)) {
      if (amount <= 0) continue;
      const inv = p.inventories[rc];
      if (!inv) {
        const has = Object.keys(p.inventories).join(', ') || 'nothing';
        out.push(`resource class mismatch (node provides ${has}, flavor asks ${rc})`);
        continue;
      }
      const mine = consumer ? (this.allocations.get(consumer)?.resources[rc] ?? 0) : 0;
      const free = (inv.total - inv.reserved) * inv.allocation_ratio - (this.used(provider, rc) - mine);
      if (amount > free) out.push(inv.reserved ? `${rc} reserved` : `${rc} already allocated`);
    }
    return out;
  }

  claim(consumer: string, provider: string, resources: Record<string, number>): void {
    const why = this.capacityReasons(provider, resources, consumer);
    if (why.length) throw new Conflict(`cannot allocate ${JSON.stringify(resources)} on ${provider}: ${why.join('; ')}`);
    this.allocations.set(consumer, { provider, resources });
  }

  release(consumer: string): void {
    this.allocations.delete(consumer);
  }

  consumerOf(provider: string): string | undefined {
    for (const [c, a] of this.allocations) if (a.provider === provider) return c;
    return undefined;
  }

  toJSON(): Record<string, Allocation> {
    return Object.fromEntries(this.allocations);
  }
}
