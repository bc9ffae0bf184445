/**
 * PlacementRepo: Placement's resource providers (inventories + traits + generation), consumers (generation) and
 * allocations. Every write is one transaction guarded by generations, as Placement does: a provider whose
 * generation moved since the caller read it, or a consumer whose generation is not the one given, gets a 409
 * conflict instead of a silent overwrite; an allocation beyond capacity gets InsufficientResources.
 */
import type { Knex } from 'knex';
import {
  type ConsumerAllocations,
  ConsumerGenerationConflict,
  InsufficientResources,
  type ResourceProvider,
  ResourceProviderGenerationConflict,
} from '@anvil/sdk';
import type { RepoContext } from '../context.ts';
import { parseUniqueViolation } from '../errors.ts';
import type { PlacementAllocationRow, PlacementRepo } from '../types.ts';

const P = 'placement_providers';
const C = 'placement_consumers';
const A = 'placement_allocations';

type Row = Record<string, unknown>;
const parse = <T>(v: unknown, dflt: T): T => (typeof v === 'string' && v ? (JSON.parse(v) as T) : dflt);

function providerOf(r: Row): ResourceProvider {
  return {
    uuid: String(r.uuid),
    name: String(r.name),
    generation: Number(r.generation),
    inventories: parse(r.inventories, {}),
    traits: parse(r.traits, []),
  };
}

const canonical = (p: Pick<ResourceProvider, 'inventories' | 'traits'>) =>
  JSON.stringify([Object.entries(p.inventories).sort(([a], [b]) => a.localeCompare(b)), [...p.traits].sort()]);

