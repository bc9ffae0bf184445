import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '@anvil/db';
import { createMysqlDatabase } from '@anvil/db/testing';

const run = promisify(execFile);
const anvil = new URL('../../bin/anvil.js', import.meta.url).pathname;

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await run(process.execPath, [anvil, 'db', ...args], { env: { ...process.env, ANVIL_DATABASE_URL: '' } });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

test('anvil db migrate creates the embedded SQLite schema, and is idempotent', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-cli-db-'));
  try {
    const st = await cli('status', '--data-dir', dir);
    assert.equal(st.code, 0);
    assert.match(st.out, /pending {2}001_chassis_nodes/);
    const first = await cli('migrate', '--data-dir', dir);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /applied 001_chassis_nodes, .*005_node_details/);
    assert.ok(existsSync(join(dir, 'anvil.sqlite')));
    const second = await cli('migrate', `--data-dir=${dir}`);
    assert.equal(second.code, 0);
    assert.match(second.out, /is up to date/);
    const db = await openDatabase({ data_dir: dir, database_url: null }, { migrate: false });
    try {
      assert.deepEqual((await db.migrationStatus()).pending, []);
      assert.equal((await db.nodes.create({ driver: 'fake-hardware' })).provision_state, 'enroll');
    } finally {
      await db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('anvil db: usage errors exit 2, bad URL says why without the password', async () => {
  assert.equal((await cli()).code, 2);
  assert.equal((await cli('frobnicate')).code, 2);
  const bad = await cli('migrate', '--database-url', 'http://user:hunter2@x/db');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /must start with mysql:\/\//);
  const down = await cli('migrate', '--database-url', 'mysql://user:hunter2@127.0.0.1:1/db');
  assert.equal(down.code, 1);
  assert.doesNotMatch(down.out + down.err, /hunter2/);
});

test('anvil db migrate --database-url on MariaDB', async () => {
  const base = process.env.ANVIL_TEST_MYSQL_URL;
  if (!base) throw new Error('missing prerequisite: ANVIL_TEST_MYSQL_URL is not set (bash scripts/services/mariadb.sh start; export its env)');
  const created = await createMysqlDatabase(base);
  try {
    const r = await cli('migrate', '--database-url', created.url);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /applied 001_chassis_nodes/);
    assert.doesNotMatch(r.out, /:anvil@/);
    assert.match((await cli('migrate', '--database-url', created.url)).out, /up to date/);
  } finally {
    await created.drop();
  }
});
