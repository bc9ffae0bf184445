/**
 * Driver interface validation: GET /v1/nodes/{node}/validate and GET /v1/nodes/validate?node=X (or node_uuid).
 * Registered before the node routes so "validate" is not taken for a node name.
 */
import { InvalidParameterValue } from '@anvil/sdk';
import type { ApiContext, ApiRouter, RouteDeps } from '../context.ts';
import { getNode } from '../lookup.ts';
import { Query } from '../query.ts';
import { conductorOf, routeOf } from './node-states.ts';

async function validate(ctx: ApiContext, deps: RouteDeps, ident: string): Promise<void> {
  const node = await getNode(deps.db, ident, ctx.state.minor);
  ctx.body = await conductorOf(deps).validateDriverInterfaces(routeOf(node));
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  router.get('/v1/nodes/validate', async (ctx) => {
    const q = new Query(ctx.query, ['node', 'node_uuid']);
    const ident = q.str('node') ?? q.str('node_uuid');
    if (!ident) throw new InvalidParameterValue('Missing mandatory argument: node');
    await validate(ctx, deps, ident);
  });
  router.get('/v1/nodes/:ident/validate', async (ctx) => {
    new Query(ctx.query, []);
    await validate(ctx, deps, ctx.params.ident);
  });
}
