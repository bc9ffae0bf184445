/**
 * Child nodes (1.83): `parent_node` names another node (UUID or name) and is stored as its UUID; an unknown parent
 * is Ironic's authorize_node_link 400. `GET /v1/nodes/{node}/children` lists the children's UUIDs.
 */
import { AnvilError, InvalidParameterValue } from '@anvil/sdk';
import type { Database } from '@anvil/db';
import type { ApiContext, RouteDeps } from '../context.ts';
import { baseUrl } from '../context.ts';
import { FrameworkError } from '../framework-error.ts';
import { getNode } from '../lookup.ts';
import { Query } from '../query.ts';

/** The parent's UUID for a requested `parent_node` value (Ironic: any lookup failure → 400 "... was invalid."). */
export async function resolveParentNode(db: Database, value: string, minor: number): Promise<string> {
  try {
    return (await getNode(db, value, minor)).uuid;
  } catch (e) {
    if (AnvilError.is(e) || e instanceof FrameworkError)
      throw new InvalidParameterValue(`Unable to apply the requested parent_node '${value}'. Requested value was invalid.`);
    throw e;
  }
}

/** GET /v1/nodes/{node}/children: `{children: [uuid...], links: {href, rel: "children"}}` (links is one object). */
export async function listChildren(ctx: ApiContext, deps: RouteDeps, ident: string): Promise<void> {
  new Query(ctx.query, []);
  const node = await getNode(deps.db, ident, ctx.state.minor);
  const filters: Record<string, unknown> = { parent_node: node.uuid };
  if (ctx.state.auth?.projectFilter) filters.project = ctx.state.auth.projectFilter;
  const children = await deps.db.nodes.list({ filters, columns: ['uuid'], sortKey: 'id', sortDir: 'asc' });
  ctx.body = {
    children: children.map((c) => c.uuid),
    links: { href: `${baseUrl(ctx, deps.settings)}/v1/nodes?parent_node=${node.uuid}`, rel: 'children' },
  };
}
