/** What every repository gets: the knex (or transaction) to use, the engine's dialect, and a transaction helper. */
import type { Knex } from 'knex';
import type { Dialect } from './dialect/dialect.ts';

export interface RepoContext {
  k: Knex;
  dialect: Dialect;
  /** Runs fn atomically: a savepoint inside an open transaction, else a new transaction (retried on deadlock). */
  tx<T>(fn: (k: Knex.Transaction) => Promise<T>): Promise<T>;
}

export function makeContext(k: Knex, dialect: Dialect): RepoContext {
  return {
    k,
    dialect,
    async tx(fn) {
      if ((k as Knex.Transaction).isTransaction) return k.transaction(fn);
      for (let attempt = 1; ; attempt++) {
        try {
          return await k.transaction(fn);
        } catch (err) {
          if (attempt >= 4 || !dialect.retryable(err)) throw err;
          await new Promise((r) => setTimeout(r, 10 * attempt + Math.random() * 20));
        }
      }
    },
  };
}
