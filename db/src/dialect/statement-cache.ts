/**
 * A prepared-statement cache for a better-sqlite3 connection: knex calls `prepare(sql)` for every query, and
 * preparing costs as much as running a small query. The cache keeps the newest statements by SQL text (LRU) so
 * repeated queries reuse their compiled statement. better-sqlite3 runs statements synchronously and SQLite
 * re-prepares a statement by itself after a schema change, so sharing one statement between queries is safe.
 */

interface Preparer<S> {
  prepare(sql: string): S;
}

export const STATEMENT_CACHE_SIZE = 500;

/** Replaces conn.prepare with a caching version (idempotent); returns the cache for inspection. */
export function cacheStatements<S>(conn: Preparer<S>, max = STATEMENT_CACHE_SIZE): Map<string, S> {
  const marked = conn as Preparer<S> & { __anvilStatements?: Map<string, S> };
  if (marked.__anvilStatements) return marked.__anvilStatements;
  const cache = new Map<string, S>();
  const prepare = conn.prepare.bind(conn);
  marked.prepare = (sql: string): S => {
    const hit = cache.get(sql);
    if (hit !== undefined) {
      // Refresh recency only when the entry is not already the newest (Map keeps insertion order).
      cache.delete(sql);
      cache.set(sql, hit);
      return hit;
    }
    const stmt = prepare(sql);
    cache.set(sql, stmt);
    if (cache.size > max) cache.delete(cache.keys().next().value as string);
    return stmt;
  };
  marked.__anvilStatements = cache;
  return cache;
}
