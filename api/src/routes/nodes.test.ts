/** Nodes, traits, ports, portgroups, chassis over real HTTP, real SQLite and the real registry. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '@anvil/db/testing';
import { startTestApi, type TestApi } from '../testing.ts';

let api: TestApi;
before(async () => {
  api = await startTestApi(testEngines()[0], {}, 82);
});
after(() => api?.close());

test('node create fills interfaces, shows at versions, lists with fields and next', async () => {
  const r = await api.call('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'n-0', driver_info: { ipmi_password: 's3cret', ipmi_address: '1.2.3.4' } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.headers.get('location'), `${api.url}/v1/nodes/${r.body.uuid}`);
  assert.equal(r.body.provision_state, 'enroll');
  assert.equal(r.body.driver_info.ipmi_password, '******');
  assert.equal(r.body.driver_info.ipmi_address, '1.2.3.4');
  assert.equal(typeof r.body.power_interface, 'string');
  assert.deepEqual(r.body.traits, []);
  const uuid = r.body.uuid;
  const old = await api.call('GET', `/v1/nodes/${uuid}`, undefined, null);
  assert.equal(old.body.name, undefined);
  assert.equal(old.body.power_interface, undefined);
  assert.equal(old.body.states, undefined);
  const byName = await api.call('GET', '/v1/nodes/n-0?fields=uuid,NAME,name', undefined, '1.46');
  assert.deepEqual(Object.keys(byName.body).sort(), ['links', 'name', 'uuid']);
  for (let i = 1; i < 3; i++) assert.equal((await api.call('POST', '/v1/nodes', { driver: 'fake-hardware', name: `n-${i}` })).status, 201);
  const page = await api.call('GET', '/v1/nodes?limit=2&sort_key=name');
  assert.equal(page.body.nodes.length, 2);
  assert.deepEqual(Object.keys(page.body.nodes[0]).sort(), ['instance_uuid', 'links', 'maintenance', 'name', 'power_state', 'provision_state', 'uuid']);
  assert.match(page.body.next, /\/v1\/nodes\?sort_key=name&sort_dir=asc&fields=instance_uuid,maintenance,power_state,provision_state,uuid,name&limit=2&marker=/);
  assert.deepEqual(Object.keys(page.body.nodes[0]), ["uuid", "instance_uuid", "maintenance", "power_state", "provision_state", "name", "links"]);
  const rest = await api.call('GET', page.body.next.replace(api.url, ''));
  assert.equal(rest.body.nodes.length, 1);
  assert.equal(rest.body.next, undefined);
  const detail = await api.call('GET', '/v1/nodes/detail?driver=fake-hardware');
  assert.equal(detail.body.nodes.length, 3);
  assert.equal(detail.body.nodes[0].driver_info?.ipmi_password ?? '******', '******');
});

test('node PATCH: nested add, read-only path 400, maintenance clears reason, delete', async () => {
  const n = (await api.call('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'patchme' })).body;
  let r = await api.call('PATCH', '/v1/nodes/patchme', [
    { op: 'add', path: '/extra/foo', value: 'bar' },
    { op: 'replace', path: '/description', value: 'hello' },
    { op: 'add', path: '/properties/cpus', value: 4 },
  ]);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.extra, { foo: 'bar' });
  assert.equal(r.body.description, 'hello');
  r = await api.call('PATCH', `/v1/nodes/${n.uuid}`, [{ op: 'replace', path: '/provision_state', value: 'active' }]);
  assert.equal(r.status, 400);
  assert.match(r.error.faultstring, /Cannot patch \/provision_state/);
  r = await api.call('PATCH', `/v1/nodes/${n.uuid}`, [{ op: 'remove', path: '/extra/foo' }, { op: 'replace', path: '/name', value: 'renamed' }]);
  assert.deepEqual(r.body.extra, {});
  assert.equal(r.body.name, 'renamed');
  r = await api.call('PATCH', `/v1/nodes/${n.uuid}`, [{ op: 'replace', path: '/owner', value: 'p1' }], '1.46');
  assert.equal(r.status, 406);
  r = await api.call('DELETE', '/v1/nodes/renamed');
  assert.equal(r.status, 204);
  assert.equal((await api.call('GET', `/v1/nodes/${n.uuid}`)).status, 404);
});

test('traits, ports, portgroups and chassis', async () => {
  const ch = await api.call('POST', '/v1/chassis', { description: 'rack 1' });
  assert.equal(ch.status, 201);
  assert.deepEqual(ch.body.nodes[0][0].rel, 'self');
  const n = (await api.call('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'withports', chassis_uuid: ch.body.uuid })).body;
  assert.equal(n.chassis_uuid, ch.body.uuid);
  assert.equal((await api.call('PUT', `/v1/nodes/${n.uuid}/traits`, { traits: ['CUSTOM_A', 'HW_CPU_X86_VMX'] })).status, 204);
  assert.equal((await api.call('PUT', `/v1/nodes/${n.uuid}/traits/CUSTOM_B`)).status, 204);
  assert.deepEqual((await api.call('GET', `/v1/nodes/${n.uuid}/traits`)).body.traits.sort(), ['CUSTOM_A', 'CUSTOM_B', 'HW_CPU_X86_VMX']);
  assert.equal((await api.call('DELETE', `/v1/nodes/${n.uuid}/traits/CUSTOM_A`)).status, 204);
  assert.equal((await api.call('DELETE', `/v1/nodes/${n.uuid}/traits/CUSTOM_A`)).status, 404);
  const pg = await api.call('POST', '/v1/portgroups', { node_uuid: n.uuid, name: 'bond0', address: '52:54:00:AA:00:00' });
  assert.equal(pg.status, 201, JSON.stringify(pg.body));
  assert.equal(pg.body.address, '52:54:00:aa:00:00');
  const p = await api.call('POST', '/v1/ports', { node_uuid: n.uuid, address: '52:54:00:AB:CD:EF', portgroup_uuid: pg.body.uuid });
  assert.equal(p.status, 201, JSON.stringify(p.body));
  assert.equal(p.body.address, '52:54:00:ab:cd:ef');
  assert.equal(p.body.node_uuid, n.uuid);
  assert.equal(p.body.portgroup_uuid, pg.body.uuid);
  assert.equal((await api.call('POST', '/v1/ports', { node_uuid: n.uuid, address: '52:54:00:ab:cd:ef' })).status, 409);
  assert.equal((await api.call('GET', `/v1/nodes/${n.uuid}/ports`)).body.ports.length, 1);
  assert.equal((await api.call('GET', '/v1/ports?address=52:54:00:AB:CD:EF')).body.ports.length, 1);
  assert.equal((await api.call('GET', `/v1/portgroups/bond0/ports`)).body.ports.length, 1);
  assert.equal((await api.call('GET', `/v1/chassis/${ch.body.uuid}/nodes`)).body.nodes.length, 1);
  assert.equal((await api.call('DELETE', `/v1/portgroups/${pg.body.uuid}`)).status, 400);
  const up = await api.call('PATCH', `/v1/ports/${p.body.uuid}`, [{ op: 'add', path: '/extra/x', value: 1 }, { op: 'remove', path: '/portgroup_uuid' }]);
  assert.equal(up.status, 200, JSON.stringify(up.body));
  assert.equal(up.body.portgroup_uuid, null);
  assert.equal((await api.call('DELETE', `/v1/chassis/${ch.body.uuid}`)).status, 400);
  assert.equal((await api.call('DELETE', `/v1/ports/${p.body.uuid}`)).status, 204);
  assert.equal((await api.call('DELETE', `/v1/portgroups/${pg.body.uuid}`)).status, 204);
  assert.equal((await api.call('DELETE', `/v1/nodes/${n.uuid}`)).status, 204);
  assert.equal((await api.call('DELETE', `/v1/chassis/${ch.body.uuid}`)).status, 204);
});
