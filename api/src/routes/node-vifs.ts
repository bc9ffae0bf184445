/** /v1/nodes/{node}/vifs (1.28): list, attach (204; port_uuid / portgroup_uuid 1.67), detach (204), via the conductor. */
import Joi from 'joi';
import { type ConductorApi, InvalidInput, type JsonObject, TemporaryFailure } from '@anvil/sdk';
import type { ApiRouter, RouteDeps } from '../context.ts';
import { getNode } from '../lookup.ts';
import { Query } from '../query.ts';
import { checkUuidOrName, subSince } from '../sub-since.ts';
import { validateBody } from '../validate/common.ts';
import { conductorOf, routeOf } from './node-states.ts';

export const VIF_SCHEMA = Joi.object({ id: Joi.string().required() }).unknown(true);

/** The conductor facade with the optional method `name`, else 503 (an older conductor facade). */
export function withMethod<K extends keyof ConductorApi>(deps: RouteDeps, name: K): NonNullable<ConductorApi[K]> {
  const c = conductorOf(deps);
  const fn = c[name];
  if (typeof fn !== 'function') throw new TemporaryFailure(`The conductor facade does not support ${String(name)}.`);
  return (fn as (...a: unknown[]) => unknown).bind(c) as NonNullable<ConductorApi[K]>;
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  const since = subSince(28);
  router.get('/v1/nodes/:ident/vifs', since, async (ctx) => {
    new Query(ctx.query, []);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    ctx.body = { vifs: await withMethod(deps, 'vifList')(routeOf(node)) };
  });
  router.post('/v1/nodes/:ident/vifs', since, async (ctx) => {
    new Query(ctx.query, []);
    const vif = validateBody<{ id: string } & JsonObject>(VIF_SCHEMA, ctx.state.body, 'vif');
    checkUuidOrName('id', vif.id);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    if (ctx.state.minor >= 67 && 'port_uuid' in vif && 'portgroup_uuid' in vif)
      throw new InvalidInput('Cannot specify both port_uuid and portgroup_uuid');
    await withMethod(deps, 'vifAttach')(routeOf(node), vif);
    ctx.status = 204;
  });
  router.delete('/v1/nodes/:ident/vifs/:vif', since, async (ctx) => {
    new Query(ctx.query, []);
    checkUuidOrName('vif_id', ctx.params.vif);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    await withMethod(deps, 'vifDetach')(routeOf(node), ctx.params.vif);
    ctx.status = 204;
  });
}
