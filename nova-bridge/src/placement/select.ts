/**
 * select_destinations with claims, as Nova's scheduler does it: filter the candidates (per-node reasons), then
 * claim in Placement on each candidate in turn until one claim holds (a claim lost to a concurrent build is a
 * 409 from Placement, never an overwrite); the selection is that host plus up to max_attempts - 1 unclaimed
 * alternates. "No valid host" only when every candidate's claim was refused, with every node's reasons.
 */
import type { Database } from '@anvil/db';
import { ConsumerGenerationConflict, InsufficientResources, ResourceProviderGenerationConflict } from '@anvil/sdk';
import type { Flavor, Image } from '../compute/types.ts';
import type { NodeView } from '../driver/node-view.ts';
import { requestFor } from './flavor-request.ts';
import { NoValidHostError, type ScheduleResult, schedule } from './scheduler.ts';
import { PlacementStore } from './store.ts';

export interface Selection {
  /** the claimed node first, then the alternates (not claimed) */
  hosts: string[];
  result: ScheduleResult;
}

export async function placementSnapshot(db: Database): Promise<PlacementStore> {
  const [providers, rows] = await Promise.all([db.placement.providers(), db.placement.allocationRows()]);
  return PlacementStore.snapshot(providers, rows);
}

/** PUT /allocations/{consumer} for one node: true when held, false when Placement refuses (capacity / conflict) */
export async function claimNode(db: Database, consumer: string, node: string, resources: Record<string, number>): Promise<boolean> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const cur = await db.placement.consumerAllocations(consumer);
    try {
      await db.placement.putAllocations(consumer, { [node]: { resources } }, cur.consumer_generation);
      return true;
    } catch (err) {
      if (err instanceof InsufficientResources) return false;
      if (err instanceof ConsumerGenerationConflict || err instanceof ResourceProviderGenerationConflict) continue;
      throw err;
    }
  }
  return false;
}

/** Nova's shuffle_best_same_weighed_hosts: bare-metal nodes weigh the same, so concurrent builds spread out */
function shuffled<T>(xs: T[], rnd: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export async function selectDestinations(
  db: Database,
  nodes: NodeView[],
  req: { consumer: string; flavor: Flavor; image?: Image },
  o: { maxAttempts: number; shuffle?: boolean; random?: () => number },
): Promise<Selection> {
  const resources = requestFor(req.flavor, req.image).resources;
  const result = schedule(req.flavor, req.image, nodes, await placementSnapshot(db), req.consumer);
  const candidates = o.shuffle === false ? result.hosts : shuffled(result.hosts, o.random ?? Math.random);
  const refused: string[] = [];
  for (let i = 0; i < candidates.length; i++) {
    if (await claimNode(db, req.consumer, candidates[i], resources)) {
      const alternates = candidates.slice(i + 1, i + o.maxAttempts);
      return { hosts: [candidates[i], ...alternates], result: { hosts: [candidates[i], ...alternates], rejected: result.rejected } };
    }
    refused.push(candidates[i]);
  }
  // every candidate exhausted: the reasons as they stand now (claims of concurrent builds included)
  const now = schedule(req.flavor, req.image, nodes, await placementSnapshot(db), req.consumer);
  const rejected = [...now.rejected];
  for (const node of now.hosts) rejected.push({ node, reasons: [{ code: 'allocated', message: 'claim refused by Placement (capacity used by a concurrent build)' }] });
  throw new NoValidHostError({ hosts: [], rejected });
}
