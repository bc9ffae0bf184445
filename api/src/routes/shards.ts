/** /v1/shards (1.82): node counts per shard (null = unsharded), largest first. There is no single-shard resource. */
import type { ApiRouter, RouteDeps } from '../context.ts';
import { collectionSince } from '../sub-since.ts';
import { NotFound } from '@anvil/sdk';
import { FrameworkError } from '../framework-error.ts';
import { Query } from '../query.ts';

export function register(router: ApiRouter, deps: RouteDeps): void {
  router.get('/v1/shards', collectionSince(82, 'shards'), async (ctx) => {
    new Query(ctx.query, []);
    const rows: { shard: string | null; count: number | string }[] = await deps.db
      .knex('nodes')
      .select('shard')
      .count({ count: '*' })
      .groupBy('shard');
    // Ironic 21.4 renders the unsharded group's name as the string "None" (str(None)); clients see exactly that
    const shards = rows.map((r) => ({ name: r.shard ?? 'None', count: Number(r.count) }));
    shards.sort((a, b) => b.count - a.count);
    ctx.body = { shards };
  });
  // other methods: 405 (below 1.82 with Ironic's description, then the bare framework 405)
  router.all('/v1/shards', collectionSince(82, 'shards'), () => {
    throw new FrameworkError(405, '');
  });
  router.get('/v1/shards/:name', collectionSince(82, 'shards'), () => {
    throw new NotFound('The resource could not be found.'); // Ironic: pecan.abort(404) inside the controller
  });
}
