/**
 * Prepared statements on MariaDB/MySQL (issue #19 item 1): knex sends every query as text (`connection.query`), so
 * the server parses and plans each one again. `preparedQueries(conn)` routes knex's DML with bindings — SELECT,
 * INSERT, UPDATE, DELETE, the shapes the hot paths repeat (node lock, reads, saves, history) — to mysql2's
 * `execute`: prepared once per connection (kept in mysql2's per-connection LRU, `maxPreparedStatements`), then
 * only the statement id and the binary-encoded values travel. Everything else (DDL, BEGIN/COMMIT, SAVEPOINT,
 * statements without bindings) stays on the text protocol. Results read the same (dateStrings, supportBigNumbers
 * apply to both protocols: `mysql-prepared.test.ts`). Opt-in (ANVIL_DB_PREPARED=1, read by mysql.ts): on a
 * conductor call's statements it measured no faster than the text protocol (bench/prepared-bench.ts, bench/README).
 */

type Callback = (err: Error | null, rows?: unknown, fields?: unknown) => void;

interface Mysql2Connection {
  query(options: unknown, values?: unknown, cb?: Callback): unknown;
  execute(options: unknown, values?: unknown, cb?: Callback): unknown;
}

/** Prepared statements kept per connection: 32 connections × a few processes stay under MariaDB's default max_prepared_stmt_count (16382). */
export const PREPARED_PER_CONNECTION = 64;

const DML = /^\s*(select|insert|update|delete)\b/i;

/** True for a statement worth preparing: DML with bindings, none of them undefined or an array. */
export function preparable(sql: unknown, values: unknown): boolean {
  if (typeof sql !== 'string' || !DML.test(sql)) return false;
  if (!Array.isArray(values) || values.length === 0) return false;
  return values.every((v) => v !== undefined && !Array.isArray(v) && (typeof v !== 'object' || v === null || v instanceof Date || Buffer.isBuffer(v)));
}

/** Wraps conn.query (idempotent): knex's DML with bindings goes through conn.execute. */
export function preparedQueries(conn: Mysql2Connection): void {
  const marked = conn as Mysql2Connection & { __anvilPrepared?: boolean };
  if (marked.__anvilPrepared) return;
  marked.__anvilPrepared = true;
  const query = conn.query.bind(conn);
  const execute = conn.execute.bind(conn);
  conn.query = (options: unknown, values?: unknown, cb?: Callback) => {
    const sql = typeof options === 'string' ? options : (options as { sql?: unknown } | null)?.sql;
    if (typeof cb === 'function' && preparable(sql, values)) return execute(options, values, cb);
    return query(options, values, cb);
  };
}
