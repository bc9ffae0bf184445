/** /v1/nodes collection and node resource: list, detail, show, create, patch, delete. */
import { Forbidden } from '@anvil/sdk';
import type { ApiContext, ApiRouter, RouteDeps } from '../context.ts';
import type { ShowCacheable } from '../node-show-cache.ts';
import { baseUrl } from '../context.ts';
import { getNode } from '../lookup.ts';
import { createNode } from '../nodes/create.ts';
import { deleteNode } from '../nodes/delete.ts';
import { nodeExtras } from '../nodes/extras.ts';
import { listNodes } from '../nodes/list.ts';
import { updateNode } from '../nodes/update.ts';
import { listChildren } from '../nodes/parent.ts';
import { routeSince } from '../gates.ts';
import { Query } from '../query.ts';
import { checkNodeFields, renderNode } from '../render/node.ts';

export async function showNode(ctx: ApiContext, deps: RouteDeps, ident: string): Promise<void> {
  const minor = ctx.state.minor;
  const q = new Query(ctx.query, ['fields']);
  const fields = q.fields();
  checkNodeFields(fields, minor);
  const stamp = deps.db.changeStamp();
  const withTraits = minor >= 37 && (fields === undefined || fields.includes('traits'));
  const node = await getNode(deps.db, ident, minor, withTraits);
  const extras = await nodeExtras(deps, node, minor, fields);
  ctx.body = renderNode(node, minor, baseUrl(ctx, deps.settings), fields, extras);
  // nothing changed while it was read: the answer may be kept (node-show-cache.ts), the conductor asked again
  if (stamp !== null && deps.db.changeStamp() === stamp) {
    const cacheable: ShowCacheable = { stamp };
    if (extras.conductor !== undefined) Object.assign(cacheable, { node, conductor: extras.conductor });
    ctx.state.showCacheable = cacheable;
  }
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  router.get('/v1/nodes', (ctx) => listNodes(ctx, deps, { detail: false, url: 'nodes' }));
  router.get('/v1/nodes/detail', (ctx) => listNodes(ctx, deps, { detail: true, url: 'nodes/detail' }));
  router.post('/v1/nodes', (ctx) => createNode(ctx, deps));
  router.get('/v1/nodes/:ident', (ctx) => showNode(ctx, deps, ctx.params.ident));
  router.patch('/v1/nodes/:ident', (ctx) => updateNode(ctx, deps, ctx.params.ident));
  router.delete('/v1/nodes/:ident', (ctx) => deleteNode(ctx, deps, ctx.params.ident));
  router.get('/v1/nodes/:ident/children', routeSince(83), (ctx) => listChildren(ctx, deps, ctx.params.ident));

  // Nodes seen through a chassis: list only; anything else is 403 OperationNotPermitted as in Ironic.
  router.get('/v1/chassis/:chassis/nodes', (ctx) =>
    listNodes(ctx, deps, { detail: false, url: `chassis/${ctx.params.chassis}/nodes`, chassisUuid: ctx.params.chassis }),
  );
  router.get('/v1/chassis/:chassis/nodes/detail', (ctx) =>
    listNodes(ctx, deps, { detail: true, url: `chassis/${ctx.params.chassis}/nodes/detail`, chassisUuid: ctx.params.chassis }),
  );
  const notPermitted = () => {
    throw new Forbidden('Operation not permitted.');
  };
  router.post('/v1/chassis/:chassis/nodes', notPermitted);
  router.get('/v1/chassis/:chassis/nodes/:ident', notPermitted);
  router.patch('/v1/chassis/:chassis/nodes/:ident', notPermitted);
  router.delete('/v1/chassis/:chassis/nodes/:ident', notPermitted);
}
