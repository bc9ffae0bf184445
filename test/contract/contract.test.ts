/**
 * The API contract, table-driven (cases.ts), on BOTH engines (SQLite, and MariaDB from ANVIL_TEST_MYSQL_URL via
 * scripts/services/mariadb.sh): every row is sent one microversion below its boundary and at the boundary, and
 * the status (and for errors the Ironic body kind) must be what Ironic 21.4 answers.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '@anvil/db/testing';
import { ROWS } from './cases.ts';
import { startWorld, type World } from './fixture.ts';

assert.ok(ROWS.length >= 60, 'the table covers at least 60 boundaries');

for (const engine of testEngines()) {
  describe(`API contract on ${engine.engine}`, () => {
    let w: World;
    before(async () => {
      w = await startWorld(engine);
    });
    after(() => w?.close());

    test('the advertised maximum is 1.115 (Ironic 39)', async () => {
      const r = await fetch(`${w.url}/v1`, { headers: { 'X-OpenStack-Ironic-API-Version': 'latest' } });
      assert.equal(r.headers.get('x-openstack-ironic-api-maximum-version'), '1.115');
      assert.equal(r.headers.get('x-openstack-ironic-api-version'), '1.115');
      await r.arrayBuffer();
    });

    for (const row of ROWS) {
      test(`${row.method} ${row.name}: 1.${row.since - 1} → ${row.below}, 1.${row.since} → ${row.at}`, async () => {
        const send = async (minor: number) => {
          const r = await w.call(row.method, await row.path(w), row.body?.(w), `1.${minor}`);
          if (row.settle) await w.settle(row.settle(w));
          return r;
        };
        if (row.since > 1) {
          const lo = await send(row.since - 1);
          assert.equal(lo.status, row.below, `below: ${JSON.stringify(lo.body)}`);
          if (row.belowKind) assert.equal(lo.kind, row.belowKind, `below body kind: ${JSON.stringify(lo.body)}`);
        }
        const at = await send(row.since);
        assert.equal(at.status, row.at, `at: ${JSON.stringify(at.body)}`);
        await row.check?.(at, w);
        await row.after?.(w);
      });
    }
  });
}
