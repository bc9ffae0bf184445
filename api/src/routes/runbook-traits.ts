/**
 * /v1/runbooks/{runbook}/traits (1.112): list, replace all (PUT with {"traits": [...]}), add one (PUT …/traits/T,
 * no body), remove one (a missing one is no error, as Ironic) or all. Below 1.112: framework 404 for every method.
 */
import Joi from 'joi';
import { InvalidInput } from '@anvil/sdk';
import type { ApiContext, ApiRouter, RouteDeps } from '../context.ts';
import { baseUrl } from '../context.ts';
import { FrameworkError } from '../framework-error.ts';
import { Query } from '../query.ts';
import { collectionSince } from '../sub-since.ts';
import { validateBody } from '../validate/common.ts';
import { checkTrait } from '../validate/trait.ts';
import { getRunbook } from './runbooks.ts';

const TRAITS_BODY = Joi.object({ traits: Joi.array().items(Joi.string()) }).unknown(false);
const ONE_OR_ALL =
  'A single runbook trait may be added via PUT /v1/runbooks/<runbook identifier>/traits/<trait> with no body, or all runbook traits may be replaced via PUT /v1/runbooks/<runbook identifier>/traits with the list of traits specified in the request body.';

function traitsSince(ctx: ApiContext, next: () => Promise<unknown>) {
  if (ctx.state.minor < 112) throw new FrameworkError(404, 'The API version does not allow runbook traits');
  return next();
}

/** PUT: the body (if any) is checked first, then the trait, then the runbook is looked up, as Ironic's decorators. */
async function put(ctx: ApiContext, deps: RouteDeps, trait: string | undefined) {
  new Query(ctx.query, []);
  const body = ctx.state.body;
  let traits: string[] | undefined;
  if (body !== undefined && body !== null && !(typeof body === 'string' && body === '')) {
    traits = validateBody<{ traits?: string[] }>(TRAITS_BODY, body, 'body').traits;
    for (const t of traits ?? []) checkTrait(t);
  }
  if (trait !== undefined) checkTrait(trait, 'trait');
  const r = await getRunbook(deps.db, ctx.params.ident);
  if ((trait !== undefined) === (traits !== undefined)) throw new InvalidInput(ONE_OR_ALL);
  if (trait !== undefined) {
    await deps.db.runbooks.addTrait(r.uuid, trait);
    ctx.set('Location', `${baseUrl(ctx, deps.settings)}/v1/runbooks/${ctx.params.ident}/traits/${trait}`);
  } else await deps.db.runbooks.setTraits(r.uuid, traits ?? []);
  ctx.status = 204;
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  const since = collectionSince(92, 'runbooks');
  const gates = [since, traitsSince] as const;
  const noMethod = () => {
    throw new FrameworkError(405, '');
  };
  router.get('/v1/runbooks/:ident/traits', ...gates, async (ctx) => {
    new Query(ctx.query, []);
    ctx.body = { traits: (await getRunbook(deps.db, ctx.params.ident)).traits };
  });
  router.put('/v1/runbooks/:ident/traits', ...gates, (ctx) => put(ctx, deps, undefined));
  router.put('/v1/runbooks/:ident/traits/:trait', ...gates, (ctx) => put(ctx, deps, ctx.params.trait));
  router.delete('/v1/runbooks/:ident/traits', ...gates, async (ctx) => {
    new Query(ctx.query, []);
    const r = await getRunbook(deps.db, ctx.params.ident);
    await deps.db.runbooks.setTraits(r.uuid, []);
    ctx.status = 204;
  });
  router.delete('/v1/runbooks/:ident/traits/:trait', ...gates, async (ctx) => {
    new Query(ctx.query, []);
    const r = await getRunbook(deps.db, ctx.params.ident);
    await deps.db.runbooks.removeTrait(r.uuid, ctx.params.trait);
    ctx.status = 204;
  });
  router.post('/v1/runbooks/:ident/traits', ...gates, noMethod);
  router.get('/v1/runbooks/:ident/traits/:trait', ...gates, noMethod);
}
