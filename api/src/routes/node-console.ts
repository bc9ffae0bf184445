/** /v1/nodes/{node}/states/console: GET console state and info; PUT {"enabled": bool} → 202 + Location. */
import { InvalidParameterValue } from '@anvil/sdk';
import type { ApiRouter, RouteDeps } from '../context.ts';
import { baseUrl } from '../context.ts';
import { getNode } from '../lookup.ts';
import { Query } from '../query.ts';
import { parseBool } from '../validate/common.ts';
import { routeOf } from './node-states.ts';
import { withMethod } from './node-vifs.ts';

export function register(router: ApiRouter, deps: RouteDeps): void {
  router.get('/v1/nodes/:ident/states/console', async (ctx) => {
    new Query(ctx.query, []);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    ctx.body = await withMethod(deps, 'getConsoleInformation')(routeOf(node));
  });
  router.put('/v1/nodes/:ident/states/console', async (ctx) => {
    const q = new Query(ctx.query, ['enabled']);
    const b = ctx.state.body;
    if (b !== undefined && (b === null || typeof b !== 'object' || Array.isArray(b)))
      throw new InvalidParameterValue('Invalid request body: a JSON object is expected');
    const body = (b ?? {}) as Record<string, unknown>;
    const extra = Object.keys(body).filter((k) => k !== 'enabled');
    if (extra.length) throw new InvalidParameterValue(`Unexpected arguments: ${extra.sort().join(', ')}`);
    const raw = body.enabled ?? q.str('enabled');
    if (raw === undefined || raw === null) throw new InvalidParameterValue('Missing mandatory parameter: enabled');
    const enabled = typeof raw === 'boolean' ? raw : parseBool('enabled', String(raw));
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    await withMethod(deps, 'setConsoleMode')(routeOf(node), enabled);
    ctx.set('Location', `${baseUrl(ctx, deps.settings)}/v1/nodes/${ctx.params.ident}/states/console`);
    ctx.body = null;
    ctx.status = 202;
  });
}
