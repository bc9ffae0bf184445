/** /v1/nodes/{node}/traits (1.37): list, replace all, add one, remove one / all. */
import Joi from 'joi';
import { InvalidParameterValue, NotFound } from '@anvil/sdk';
import type { ApiContext, ApiRouter, RouteDeps } from '../context.ts';
import { baseUrl } from '../context.ts';
import { FrameworkError } from '../framework-error.ts';
import { routeSince } from '../gates.ts';
import { getNode } from '../lookup.ts';
import { Query } from '../query.ts';
import { validateBody } from '../validate/common.ts';
import { checkTrait, MAX_TRAITS } from '../validate/trait.ts';

export const TRAITS_BODY = Joi.object({ traits: Joi.array().items(Joi.string()).required() }).unknown(false);

export function register(router: ApiRouter, deps: RouteDeps): void {
  const since = routeSince(37, 'acceptable');
  // Ironic below 1.37: PUT falls through to the node controller, which has no PUT → framework 405 ''
  const putSince = (ctx: ApiContext, next: () => Promise<unknown>) => {
    if (ctx.state.minor < 37) throw new FrameworkError(405, '');
    return next();
  };
  // below 1.37 Ironic's DELETE falls through to the node controller's delete with extra path parts: 404
  const deleteSince = routeSince(37, 'resource');
  const noQuery = (ctx: ApiContext) => new Query(ctx.query, []);
  router.get('/v1/nodes/:ident/traits', since, async (ctx) => {
    noQuery(ctx);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    ctx.body = { traits: await deps.db.traits.list(node.id) };
  });
  router.put('/v1/nodes/:ident/traits', putSince, async (ctx) => {
    noQuery(ctx);
    const body = validateBody<{ traits: string[] }>(TRAITS_BODY, ctx.state.body, 'body');
    for (const t of body.traits) checkTrait(t);
    const traits = [...new Set(body.traits)];
    if (traits.length > MAX_TRAITS) throw new InvalidParameterValue(`Could not add traits to node: a node can have at most ${MAX_TRAITS} traits.`);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    await deps.db.traits.set(node.id, traits);
    ctx.status = 204;
  });
  router.put('/v1/nodes/:ident/traits/:trait', putSince, async (ctx) => {
    noQuery(ctx);
    if (ctx.state.body !== undefined) validateBody(Joi.object({}).unknown(false), ctx.state.body, 'body');
    const trait = ctx.params.trait;
    checkTrait(trait);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    const current = await deps.db.traits.list(node.id);
    if (!current.includes(trait) && current.length >= MAX_TRAITS)
      throw new InvalidParameterValue(`Could not add trait ${trait} to node ${node.uuid}: a node can have at most ${MAX_TRAITS} traits.`);
    await deps.db.traits.add(node.id, trait);
    ctx.set('Location', `${baseUrl(ctx, deps.settings)}/v1/nodes/${ctx.params.ident}/traits/${trait}`);
    ctx.status = 204;
  });
  router.delete('/v1/nodes/:ident/traits', deleteSince, async (ctx) => {
    noQuery(ctx);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    await deps.db.traits.removeAll(node.id);
    ctx.status = 204;
  });
  router.delete('/v1/nodes/:ident/traits/:trait', deleteSince, async (ctx) => {
    noQuery(ctx);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    try {
      await deps.db.traits.remove(node.id, ctx.params.trait);
    } catch (e) {
      if ((e as { status?: number }).status === 404) throw new NotFound(`Node ${node.uuid} doesn't have a trait '${ctx.params.trait}'`);
      throw e;
    }
    ctx.status = 204;
  });
}
