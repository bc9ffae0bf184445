/** The node history cleanup periodic task on a real database with a real conductor's settings. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '@anvil/sdk';
import { testEngines, type TestDatabase } from '@anvil/db/testing';
import { startTestConductor, type TestConductor } from '../testing.ts';
import { cleanNodeHistory } from './history-cleanup.ts';

test('Ironic defaults: daily, 300 entries per node, 1000 per run', () => {
  assert.equal(DEFAULT_SETTINGS.node_history_cleanup_interval, 86400);
  assert.equal(DEFAULT_SETTINGS.node_history_max_entries, 300);
  assert.equal(DEFAULT_SETTINGS.node_history_cleanup_batch_count, 1000);
});

for (const engine of testEngines()) {
  describe(`node history cleanup on ${engine.engine}`, () => {
    let tdb: TestDatabase;
    let c: TestConductor;
    before(async () => {
      tdb = await engine.open();
      c = await startTestConductor(tdb.db, { node_history_max_entries: 2, node_history_cleanup_batch_count: 3 });
    });
    after(async () => {
      await c?.stop();
      await tdb?.cleanup();
    });

    test('trims every node to node_history_max_entries, node_history_cleanup_batch_count per run', async () => {
      const n1 = await c.createNode({});
      const n2 = await c.createNode({});
      for (let i = 0; i < 5; i++) await c.db.history.record(n1.id, { event: `a${i}` });
      for (let i = 0; i < 3; i++) await c.db.history.record(n2.id, { event: `b${i}` });
      assert.equal(await cleanNodeHistory(c.conductor.ctx), 3);
      assert.equal(await cleanNodeHistory(c.conductor.ctx), 1);
      assert.equal(await cleanNodeHistory(c.conductor.ctx), 0);
      assert.deepEqual((await c.db.history.list(n1.id)).map((r) => r.event), ['a3', 'a4']);
      assert.deepEqual((await c.db.history.list(n2.id)).map((r) => r.event), ['b1', 'b2']);
    });
  });
}
