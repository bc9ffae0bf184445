/**
 * Test support (also for other packages' tests): a fresh database on each engine.
 * SQLite: a temp file. MariaDB: a new randomly named database on the server in ANVIL_TEST_MYSQL_URL
 * (scripts/services/mariadb.sh), dropped by cleanup(). When the variable is absent, opening the MariaDB engine
 * fails naming it (no silent skip: `npm test` starts MariaDB).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import knex from 'knex';
import { openDatabase } from './connect.ts';
import { mysqlDialect, parseMysqlUrl } from './dialect/mysql.ts';
import type { Database, Engine } from './types.ts';

export interface TestDatabase {
  db: Database;
  /** The settings that open this same database again (another process or connection). */
  settings: { data_dir: string; database_url: string | null };
  cleanup(): Promise<void>;
}

export interface TestEngine {
  engine: Engine;
  open(opts?: { migrate?: boolean }): Promise<TestDatabase>;
}

async function openSqlite(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-db-'));
  const settings = { data_dir: dir, database_url: null };
  const db = await openDatabase(settings, opts);
  return {
    db,
    settings,
    async cleanup() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates a database named anvil_t_<random> on the test server and returns its URL. */
export async function createMysqlDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `anvil_t_${randomBytes(6).toString('hex')}`;
  const admin = knex({ ...mysqlDialect(baseUrl).config(), pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await admin.destroy();
  }
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const k = knex({ ...mysqlDialect(baseUrl).config(), pool: { min: 0, max: 1 } });
      try {
        await k.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await k.destroy();
      }
    },
  };
}

async function openMysql(baseUrl: string, opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  parseMysqlUrl(baseUrl);
  const created = await createMysqlDatabase(baseUrl);
  const settings = { data_dir: tmpdir(), database_url: created.url };
  const db = await openDatabase(settings, opts);
  return {
    db,
    settings,
    async cleanup() {
      await db.close();
      await created.drop();
    },
  };
}

/** Both engines; opening MariaDB fails naming what is missing when ANVIL_TEST_MYSQL_URL is not set. */
export function testEngines(env: NodeJS.ProcessEnv = process.env): TestEngine[] {
  const url = env.ANVIL_TEST_MYSQL_URL;
  return [
    { engine: 'sqlite', open: openSqlite },
    {
      engine: 'mysql',
      open: (opts) => {
        if (!url) throw new Error('missing prerequisite: ANVIL_TEST_MYSQL_URL is not set (bash scripts/services/mariadb.sh start; export its env)');
        return openMysql(url, opts);
      },
    },
  ];
}

/** Opens a second handle on the same database (as another process would). */
export function reopen(t: TestDatabase): Promise<Database> {
  return openDatabase(t.settings, { migrate: false });
}

/** What a per-engine suite sees: the open database and its TestDatabase (usable inside tests, after `before`). */
export interface EngineSuite {
  readonly engine: Engine;
  readonly db: Database;
  readonly t: TestDatabase;
}

/** A stand-in that forwards to the object `get()` returns at the time of use. */
function late<T extends object>(get: () => T): T {
  return new Proxy({} as T, { get: (_target, key) => Reflect.get(get(), key) });
}

/**
 * `describe(title [engine])` once per engine (MariaDB fails naming what is missing when not configured), with a fresh
 * database opened before the suite and removed after it. `db` and `t` may be destructured up front.
 */
export function describeEachEngine(title: string, body: (suite: EngineSuite) => void): void {
  for (const eng of testEngines()) {
    let opened: TestDatabase | undefined;
    const current = () => {
      if (!opened) throw new Error('the test database is opened in before(); use it inside tests');
      return opened;
    };
    describe(`${title} [${eng.engine}]`, () => {
      before(async () => {
        opened = await eng.open();
      });
      after(async () => {
        await opened?.cleanup();
      });
      body({ engine: eng.engine, db: late(() => current().db), t: late(current) });
    });
  }
}
