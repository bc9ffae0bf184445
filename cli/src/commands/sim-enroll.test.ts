/**
 * `anvil sim --enroll`'s enrolment against the real API (SQLite): a re-run updates the node of the same name, a
 * port that cannot be created (the MAC belongs to another node) undoes the node it had just created, and the error
 * is one line with Ironic's message and the HTTP status.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi } from '@anvil/api/testing';
import { testEngines } from '@anvil/db/testing';
import { ironicCaller } from '../endpoint.ts';
import { enrollNode } from './sim-enroll.ts';

const bmc = (port: number) => ({ host: '127.0.0.1', port, username: 'admin', password: 'pw' });
const images = { kernel: 'http://127.0.0.1:1/k', ramdisk: 'http://127.0.0.1:1/r', boot: 'pxe' };

test('enrolment is idempotent, and a half-way failure leaves nothing behind', async () => {
  const api = await startTestApi(testEngines()[0]);
  try {
    const call = ironicCaller(api.url);
    const uuid = await enrollNode(call, { name: 'sim-0', mac: '52:54:00:5a:00:00', bmc: bmc(9001) }, images);
    const again = await enrollNode(call, { name: 'sim-0', mac: '52:54:00:5a:00:00', bmc: bmc(9002) }, images);
    assert.equal(again, uuid);
    const node = await call('GET', `/nodes/${uuid}`);
    assert.equal(node.driver_info.ipmi_port, 9002);
    assert.equal(node.driver_info.ipmi_password, '******');
    assert.equal((await call('GET', '/ports')).ports.length, 1);
    // another name with the same MAC: refused in one line, and the node made for it is deleted again
    await assert.rejects(enrollNode(call, { name: 'sim-9', mac: '52:54:00:5a:00:00', bmc: bmc(9003) }, images), (e: Error & { status: number }) => {
      assert.equal(e.status, 409);
      assert.match(e.message, /^MAC 52:54:00:5a:00:00 of sim-9 is already the port [0-9a-f-]{36} of node [0-9a-f-]{36}$/);
      return true;
    });
    assert.deepEqual((await call('GET', '/nodes')).nodes.map((n: { name: string }) => n.name), ['sim-0']);
    // Ironic's own message and status, one line
    await assert.rejects(call('POST', '/nodes', { driver: 'no-such-driver' }), (e: Error) => {
      assert.match(e.message, /^POST \/nodes: .*no-such-driver.* \(HTTP 400\)$/);
      return true;
    });
  } finally {
    await api.close();
  }
});
