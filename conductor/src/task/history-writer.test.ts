import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, type Settings } from '@anvil/sdk';
import { openDatabase } from '@anvil/db';
import { historyWriter } from './history-writer.ts';

test('history entries recorded while an INSERT is in flight go together; a deleted node drops only its own entry', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-hist-'));
  const db = await openDatabase({ ...DEFAULT_SETTINGS, data_dir: dir } as Settings);
  try {
    const a = await db.nodes.create({ driver: 'fake-hardware' });
    const b = await db.nodes.create({ driver: 'fake-hardware' });
    const inserts: number[] = [];
    const onQuery = (q: { sql: string; bindings?: unknown[] }) => {
      if (/^insert into .node_history/i.test(q.sql)) inserts.push((q.bindings?.length ?? 0) / 13); // 13 columns per entry (Ironic 39's project, state, target_provision_state, duration_seconds included)
    };
    db.knex.on('query', onQuery);
    const w = historyWriter(db);
    assert.equal(historyWriter(db), w, 'one writer per database');
    await Promise.all([
      w.send({ nodeId: a.id, ev: { event: 'first' } }),
      w.send({ nodeId: a.id, ev: { event: 'second' } }),
      w.send({ nodeId: b.id, ev: { event: 'third' } }),
      w.send({ nodeId: a.id, ev: { event: 'fourth' } }),
    ]);
    db.knex.off('query', onQuery);
    assert.deepEqual(inserts, [1, 3], 'the first leaves at once, the three recorded meanwhile in one INSERT');
    assert.deepEqual((await db.history.list(a.id, { sortKey: 'id' })).map((h) => h.event), ['first', 'second', 'fourth']);
    await db.nodes.destroy(b.uuid);
    await Promise.all([w.send({ nodeId: a.id, ev: { event: 'x' } }), w.send({ nodeId: a.id, ev: { event: 'fifth' } }), w.send({ nodeId: b.id, ev: { event: 'gone' } }).catch(() => {})]);
    assert.deepEqual((await db.history.list(a.id, { sortKey: 'id' })).map((h) => h.event), ['first', 'second', 'fourth', 'x', 'fifth']);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
