/**
 * What knex's migrator leaves racy when several processes (API + conductors) start together on one empty database,
 * and the two guards Anvil puts around it:
 * - knex creates its lock table with an auto-increment key and inserts the lock row when it sees none: two processes
 *   can each insert one, and with two rows every `UPDATE … SET is_locked = 1 WHERE is_locked = 0` counts 2 and fails
 *   ("Migration table is already locked") forever. `prepareMigrationTables` creates both tables first and the one
 *   lock row with a fixed key (a second insert is a key conflict), and removes extra rows an older run left.
 * - outside a transaction (a migration with `config.transaction = false`) knex lists pending migrations before it
 *   takes the lock and does not list them again after: a process that waited would re-run what the holder just
 *   applied. `refuseStaleBatch` (knex's beforeAll hook, called under the lock) throws `StaleMigrationList` then,
 *   knex frees the lock, and the caller retries with a fresh list.
 */
import type { Knex } from 'knex';

export class StaleMigrationList extends Error {
  override name = 'StaleMigrationList';
}

const LOCK_ROW = 1;

async function createIfMissing(k: Knex, table: string, build: (t: Knex.CreateTableBuilder) => void): Promise<void> {
  if (await k.schema.hasTable(table)) return;
  try {
    await k.schema.createTable(table, build);
  } catch (err) {
    // another process created it between hasTable and createTable
    if (!(await k.schema.hasTable(table))) throw err;
  }
}

/** Creates knex's migration and lock tables (same columns as knex) and exactly one lock row. Idempotent. */
export async function prepareMigrationTables(k: Knex, tableName: string): Promise<void> {
  const lockTable = `${tableName}_lock`;
  await createIfMissing(k, tableName, (t) => {
    t.increments();
    t.string('name');
    t.integer('batch');
    t.timestamp('migration_time');
  });
  await createIfMissing(k, lockTable, (t) => {
    t.increments('index').primary();
    t.integer('is_locked');
  });
  await k(lockTable).insert({ index: LOCK_ROW, is_locked: 0 }).onConflict('index').ignore();
  const rows: Array<{ index: number }> = await k(lockTable).select('index').orderBy('index');
  if (rows.length > 1) {
    // an older start raced knex's own insert: keep the lowest row (it may hold a live lock), drop the rest
    await k(lockTable).where('index', '>', rows[0].index).delete();
  }
}

/** knex's beforeAll hook: refuses a batch that names a migration another process applied while this one waited. */
export function refuseStaleBatch(tableName: string) {
  return async (k: Knex, pending: unknown[]): Promise<void> => {
    const names = new Set(pending.map(String));
    const applied: Array<{ name: string }> = await k(tableName).select('name');
    const again = applied.filter((r) => names.has(r.name)).map((r) => r.name);
    if (again.length) throw new StaleMigrationList(`applied by another process while waiting: ${again.join(', ')}`);
  };
}