export function makePlacementRepo(ctx: RepoContext): PlacementRepo {
  const lock = <Q extends Knex.QueryBuilder>(q: Q) => ctx.dialect.forUpdate(q);

  async function bumpProvider(k: Knex, uuid: string, seen: number, extra: Record<string, unknown> = {}): Promise<void> {
    const n = await k(P).where({ uuid, generation: seen }).update({ ...extra, generation: seen + 1, updated_ms: Date.now() });
    if (n !== 1) throw new ResourceProviderGenerationConflict(`resource provider ${uuid} generation conflict: another writer updated it (placement.concurrent_update)`);
  }

  // Plain reads of the consumer (no gap locks: MariaDB would deadlock concurrent new consumers); the
  // conditional write below is the guard. Usage lives on the provider row, read under its row lock.
  async function consumerGeneration(k: Knex, consumer: string): Promise<number | null> {
    const row = (await k(C).where({ uuid: consumer }).select('generation').first()) as Row | undefined;
    return row ? Number(row.generation) : null;
  }

  const consumerRows = async (k: Knex, consumer: string) => (await k(A).where({ consumer }).select('id', 'provider', 'resource_class', 'used')) as Row[];

  async function bumpConsumer(k: Knex, consumer: string, seen: number | null): Promise<number> {
    if (seen === null) {
      try {
        await k(C).insert({ uuid: consumer, generation: 1 });
      } catch (err) {
        if (parseUniqueViolation(err)) throw new ConsumerGenerationConflict(`consumer ${consumer} generation conflict: created concurrently`);
        throw err;
      }
      return 1;
    }
    const n = await k(C).where({ uuid: consumer, generation: seen }).update({ generation: seen + 1 });
    if (n !== 1) throw new ConsumerGenerationConflict(`consumer ${consumer} generation conflict (placement.concurrent_update)`);
    return seen + 1;
  }

  async function readConsumer(k: Knex, consumer: string): Promise<ConsumerAllocations> {
    const gen = await consumerGeneration(k, consumer);
    const rows = (await k(A).where({ consumer }).select('provider', 'resource_class', 'used')) as Row[];
    const allocations: ConsumerAllocations['allocations'] = {};
    for (const r of rows) {
      const a = (allocations[String(r.provider)] ??= { resources: {} });
      a.resources[String(r.resource_class)] = Number(r.used);
    }
    return { consumer_generation: gen, allocations };
  }

  const repo: PlacementRepo = {
    async providers() {
      return ((await ctx.k(P).select().orderBy('id')) as Row[]).map(providerOf);
    },
    async provider(uuid) {
      const r = (await ctx.k(P).where({ uuid }).first()) as Row | undefined;
      return r ? providerOf(r) : undefined;
    },
    putProvider(p, expectGeneration) {
      return ctx.tx(async (k) => {
        const row = (await lock(k(P).where({ uuid: p.uuid })).first()) as Row | undefined;
        const cur = row ? providerOf(row) : undefined;
        if (expectGeneration !== undefined && (cur?.generation ?? null) !== expectGeneration) {
          throw new ResourceProviderGenerationConflict(`resource provider ${p.uuid} generation conflict: expected ${expectGeneration}, have ${cur?.generation ?? 'none'}`);
        }
        if (!cur) {
          await k(P).insert({ uuid: p.uuid, name: p.name, generation: 1, inventories: JSON.stringify(p.inventories), traits: JSON.stringify(p.traits), updated_ms: Date.now() });
          return { ...p, generation: 1 };
        }
        if (canonical(cur) === canonical(p) && cur.name === p.name) return cur;
        await bumpProvider(k, p.uuid, cur.generation);
        await k(P).where({ uuid: p.uuid }).update({ name: p.name, inventories: JSON.stringify(p.inventories), traits: JSON.stringify(p.traits) });
        return { ...p, generation: cur.generation + 1 };
      });
    },
    deleteProvider(uuid) {
      return ctx.tx(async (k) => {
        const used = (await k(A).where({ provider: uuid }).count({ n: '*' }).first()) as Row;
        if (Number(used.n) > 0) return false; // Placement refuses while allocations exist (ResourceProviderInUse)
        return (await k(P).where({ uuid }).delete()) > 0;
      });
    },
    async allocationRows() {
      return ((await ctx.k(A).select('consumer', 'provider', 'resource_class', 'used')) as Row[]).map(
        (r): PlacementAllocationRow => ({ consumer: String(r.consumer), provider: String(r.provider), resource_class: String(r.resource_class), used: Number(r.used) }),
      );
    },
    consumerAllocations(consumer) {
      return readConsumer(ctx.k, consumer);
    },
    putAllocations(consumer, allocations, consumerGen) {
      return ctx.tx(async (k) => {
        const gen = await consumerGeneration(k, consumer);
        if (gen !== consumerGen) throw new ConsumerGenerationConflict(`consumer ${consumer} generation conflict: expected ${consumerGen}, have ${gen}`);
        const old = await consumerRows(k, consumer);
        const want = new Map<string, Record<string, number>>();
        for (const [p, a] of Object.entries(allocations)) want.set(p, Object.fromEntries(Object.entries(a.resources).filter(([, v]) => v > 0)));
        const touched = [...new Set([...want.keys(), ...old.map((r) => String(r.provider))])].sort();
        for (const uuid of touched) {
          const row = (await lock(k(P).where({ uuid })).first()) as Row | undefined;
          if (!row) {
            if (want.has(uuid)) throw new InsufficientResources(`Unable to allocate inventory: resource provider ${uuid} not found`);
            continue;
          }
          const p = providerOf(row);
          const usages = parse<Record<string, number>>(row.usages, {});
          for (const r of old) if (r.provider === uuid) usages[String(r.resource_class)] = (usages[String(r.resource_class)] ?? 0) - Number(r.used);
          for (const [rc, amount] of Object.entries(want.get(uuid) ?? {})) {
            const inv = p.inventories[rc];
            if (!inv) throw new InsufficientResources(`Unable to allocate inventory: resource provider ${uuid} has no inventory of ${rc}`);
            const capacity = (inv.total - inv.reserved) * inv.allocation_ratio;
            if ((usages[rc] ?? 0) + amount > capacity || amount < inv.min_unit || amount > inv.max_unit) {
              throw new InsufficientResources(`Unable to allocate inventory: unable to create allocation for '${rc}' on resource provider '${uuid}'. The requested amount would exceed the capacity.`);
            }
            usages[rc] = (usages[rc] ?? 0) + amount;
          }
          await bumpProvider(k, uuid, p.generation, { usages: JSON.stringify(usages) });
        }
        if (old.length) await k(A).whereIn('id', old.map((r) => r.id as number)).delete();
        const rows = [...want].flatMap(([provider, res]) => Object.entries(res).map(([resource_class, used]) => ({ consumer, provider, resource_class, used })));
        if (rows.length) await k(A).insert(rows);
        await bumpConsumer(k, consumer, gen);
        return readConsumer(k, consumer);
      });
    },
    deleteAllocations(consumer) {
      return ctx.tx(async (k) => {
        const old = await consumerRows(k, consumer);
        if (!old.length) return false;
        for (const uuid of [...new Set(old.map((r) => String(r.provider)))].sort()) {
          const row = (await lock(k(P).where({ uuid })).first()) as Row | undefined;
          if (!row) continue;
          const usages = parse<Record<string, number>>(row.usages, {});
          for (const r of old) if (r.provider === uuid) usages[String(r.resource_class)] = (usages[String(r.resource_class)] ?? 0) - Number(r.used);
          await bumpProvider(k, uuid, Number(row.generation), { usages: JSON.stringify(usages) });
        }
        await k(A).whereIn('id', old.map((r) => r.id as number)).delete();
        await k(C).where({ uuid: consumer }).delete();
        return true;
      });
    },
  };
  return repo;
}
