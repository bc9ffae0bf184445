/** openDatabase(): chooses the engine from settings, opens knex, migrates, builds the repositories. */
import { join } from 'node:path';
import knex from 'knex';
import { makeDatabase, runMigrations } from './database.ts';
import type { Dialect } from './dialect/dialect.ts';
import { mysqlDialect } from './dialect/mysql.ts';
import { sqliteDialect } from './dialect/sqlite.ts';
import type { Database, DbSettings, OpenOptions } from './types.ts';

/** The dialect settings ask for: database_url (mysql://…) or SQLite at <data_dir>/anvil.sqlite. */
export function dialectFor(settings: DbSettings): Dialect {
  if (settings.database_url) {
    if (/^sqlite:/.test(settings.database_url)) return sqliteDialect(settings.database_url.replace(/^sqlite:(\/\/)?/, ''));
    return mysqlDialect(settings.database_url);
  }
  return sqliteDialect(join(settings.data_dir, 'anvil.sqlite'));
}

/** knex's own log: lock contention during concurrent migrations is expected (runMigrations waits), the rest is shown. */
const knexLog = {
  warn(message: unknown) {
    const text = String(message);
    if (/Can't take lock to run migrations|If you are sure migrations are not running/.test(text)) return;
    console.warn(`@anvil/db: ${text}`);
  },
  error: (message: unknown) => console.error(`@anvil/db: ${String(message)}`),
  deprecate: () => {},
  debug: () => {},
};

export async function openDatabase(settings: DbSettings, opts: OpenOptions = {}): Promise<Database> {
  const dialect = dialectFor(settings);
  // Errors must not carry bound values (driver_info holds BMC passwords): SQL text only, driver's copy dropped.
  const k = knex({ ...dialect.config(), log: knexLog, compileSqlOnError: false });
  k.on('query-error', (err: { sql?: unknown }) => {
    if (err && typeof err === 'object') delete err.sql;
  });
  try {
    if (opts.migrate !== false) await runMigrations(k);
    else await k.raw('SELECT 1');
  } catch (err) {
    await k.destroy();
    throw err;
  }
  return makeDatabase(k, dialect);
}
