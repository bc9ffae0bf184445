/**
 * A change stamp for a better-sqlite3 database: a number that is the same at two moments only if nothing can have
 * changed the database in between, so a reader may keep what it derived from the data while the stamp holds.
 *  - this process's writes: every statement that is not a pure read (INSERT/UPDATE/DELETE, DDL, and BEGIN,
 *    COMMIT, ROLLBACK, SAVEPOINT) bumps the counter after it runs, so a transaction's commit or rollback is a change;
 *  - other connections' commits (another process on the same file): SQLite's `PRAGMA data_version` on our own
 *    connection changes whenever another connection committed; a new value bumps the counter.
 * `stamp()` is null when no connection is open (never created, or closed): nothing may be kept then.
 */

interface SqliteStatement {
  readonly reader: boolean;
  readonly readonly: boolean;
  get(...args: unknown[]): unknown;
  pluck(on?: boolean): SqliteStatement;
}

interface SqliteConnection {
  prepare(sql: string): unknown;
  exec?(sql: string): unknown;
}

const RUNS = new Set<string | symbol>(['run', 'all', 'get', 'iterate']);

export class ChangeStamp {
  private writes = 0;
  private version: SqliteStatement | null = null;
  private lastVersion: unknown = undefined;

  /** Counts this connection's writes from now on (wrap its prepare before any statement cache) and watches data_version. */
  track(conn: SqliteConnection): void {
    const prepare = conn.prepare.bind(conn);
    this.version = (prepare('PRAGMA data_version') as SqliteStatement).pluck(true);
    this.lastVersion = undefined;
    this.writes++; // a new connection: nothing derived before it is known to hold
    conn.prepare = (sql: string) => this.watch(prepare(sql) as SqliteStatement);
    if (typeof conn.exec === 'function') {
      const exec = conn.exec.bind(conn);
      conn.exec = (sql: string) => {
        try {
          return exec(sql);
        } finally {
          this.writes++;
        }
      };
    }
  }

  /** The current stamp, or null when the database cannot be watched (no open connection). */
  stamp(): number | null {
    if (!this.version) return null;
    let v: unknown;
    try {
      v = this.version.get();
    } catch {
      this.version = null; // the connection was closed
      return null;
    }
    if (v !== this.lastVersion) {
      this.lastVersion = v;
      this.writes++;
    }
    return this.writes;
  }

  /** A pure read (a SELECT, a read-only PRAGMA) as it is; anything else counted each time it runs. */
  private watch(stmt: SqliteStatement): SqliteStatement {
    if (stmt.reader && stmt.readonly) return stmt;
    return new Proxy(stmt, {
      get: (target, prop) => {
        const value = Reflect.get(target, prop) as unknown;
        if (typeof value !== 'function') return value;
        if (!RUNS.has(prop)) return value.bind(target);
        return (...args: unknown[]) => {
          try {
            return value.apply(target, args);
          } finally {
            this.writes++;
          }
        };
      },
    });
  }
}
