/**
 * PUT /v1/nodes/{node}/states/raid (1.12): the body is the target RAID configuration ({} clears it); validated
 * against Ironic's RAID schema here and by the raid interface on the conductor. A driver without RAID → 404.
 */
import { AnvilError, checkRaidConfig, InvalidParameterValue, type JsonObject, NotAcceptable, NotFound, pyRepr } from '@anvil/sdk';
import type { ApiRouter, RouteDeps } from '../context.ts';
import { getNode } from '../lookup.ts';
import { Query } from '../query.ts';
import { routeOf } from './node-states.ts';
import { withMethod } from './node-vifs.ts';

export function register(router: ApiRouter, deps: RouteDeps): void {
  router.put('/v1/nodes/:ident/states/raid', async (ctx) => {
    new Query(ctx.query, []);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    if (ctx.state.minor < 12) throw new NotAcceptable('Request not acceptable.');
    const body = ctx.state.body;
    if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body))
      throw new InvalidParameterValue(`Expected types <class 'dict'> for target_raid_config: ${pyRepr(body ?? null)}`);
    checkRaidConfig(body as JsonObject);
    try {
      await withMethod(deps, 'setTargetRaidConfig')(routeOf(node), body as JsonObject);
    } catch (e) {
      // RAID is a standard interface not every driver has: Ironic answers 404 here
      if (AnvilError.is(e) && e.code === 'UnsupportedDriverExtension') throw new NotFound(e.message);
      throw e;
    }
    ctx.status = 204;
  });
}
