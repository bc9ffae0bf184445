/**
 * The 1.83–1.115 contract (cases-115.ts) on BOTH engines, on an API whose maximum is raised to 1.115 for the test:
 * every row one microversion below its boundary and at it, with Ironic 39's status and error kind.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '@anvil/db/testing';
import { ROWS_115 } from './cases-115.ts';
import { startWorld, type World } from './fixture.ts';

for (const engine of testEngines()) {
  describe(`API 1.83–1.115 contract on ${engine.engine}`, () => {
    let w: World;
    before(async () => {
      w = await startWorld(engine, 115);
    });
    after(() => w?.close());

    for (const row of ROWS_115) {
      test(`${row.method} ${row.name}: 1.${row.since - 1} → ${row.below}, 1.${row.since} → ${row.at}`, async () => {
        const lo = await w.call(row.method, await row.path(w), row.body?.(w), `1.${row.since - 1}`);
        assert.equal(lo.status, row.below, `below: ${JSON.stringify(lo.body)}`);
        if (row.belowKind) assert.equal(lo.kind, row.belowKind, `below body kind: ${JSON.stringify(lo.body)}`);
        const at = await w.call(row.method, await row.path(w), row.body?.(w), `1.${row.since}`);
        if (row.settle) await w.settle(row.settle(w)); // work after a 204/202 answer holds the node's lock a moment
        assert.equal(at.status, row.at, `at: ${JSON.stringify(at.body)}`);
        await row.check?.(at, w);
      });
    }
  });
}
