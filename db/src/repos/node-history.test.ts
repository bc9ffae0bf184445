import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeRecord } from '@anvil/sdk';
import { describeEachEngine } from '../testing.ts';

describeEachEngine('node history record and cleanup', ({ db }) => {
  test('record returns exactly the stored row (built from the written values)', async () => {
    const n = await db.nodes.create({ driver: 'fake-hardware' });
    const a = await db.history.record(n.id, { event: 'Deploy failed: boom', severity: 'ERROR', event_type: 'deploy', conductor: 'c1', user: 'admin' });
    assert.deepEqual(a, await db.history.getByUuid(a.uuid));
    const b = await db.history.record(n.id, { event: 'minimal' });
    assert.deepEqual(b, await db.history.getByUuid(b.uuid));
    assert.equal(b.severity, 'INFO');
    assert.equal(b.event_type, 'unknown');
    assert.equal(b.conductor, null);
    assert.ok(b.id > a.id);
  });

  test('recordMany stores many entries of several nodes in one INSERT, in order; a bad one refuses the batch', async () => {
    const a = await db.nodes.create({ driver: 'fake-hardware' });
    const b = await db.nodes.create({ driver: 'fake-hardware' });
    const sql: string[] = [];
    const onQuery = (q: { sql: string }) => sql.push(q.sql.trim().split(/\s+/)[0].toLowerCase());
    db.knex.on('query', onQuery);
    try {
      await db.history.recordMany([
        { nodeId: a.id, ev: { event: 'a1', conductor: 'c1', event_type: 'provisioning' } },
        { nodeId: b.id, ev: { event: 'b1', severity: 'ERROR' } },
        { nodeId: a.id, ev: { event: 'a2' } },
      ]);
      assert.deepEqual(sql, ['insert']);
    } finally {
      db.knex.off('query', onQuery);
    }
    const la = await db.history.list(a.id, { sortKey: 'id' });
    assert.deepEqual(la.map((h) => [h.event, h.severity, h.event_type, h.conductor]), [['a1', 'INFO', 'provisioning', 'c1'], ['a2', 'INFO', 'unknown', null]]);
    assert.ok(la[0].uuid && la[0].uuid !== la[1].uuid && la[0].created_at);
    assert.deepEqual((await db.history.list(b.id)).map((h) => [h.event, h.severity]), [['b1', 'ERROR']]);
    await db.nodes.destroy(b.uuid);
    await assert.rejects(db.history.recordMany([{ nodeId: a.id, ev: { event: 'a3' } }, { nodeId: b.id, ev: { event: 'b2' } }]));
    assert.equal((await db.history.list(a.id)).length, 2);
    await db.nodes.destroy(a.uuid); // the next test counts every entry
  });

  test('pruneAll keeps each node\'s newest max entries and deletes at most batch per call', async () => {
    const nodes: NodeRecord[] = [];
    for (let i = 0; i < 3; i++) nodes.push(await db.nodes.create({ driver: 'fake-hardware' }));
    const counts = [7, 3, 6];
    for (const [i, nd] of nodes.entries()) {
      for (let j = 0; j < counts[i]; j++) await db.history.record(nd.id, { event: `n${i} e${j}` });
    }
    // The first test's node has 2 entries: under the limit.
    const before = await Promise.all(nodes.map((nd) => db.history.list(nd.id)));
    assert.deepEqual(before.map((l) => l.length), counts);
    // max 3: excess 4 + 0 + 3 = 7; batch 5 deletes 5 now, the remaining 2 on the next call
    assert.equal(await db.history.pruneAll(3, 5), 5);
    const mid = await Promise.all(nodes.map((nd) => db.history.list(nd.id)));
    assert.equal(mid.reduce((s, l) => s + l.length, 0), 16 - 5);
    assert.equal(await db.history.pruneAll(3, 5), 2);
    assert.equal(await db.history.pruneAll(3, 5), 0);
    const end = await Promise.all(nodes.map((nd) => db.history.list(nd.id)));
    assert.deepEqual(end.map((l) => l.map((r) => r.event)), [
      ['n0 e4', 'n0 e5', 'n0 e6'],
      ['n1 e0', 'n1 e1', 'n1 e2'],
      ['n2 e3', 'n2 e4', 'n2 e5'],
    ]);
    assert.equal(await db.history.pruneAll(0, 1000), 2 + 9);
    for (const nd of nodes) assert.deepEqual(await db.history.list(nd.id), []);
  });
});
