/** TraitRepo: a node's traits (strings), sorted on read; at most 50 per node, as Ironic. */
import type { Knex } from 'knex';
import { InvalidParameterValue, NotFound } from '@anvil/sdk';
import { nowDb } from '../codec.ts';
import type { RepoContext } from '../context.ts';
import { parseUniqueViolation } from '../errors.ts';
import type { TraitRepo } from '../types.ts';

export const MAX_TRAITS_PER_NODE = 50;

export function makeTraitRepo(ctx: RepoContext): TraitRepo {
  const list = async (nodeId: number, k: Knex = ctx.k): Promise<string[]> =>
    (await k('node_traits').where('node_id', nodeId).orderBy('trait').select('trait')).map((r: { trait: string }) => r.trait);

  /** The node's uuid (for messages); missing node → NotFound. */
  async function nodeUuid(nodeId: number, k: Knex = ctx.k): Promise<string> {
    const row = await k('nodes').where('id', nodeId).first('uuid');
    if (!row) throw new NotFound(`Node ${nodeId} could not be found.`);
    return row.uuid;
  }

  function tooMany(uuid: string, n: number): Error {
    return new InvalidParameterValue(
      `Could not modify traits for node ${uuid} as it would exceed the maximum number of traits per node (${n} vs. ${MAX_TRAITS_PER_NODE}).`,
    );
  }

  return {
    list: (nodeId) => list(nodeId),
    async set(nodeId, traits) {
      return ctx.tx(async (k) => {
        const uuid = await nodeUuid(nodeId, k);
        const unique = [...new Set(traits)];
        if (unique.length > MAX_TRAITS_PER_NODE) throw tooMany(uuid, unique.length);
        await k('node_traits').where('node_id', nodeId).delete();
        const created_at = nowDb();
        if (unique.length) await k('node_traits').insert(unique.map((trait) => ({ node_id: nodeId, trait, created_at })));
        return list(nodeId, k);
      });
    },
    async add(nodeId, trait) {
      await ctx.tx(async (k) => {
        const uuid = await nodeUuid(nodeId, k);
        if (await k('node_traits').where({ node_id: nodeId, trait }).first('id')) return;
        const row = await k('node_traits').where('node_id', nodeId).count({ n: '*' }).first();
        if (Number(row?.n ?? 0) + 1 > MAX_TRAITS_PER_NODE) throw tooMany(uuid, Number(row?.n ?? 0) + 1);
        try {
          await k('node_traits').insert({ node_id: nodeId, trait, created_at: nowDb() });
        } catch (err) {
          if (!parseUniqueViolation(err)) throw err; // a concurrent add of the same trait is fine
        }
      });
    },
    async remove(nodeId, trait) {
      const n = await ctx.k('node_traits').where({ node_id: nodeId, trait }).delete();
      if (n === 0) throw new NotFound(`Node ${await nodeUuid(nodeId)} doesn't have a trait ${trait}`);
    },
    async removeAll(nodeId) {
      await ctx.k('node_traits').where('node_id', nodeId).delete();
    },
    has: async (nodeId, trait) => Boolean(await ctx.k('node_traits').where({ node_id: nodeId, trait }).first('id')),
  };
}
