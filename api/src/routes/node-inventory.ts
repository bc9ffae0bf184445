/** /v1/nodes/{node}/inventory (1.81): the inspection inventory and plugin data last recorded for the node. */
import { AnvilError, NotFound } from '@anvil/sdk';
import type { ApiRouter, RouteDeps } from '../context.ts';
import { subSince } from '../sub-since.ts';
import { getNode } from '../lookup.ts';
import { Query } from '../query.ts';

export function register(router: ApiRouter, deps: RouteDeps): void {
  router.get('/v1/nodes/:ident/inventory', subSince(81), async (ctx) => {
    new Query(ctx.query, []);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    try {
      const inv = await deps.db.inventory.get(node.id);
      ctx.body = { inventory: inv.inventory, plugin_data: inv.plugin_data };
    } catch (e) {
      if (AnvilError.is(e) && e.status === 404) throw new NotFound(`Node inventory record for node ${node.id} could not be found.`); // Ironic shows the internal id
      throw e;
    }
  });
}
