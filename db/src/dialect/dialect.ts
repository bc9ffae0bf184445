/** What differs between engines, behind one small contract; each engine's quirks live in its own file. */
import type { Knex } from 'knex';
import type { Engine } from '../types.ts';

export interface Dialect {
  engine: Engine;
  /** knex configuration for this engine. */
  config(): Knex.Config;
  /** Row lock for read-modify-write inside a transaction (no-op where the engine serialises writers). */
  forUpdate<Q extends Knex.QueryBuilder>(qb: Q): Q;
  /** Engine defaults for a new table (charset, storage engine). */
  tableDefaults(t: Knex.CreateTableBuilder): void;
  /** True for errors worth retrying the whole transaction (deadlock, busy). */
  retryable(err: unknown): boolean;
  /** Human description for logs, with any password masked. */
  describe(): string;
  /** See Database.changeStamp: a number that moves on every change, or null when the engine cannot tell. */
  changeStamp(): number | null;
}

/** The engine a knex instance talks to (used by migrations, which only get knex). */
export function engineOf(k: Knex): Engine {
  const client = String((k.client as { config?: { client?: unknown } }).config?.client ?? '');
  return client.includes('mysql') ? 'mysql' : 'sqlite';
}
