/**
 * SQLite quirks: better-sqlite3, one connection (knex's default pool for SQLite), WAL journal, foreign keys on,
 * a busy timeout for other processes sharing the file, a page cache and mmap, and a prepared-statement cache.
 * Writers are serialised by the single connection, so no row locks are needed. Every write on it and every commit by
 * another connection moves the change stamp (change-stamp.ts).
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Dialect } from './dialect.ts';
import { cacheStatements } from './statement-cache.ts';
import { ChangeStamp } from './change-stamp.ts';

interface SqliteConnection {
  pragma(sql: string): unknown;
  prepare(sql: string): unknown;
}

export function sqliteDialect(file: string): Dialect {
  const filename = file === ':memory:' ? file : resolve(file);
  const changes = new ChangeStamp();
  return {
    engine: 'sqlite',
    config() {
      if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
      return {
        client: 'better-sqlite3',
        connection: { filename },
        useNullAsDefault: true,
        pool: {
          min: 1,
          max: 1,
          afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: SqliteConnection) => void) {
            try {
              conn.pragma('journal_mode = WAL');
              conn.pragma('foreign_keys = ON');
              conn.pragma('busy_timeout = 5000');
              conn.pragma('synchronous = NORMAL');
              // Speed: 64 MiB page cache, memory-mapped reads, temp tables in memory (all per connection).
              conn.pragma('cache_size = -65536');
              if (filename !== ':memory:') conn.pragma('mmap_size = 268435456');
              conn.pragma('temp_store = MEMORY');
              changes.track(conn); // before the statement cache, so cached writing statements stay counted
              cacheStatements(conn);
              done(null, conn);
            } catch (err) {
              done(err as Error, conn);
            }
          },
        },
      };
    },
    forUpdate: (qb) => qb,
    tableDefaults: () => {},
    retryable: (err) => (err as { code?: string } | null)?.code === 'SQLITE_BUSY',
    describe: () => `sqlite:${filename}`,
    changeStamp: () => changes.stamp(),
  };
}
