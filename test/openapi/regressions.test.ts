/**
 * The server errors the OpenAPI fuzzer (fuzz.test.ts) found, one test each, on SQLite and MariaDB (MariaDB is where
 * they showed: it enforces column ranges SQLite does not).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '@anvil/db/testing';
import { startTestApi } from '@anvil/api/testing';

for (const engine of testEngines()) {
  test(`[${engine.engine}] volume target boot_index past a 32-bit integer: 400, nothing written (was a 500 on MariaDB)`, async () => {
    const api = await startTestApi(engine);
    try {
      const node = await api.call('POST', '/v1/nodes', { driver: 'fake-hardware' });
      assert.equal(node.status, 201);
      const body = { node_uuid: node.body.uuid, volume_type: 'iscsi', volume_id: 'v-1' };
      const big = await api.call('POST', '/v1/volume/targets', { ...body, boot_index: 13431512336 });
      assert.equal(big.status, 400);
      assert.equal(big.error.faultstring, 'Schema error for target: 13431512336 is greater than the maximum of 2147483647');
      const low = await api.call('POST', '/v1/volume/targets', { ...body, boot_index: -2147483649 });
      assert.equal(low.status, 400);
      assert.match(low.error.faultstring, /is less than the minimum of -2147483648/);
      assert.equal((await api.call('GET', '/v1/volume/targets')).body.targets.length, 0);
      const max = await api.call('POST', '/v1/volume/targets', { ...body, boot_index: 2147483647 });
      assert.equal(max.status, 201, 'the largest INT still fits');
    } finally {
      await api.close();
    }
  });
}
