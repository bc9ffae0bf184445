/**
 * MariaDB/MySQL quirks: mysql2 with dates as strings in UTC (DATETIME has no zone), utf8mb4 with a binary
 * collation (unique names compare like SQLite), InnoDB, SELECT ... FOR UPDATE for read-modify-write, and
 * transaction retry on deadlock (1213) and lock wait timeout (1205).
 */
import type { Knex } from 'knex';
import { InvalidParameterValue } from '@anvil/sdk';
import type { Dialect } from './dialect.ts';
import { PREPARED_PER_CONNECTION, preparedQueries } from './mysql-prepared.ts';

export interface MysqlTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** mysql://user:pass@host:port/db (mysql+pymysql:// and mariadb:// accepted too). */
export function parseMysqlUrl(url: string): MysqlTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InvalidParameterValue(`database_url is not a valid URL: ${maskUrl(url)}`);
  }
  if (!/^(mysql|mariadb)(\+\w+)?:$/.test(u.protocol)) {
    throw new InvalidParameterValue(`database_url must start with mysql:// or mariadb://, got ${u.protocol}//`);
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) throw new InvalidParameterValue('database_url needs a database name: mysql://user:pass@host:port/db');
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database,
  };
}

/** The URL with its password replaced by ***. */
export function maskUrl(url: string): string {
  return url.replace(/^([a-z0-9+]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

/** InnoDB, utf8mb4 with a binary collation (names compare exactly, as on SQLite). */
export function mysqlTableDefaults(t: Knex.CreateTableBuilder): void {
  t.engine('InnoDB');
  t.charset('utf8mb4');
  t.collate('utf8mb4_bin');
}

export function mysqlDialect(url: string): Dialect {
  const target = parseMysqlUrl(url);
  return {
    engine: 'mysql',
    config() {
      return {
        client: 'mysql2',
        connection: {
          ...target,
          charset: 'utf8mb4',
          dateStrings: true,
          timezone: 'Z',
          supportBigNumbers: true,
          maxPreparedStatements: PREPARED_PER_CONNECTION,
        },
        pool: {
          min: 0,
          // A conductor runs many tasks at once (RPC handlers and background workers, each a chain of short
          // queries); with 10 connections they queued for the pool (measured: ~100 ms of a ~150 ms node reserve
          // in bench/conductor-bench.ts, kafka mode). oslo.db allows 5 + 50 overflow; 32 per process is ample here.
          max: 32,
          idleTimeoutMillis: 10_000,
          afterCreate(conn: Parameters<typeof preparedQueries>[0], done: (err: Error | null, conn: unknown) => void) {
            // ANVIL_DB_PREPARED=1: knex's DML with bindings as prepared statements (mysql-prepared.ts). Off by
            // default: measured no faster than the text protocol for Anvil's statements (bench/prepared-bench.ts)
            if (process.env.ANVIL_DB_PREPARED === '1') preparedQueries(conn);
            conn.query("SET time_zone = '+00:00', SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'", (err: Error | null) => done(err, conn));
          },
        },
      };
    },
    forUpdate: (qb) => qb.forUpdate() as typeof qb,
    tableDefaults: mysqlTableDefaults,
    retryable(err) {
      const errno = (err as { errno?: number } | null)?.errno;
      return errno === 1213 || errno === 1205;
    },
    describe: () => maskUrl(url),
    // other processes (API, conductors) write the same server and nothing tells this one: never a stamp
    changeStamp: () => null,
  };
}
