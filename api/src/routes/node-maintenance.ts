/**
 * /v1/nodes/{node}/maintenance: PUT sets maintenance (reason from the body or the query), DELETE clears it together
 * with maintenance_reason and fault. Both 202; the conductor saves it under the node lock.
 */
import { InvalidParameterValue } from '@anvil/sdk';
import type { ApiRouter, RouteDeps } from '../context.ts';
import { getNode } from '../lookup.ts';
import { Query } from '../query.ts';
import { conductorOf, routeOf } from './node-states.ts';

export function register(router: ApiRouter, deps: RouteDeps): void {
  router.put('/v1/nodes/:ident/maintenance', async (ctx) => {
    const q = new Query(ctx.query, ['reason']);
    const b = ctx.state.body ?? {};
    if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new InvalidParameterValue('Invalid request body: a JSON object is expected');
    const rec = b as Record<string, unknown>;
    const extra = Object.keys(rec).filter((k) => k !== 'reason');
    if (extra.length) throw new InvalidParameterValue(`Unexpected arguments: ${extra.sort().join(', ')}`);
    if (rec.reason !== undefined && rec.reason !== null && typeof rec.reason !== 'string') {
      throw new InvalidParameterValue(`Invalid reason: ${JSON.stringify(rec.reason)}`);
    }
    const reason = (rec.reason as string | undefined) ?? q.str('reason') ?? null;
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    await conductorOf(deps).setMaintenance(routeOf(node), true, reason);
    ctx.body = null;
    ctx.status = 202;
  });
  router.delete('/v1/nodes/:ident/maintenance', async (ctx) => {
    new Query(ctx.query, []);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    await conductorOf(deps).setMaintenance(routeOf(node), false, null);
    ctx.body = null;
    ctx.status = 202;
  });
}
