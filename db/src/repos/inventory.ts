/** InventoryRepo: the hardware inventory (and inspection plugin data) last recorded for a node. */
import { NotFound } from '@anvil/sdk';
import { fromDbDate, nowDb } from '../codec.ts';
import type { RepoContext } from '../context.ts';
import type { InventoryRecord, InventoryRepo } from '../types.ts';

export function makeInventoryRepo(ctx: RepoContext): InventoryRepo {
  const decode = (r: Record<string, unknown>): InventoryRecord => ({
    node_id: Number(r.node_id),
    inventory: r.inventory_data ? JSON.parse(String(r.inventory_data)) : {},
    plugin_data: r.plugin_data ? JSON.parse(String(r.plugin_data)) : {},
    created_at: fromDbDate(r.created_at)!,
    updated_at: fromDbDate(r.updated_at),
  });
  const get = async (nodeId: number, k = ctx.k) => {
    const row = await k('node_inventory').where('node_id', nodeId).first();
    if (!row) {
      const node = await k('nodes').where('id', nodeId).first('uuid');
      throw new NotFound(`Node ${node?.uuid ?? nodeId} inventory could not be found.`);
    }
    return decode(row);
  };
  return {
    get: (nodeId) => get(nodeId),
    set: (nodeId, inventory, pluginData = {}) =>
      ctx.tx(async (k) => {
        const values = { inventory_data: JSON.stringify(inventory), plugin_data: JSON.stringify(pluginData) };
        const n = await k('node_inventory').where('node_id', nodeId).update({ ...values, updated_at: nowDb() });
        if (n === 0) {
          const node = await k('nodes').where('id', nodeId).first('id');
          if (!node) throw new NotFound(`Node ${nodeId} could not be found.`);
          await k('node_inventory').insert({ node_id: nodeId, ...values, created_at: nowDb(), updated_at: null });
        }
        return get(nodeId, k);
      }),
    async destroy(nodeId) {
      await ctx.k('node_inventory').where('node_id', nodeId).delete();
    },
  };
}
