/**
 * /v1/nodes/{node}/management/indicators: list (name@component, readonly, states, links), GET one → {"state"},
 * PUT one {"state"} → 204. Ironic 21.4 applies no microversion check here (the feature is 1.63).
 */
import { InvalidParameterValue } from '@anvil/sdk';
import type { ApiRouter, RouteDeps } from '../context.ts';
import { baseUrl } from '../context.ts';
import { linkPair } from '../links.ts';
import { getNode } from '../lookup.ts';
import { Query } from '../query.ts';
import { routeOf } from './node-states.ts';
import { withMethod } from './node-vifs.ts';

/** "led@system" → { name: "led", component: "system" } (split at the first "@", as Ironic). */
export function parseIndicator(unique: string): { name: string; component: string } {
  const i = unique.indexOf('@');
  if (i < 0) throw new InvalidParameterValue(`Malformed indicator name "${unique}"`);
  return { name: unique.slice(0, i), component: unique.slice(i + 1) };
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  router.get('/v1/nodes/:ident/management/indicators', async (ctx) => {
    new Query(ctx.query, []);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    const all = await withMethod(deps, 'getSupportedIndicators')(routeOf(node));
    const base = baseUrl(ctx, deps.settings);
    const indicators = [];
    for (const [component, names] of Object.entries(all)) {
      for (const [name, f] of Object.entries(names)) {
        const unique = `${name}@${component}`;
        indicators.push({
          name: unique,
          component,
          readonly: f.readonly ?? true,
          states: f.states ?? [],
          links: linkPair(base, 'nodes', `${ctx.params.ident}/management/indicators/${unique}`),
        });
      }
    }
    ctx.body = { indicators };
  });
  router.get('/v1/nodes/:ident/management/indicators/:indicator', async (ctx) => {
    new Query(ctx.query, []);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    const ind = parseIndicator(ctx.params.indicator);
    ctx.body = { state: await withMethod(deps, 'getIndicatorState')(routeOf(node), ind.component, ind.name) };
  });
  router.put('/v1/nodes/:ident/management/indicators/:indicator', async (ctx) => {
    const q = new Query(ctx.query, ['state']);
    const body = (ctx.state.body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || Array.isArray(body)) throw new InvalidParameterValue('Invalid request body: a JSON object is expected');
    const extra = Object.keys(body).filter((k) => k !== 'state');
    if (extra.length) throw new InvalidParameterValue(`Unexpected arguments: ${extra.sort().join(', ')}`);
    const state = body.state ?? q.str('state');
    if (typeof state !== 'string') throw new InvalidParameterValue('Missing argument: "state"');
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    const ind = parseIndicator(ctx.params.indicator);
    await withMethod(deps, 'setIndicatorState')(routeOf(node), ind.component, ind.name, state);
    ctx.status = 204;
  });
}
