/** /v1/shards (1.82): node counts per shard (null = unsharded), largest first. There is no single-shard resource. */
import type { ApiRouter, RouteDeps } from '../context.ts';
import { routeSince } from '../gates.ts';
import { notFoundRoute } from '../framework-error.ts';
import { Query } from '../query.ts';

export function register(router: ApiRouter, deps: RouteDeps): void {
  router.get('/v1/shards', routeSince(82), async (ctx) => {
    new Query(ctx.query, []);
    const rows: { shard: string | null; count: number | string }[] = await deps.db
      .knex('nodes')
      .select('shard')
      .count({ count: '*' })
      .groupBy('shard');
    const shards = rows.map((r) => ({ count: Number(r.count), name: r.shard ?? null }));
    shards.sort((a, b) => b.count - a.count || String(a.name).localeCompare(String(b.name)));
    ctx.body = { shards };
  });
  router.get('/v1/shards/:name', routeSince(82), () => {
    throw notFoundRoute();
  });
}
