import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { cacheStatements } from './statement-cache.ts';

interface Stmt {
  run(...args: unknown[]): unknown;
  all(...args: unknown[]): unknown[];
}
interface Db {
  prepare(sql: string): Stmt;
  close(): void;
}
// better-sqlite3 ships no type declarations; the driver is the one knex uses.
const Sqlite = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => Db;

test('cacheStatements reuses statements by SQL text, evicts the least recently used, survives schema changes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-stmt-'));
  const db = new Sqlite(join(dir, 'x.sqlite'));
  try {
    const cache = cacheStatements(db, 3);
    assert.equal(cacheStatements(db, 3), cache, 'idempotent');
    db.prepare('CREATE TABLE t (a INTEGER)').run();
    const ins = db.prepare('INSERT INTO t (a) VALUES (?)');
    assert.equal(db.prepare('INSERT INTO t (a) VALUES (?)'), ins);
    for (let i = 0; i < 5; i++) db.prepare('INSERT INTO t (a) VALUES (?)').run(i);
    const sel = db.prepare('SELECT * FROM t ORDER BY a');
    assert.deepEqual(sel.all(), [0, 1, 2, 3, 4].map((a) => ({ a })));
    // Schema change: the cached statement sees the new column (SQLite re-prepares it).
    db.prepare('ALTER TABLE t ADD COLUMN b TEXT').run();
    db.prepare('UPDATE t SET b = ?').run('x');
    assert.deepEqual(db.prepare('SELECT * FROM t ORDER BY a').all()[0], { a: 0, b: 'x' });
    // LRU: 3 entries at most; touching ins keeps it while older ones go.
    const ins2 = db.prepare('INSERT INTO t (a) VALUES (?)');
    db.prepare('SELECT 1');
    db.prepare('SELECT 2');
    assert.equal(cache.size, 3);
    assert.deepEqual([...cache.keys()], ['INSERT INTO t (a) VALUES (?)', 'SELECT 1', 'SELECT 2']);
    assert.equal(db.prepare('INSERT INTO t (a) VALUES (?)'), ins2);
    assert.deepEqual([...cache.keys()], ['SELECT 1', 'SELECT 2', 'INSERT INTO t (a) VALUES (?)'], 'a hit becomes the newest');
    assert.notEqual(db.prepare('SELECT * FROM t ORDER BY a'), sel, 'evicted statement is prepared afresh');
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
