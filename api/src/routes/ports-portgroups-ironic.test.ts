/**
 * Behaviours of Ironic 21.4 that Ironic's own tempest suite relies on, checked against the real one: ports of one
 * portgroup share a physical network (409), portgroups show mode/properties at every version and 1.23 PATCH is
 * gated on its first operation only, removing a volume connector's extra empties it, traits DELETE below 1.37 is 404.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '@anvil/db/testing';
import { startTestApi, type TestApi } from '../testing.ts';

let api: TestApi;
let node: string;
let mac = 0;
const addr = () => `52:54:00:00:aa:${(mac++).toString(16).padStart(2, '0')}`;
before(async () => {
  api = await startTestApi(testEngines()[0]);
  node = (await api.call('POST', '/v1/nodes', { driver: 'fake-hardware' })).body.uuid;
});
after(() => api?.close());

test('ports in a portgroup: a port on another physical network is refused with 409 on create and update', async () => {
  const pg = (await api.call('POST', '/v1/portgroups', { node_uuid: node, address: addr() }, '1.34')).body.uuid;
  const p1 = await api.call('POST', '/v1/ports', { node_uuid: node, address: addr(), portgroup_uuid: pg, physical_network: 'physnet1' }, '1.34');
  assert.equal(p1.status, 201);
  const bad = await api.call('POST', '/v1/ports', { node_uuid: node, address: addr(), portgroup_uuid: pg, physical_network: 'physnet2' }, '1.34');
  assert.equal(bad.status, 409);
  assert.equal(bad.error.faultstring, `Port with physical network physnet2 cannot become a member of port group ${pg} which has ports in physical network physnet1.`);
  const p2 = (await api.call('POST', '/v1/ports', { node_uuid: node, address: addr(), physical_network: 'physnet2' }, '1.34')).body.uuid;
  assert.equal((await api.call('PATCH', `/v1/ports/${p2}`, [{ op: 'replace', path: '/portgroup_uuid', value: pg }], '1.34')).status, 409);
  const p3 = (await api.call('POST', '/v1/ports', { node_uuid: node, address: addr(), portgroup_uuid: pg, physical_network: 'physnet1' }, '1.34')).body.uuid;
  assert.equal((await api.call('PATCH', `/v1/ports/${p3}`, [{ op: 'replace', path: '/physical_network', value: 'physnet2' }], '1.34')).status, 409);
  // the only member may change its network
  assert.equal((await api.call('DELETE', `/v1/ports/${p3}`)).status, 204);
  const only = await api.call('PATCH', `/v1/ports/${p1.body.uuid}`, [{ op: 'replace', path: '/physical_network', value: 'physnet3' }], '1.34');
  assert.equal(only.status, 200);
});

test('portgroups at 1.23: mode and properties shown; PATCH 406 only when the first operation touches them', async () => {
  const pg = await api.call('POST', '/v1/portgroups', { node_uuid: node, address: addr() }, '1.23');
  assert.equal(pg.body.mode, 'active-backup');
  assert.deepEqual(pg.body.properties, {});
  const first = [{ op: 'add', path: '/properties/key1', value: 'v' }];
  assert.equal((await api.call('PATCH', `/v1/portgroups/${pg.body.uuid}`, first, '1.23')).status, 406);
  const later = [{ op: 'add', path: '/extra/key1', value: 'v' }, ...first];
  const r = await api.call('PATCH', `/v1/portgroups/${pg.body.uuid}`, later, '1.23');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.properties, { key1: 'v' });
  assert.equal((await api.call('GET', `/v1/portgroups/${pg.body.uuid}?fields=mode`, undefined, '1.23')).status, 406);
});

test('volume connector: removing extra leaves {}', async () => {
  await api.db.nodes.update(node, { power_state: 'power off' });
  const c = await api.call('POST', '/v1/volume/connectors', { node_uuid: node, type: 'iqn', connector_id: 'iqn.x', extra: { a: 'b' } });
  assert.equal(c.status, 201);
  const r = await api.call('PATCH', `/v1/volume/connectors/${c.body.uuid}`, [{ op: 'remove', path: '/extra' }]);
  assert.equal(r.status, 200);
  assert.deepEqual((await api.call('GET', `/v1/volume/connectors/${c.body.uuid}`)).body.extra, {});
});

test('traits below 1.37: DELETE is 404 (Ironic falls through to the node controller), GET 406, PUT 405', async () => {
  assert.equal((await api.call('DELETE', `/v1/nodes/${node}/traits`, undefined, '1.36')).status, 404);
  assert.equal((await api.call('DELETE', `/v1/nodes/${node}/traits/CUSTOM_A`, undefined, '1.36')).status, 404);
  assert.equal((await api.call('GET', `/v1/nodes/${node}/traits`, undefined, '1.36')).status, 406);
  assert.equal((await api.call('PUT', `/v1/nodes/${node}/traits/CUSTOM_A`, undefined, '1.36')).status, 405);
});
