/** PUT /v1/nodes/{node}/management/inject_nmi (1.29; below it Ironic raises NotFound) → 204. */
import { InvalidParameterValue } from '@anvil/sdk';
import type { ApiRouter, RouteDeps } from '../context.ts';
import { getNode } from '../lookup.ts';
import { Query } from '../query.ts';
import { businessSince } from '../sub-since.ts';
import { routeOf } from './node-states.ts';
import { withMethod } from './node-vifs.ts';

export function register(router: ApiRouter, deps: RouteDeps): void {
  router.put('/v1/nodes/:ident/management/inject_nmi', businessSince(29), async (ctx) => {
    new Query(ctx.query, []);
    const b = ctx.state.body;
    if (b !== undefined && b !== null && (typeof b !== 'object' || Array.isArray(b) || Object.keys(b).length))
      throw new InvalidParameterValue(`Unexpected arguments: ${Object.keys(b as object).sort().join(', ') || 'body'}`);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    await withMethod(deps, 'injectNmi')(routeOf(node));
    ctx.status = 204;
  });
}
