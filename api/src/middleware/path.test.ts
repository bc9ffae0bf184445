import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '@anvil/db/testing';
import { startTestApi, type TestApi } from '../testing.ts';

let api: TestApi;
before(async () => {
  api = await startTestApi(testEngines()[0]);
});
after(() => api?.close());

test('.json suffix is stripped (below 1.91) and paths without /v1 are routed under /v1', async () => {
  const n = await api.call('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'suffix' });
  assert.equal(n.status, 201);
  const a = await api.call('GET', `/v1/nodes/${n.body.uuid}.json`, undefined, '1.90');
  assert.equal(a.status, 200);
  assert.equal(a.body.uuid, n.body.uuid);
  const b = await api.call('GET', '/nodes');
  assert.equal(b.status, 200);
  assert.equal(b.body.nodes.length, 1);
  assert.equal(b.headers.get('x-openstack-ironic-api-version'), '1.115');
  const c = await api.call('GET', '/v1.json', undefined, '1.90');
  assert.equal(c.body.id, 'v1');
});

test("Ironic's node-last form of node sub-resources: /v1/nodes/states/<node> = /v1/nodes/<node>/states", async () => {
  const n = await api.call('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'node-last' });
  const direct = await api.call('GET', `/v1/nodes/${n.body.uuid}/states`);
  const last = await api.call('GET', `/v1/nodes/states/${n.body.uuid}`);
  assert.equal(last.status, 200);
  assert.deepEqual(last.body, direct.body);
  assert.equal((await api.call('GET', '/v1/nodes/states/node-last')).body.provision_state, 'enroll');
  assert.equal((await api.call('GET', '/v1/nodes/states/console/no-such-node')).status, 404);
});

test('request ids are fresh per request and well-formed', async () => {
  const inbound = 'req-11111111-2222-3333-4444-555555555555';
  const a = await api.call('GET', '/v1', undefined, '1.1', { 'X-Openstack-Request-Id': inbound });
  const b = await api.call('GET', '/v1');
  const ida = a.headers.get('openstack-request-id');
  assert.match(ida ?? '', /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.notEqual(ida, inbound);
  assert.notEqual(ida, b.headers.get('openstack-request-id'));
});
