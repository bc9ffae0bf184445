/** Node list filters and sorting over real HTTP + SQLite (the filters issue 3 lists). */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '@anvil/db/testing';
import { startTestApi, type TestApi } from '../testing.ts';

let api: TestApi;
const names = async (q: string, version = 'latest') => {
  const r = await api.call('GET', `/v1/nodes?${q}`, undefined, version);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.nodes.map((n: { name: string }) => n.name).sort();
};

before(async () => {
  api = await startTestApi(testEngines()[0], {}, 82);
  const ch = (await api.call('POST', '/v1/chassis', {})).body;
  const mk = async (body: Record<string, unknown>) => {
    const r = await api.call('POST', '/v1/nodes', { driver: 'fake-hardware', ...body });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };
  await mk({ name: 'a', resource_class: 'gold', owner: 'p1', conductor_group: 'RackA', chassis_uuid: ch.uuid });
  const b = await mk({ name: 'b', resource_class: 'silver', lessee: 'p2', maintenance: true });
  await mk({ name: 'c', resource_class: 'gold', instance_uuid: '5d7c2b9e-1c1e-4c7e-9a8e-2f7d9b1c0a11' });
  await api.db.nodes.update(b.uuid, { provision_state: 'available', fault: 'power failure' });
  (globalThis as Record<string, unknown>).chassisUuid = ch.uuid;
});
after(() => api?.close());

test('filters: state, maintenance, associated, resource_class, owner, lessee, conductor_group, fault, chassis, driver, instance', async () => {
  assert.deepEqual(await names('provision_state=available'), ['b']);
  assert.deepEqual(await names('provision_state=enroll'), ['a', 'c']);
  assert.deepEqual(await names('maintenance=true'), ['b']);
  assert.deepEqual(await names('maintenance=false'), ['a', 'c']);
  assert.deepEqual(await names('associated=True'), ['c']);
  assert.deepEqual(await names('associated=no'), ['a', 'b']);
  assert.deepEqual(await names('resource_class=gold'), ['a', 'c']);
  assert.deepEqual(await names('owner=p1'), ['a']);
  assert.deepEqual(await names('lessee=p2'), ['b']);
  assert.deepEqual(await names('conductor_group=racka'), ['a']);
  // the serving conductor filters whatever fields are listed (tempest test_list_nodes_by_conductor, at 1.49)
  assert.deepEqual(await names('conductor=test-conductor', '1.49'), ['a', 'b', 'c']);
  assert.deepEqual(await names('conductor=elsewhere', '1.49'), []);
  assert.deepEqual(await names('fault=power%20failure'), ['b']);
  assert.deepEqual(await names(`chassis_uuid=${(globalThis as Record<string, unknown>).chassisUuid}`), ['a']);
  assert.deepEqual(await names('driver=fake-hardware'), ['a', 'b', 'c']);
  assert.deepEqual(await names('driver=ipmi'), []);
  assert.deepEqual(await names('instance_uuid=5d7c2b9e-1c1e-4c7e-9a8e-2f7d9b1c0a11'), ['c']);
  assert.deepEqual(await names('resource_class=gold&associated=false'), ['a']);
});

test('sorting and paging', async () => {
  const desc = await api.call('GET', '/v1/nodes?sort_key=name&sort_dir=desc');
  assert.equal(desc.status, 200, JSON.stringify(desc.body));
  assert.deepEqual(desc.body.nodes.map((n: { name: string }) => n.name), ['c', 'b', 'a']);
  const p1 = await api.call('GET', '/v1/nodes?sort_key=name&limit=2&fields=name');
  assert.deepEqual(p1.body.nodes.map((n: { name: string }) => n.name), ['a', 'b']);
  assert.ok(p1.body.next.includes('fields=name'));
  const p2 = await api.call('GET', p1.body.next.replace(api.url, ''));
  assert.deepEqual(p2.body.nodes.map((n: { name: string }) => n.name), ['c']);
  assert.deepEqual(Object.keys(p2.body.nodes[0]), ['name', 'links']);
  const inst = await api.call('GET', '/v1/nodes?instance_uuid=5d7c2b9e-1c1e-4c7e-9a8e-2f7d9b1c0a11&limit=1');
  assert.equal(inst.body.next, undefined);
  const detail = await api.call('GET', '/v1/nodes?detail=true&limit=1');
  assert.ok('driver_info' in detail.body.nodes[0]);
  assert.match(detail.body.next, /detail=True/);
});
