// Prepared statements on MariaDB (mysql-prepared.ts): which statements are prepared, and that a prepared read gives
// the same row as the text protocol (dates as strings, JSON text, NULLs, big integers, booleans).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../connect.ts';
import { createMysqlDatabase } from '../testing.ts';
import type { Database } from '../types.ts';
import { preparable } from './mysql-prepared.ts';

test('DML with bindings is prepared; DDL, transactions, no bindings, undefined or array bindings are not', () => {
  assert.ok(preparable('select * from `nodes` where `uuid` = ?', ['u']));
  assert.ok(preparable(' UPDATE `nodes` set `reservation` = ? where `uuid` = ?', ['c1', 'u']));
  assert.ok(preparable('insert into `node_history` (`a`) values (?)', [new Date()]));
  assert.ok(preparable('delete from `x` where `id` = ?', [null]));
  assert.ok(!preparable('select 1', []));
  assert.ok(!preparable('select 1', undefined));
  assert.ok(!preparable('BEGIN', ['x']));
  assert.ok(!preparable('SAVEPOINT trx1', ['x']));
  assert.ok(!preparable('create table t (a int)', [1]));
  assert.ok(!preparable('select ?', [undefined]));
  assert.ok(!preparable('select ?', [[1, 2]]));
  assert.ok(!preparable('select ?', [{ a: 1 }]));
});

const MYSQL = process.env.ANVIL_TEST_MYSQL_URL;
let db: Database;
let drop: () => Promise<void>;
before(async () => {
  if (!MYSQL) throw new Error('missing prerequisite: ANVIL_TEST_MYSQL_URL (scripts/services/mariadb.sh)');
  process.env.ANVIL_DB_PREPARED = '1'; // read when a connection is made
  const created = await createMysqlDatabase(MYSQL);
  drop = created.drop;
  db = await openDatabase({ data_dir: '/tmp', database_url: created.url });
});
after(async () => {
  delete process.env.ANVIL_DB_PREPARED;
  await db?.close();
  await drop?.();
});

test('MariaDB: a read with bindings runs as a prepared statement and reads the same row as the text protocol', async () => {
  const n = await db.nodes.create({ driver: 'fake-hardware', name: 'prepared-1', extra: { a: [1, 'x'] }, maintenance: true });
  await db.nodes.reserve(n.uuid, 'c1');
  const client = (db.knex as unknown as { client: { acquireConnection(): Promise<unknown>; releaseConnection(c: unknown): Promise<void> } }).client;
  const conn = (await client.acquireConnection()) as { _statements: { size: number } };
  try {
    const executed = async () => {
      const [rows] = await db.knex.raw("SHOW SESSION STATUS LIKE 'Com_stmt_execute'").connection(conn);
      return Number(rows[0].Value);
    };
    const before = await executed();
    const prepared = await db.knex('nodes').connection(conn).where('uuid', n.uuid).first();
    assert.equal(await executed(), before + 1, 'the read was a prepared statement');
    assert.ok(conn._statements.size >= 1);
    const [text] = await db.knex.raw(`select * from \`nodes\` where \`uuid\` = '${n.uuid}' limit 1`).connection(conn);
    assert.deepEqual(prepared, text[0]);
    assert.equal(typeof prepared.created_at, 'string');
    assert.equal(prepared.reservation, 'c1');
    assert.equal(prepared.instance_uuid, null);
  } finally {
    await client.releaseConnection(conn);
  }
  // and the repositories read the same through it
  const again = await db.nodes.getByUuid(n.uuid);
  assert.deepEqual(again.extra, { a: [1, 'x'] });
  assert.equal(again.maintenance, true);
  assert.equal(again.reservation, 'c1');
});
