/** Allocations over real HTTP and real SQLite: node picking, errors, backfill, PATCH, DELETE, version gates. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '@anvil/db/testing';
import { startTestApi, type TestApi } from '../testing.ts';
import { until } from '../../../test/wait.ts';

let api: TestApi;
before(async () => {
  api = await startTestApi(testEngines()[0], {}, 82, { conductor: true });
});
after(() => api?.close());

/** POST an allocation and wait until it left `allocating` (the node is picked after the 201, as in Ironic). */
async function allocate(body: Record<string, unknown>) {
  const r = await api.call('POST', '/v1/allocations', body);
  if (r.status !== 201) return r;
  if (body.node) return r; // backfill answers the finished allocation
  assert.equal(r.body.state, 'allocating');
  const g = await until('the allocation to leave allocating', async () => {
    const x = await api.call('GET', `/v1/allocations/${r.body.uuid}`);
    return x.body.state !== 'allocating' ? x : undefined;
  }, 30_000, undefined, 10);
  return { ...g, status: 201, headers: r.headers };
}

async function node(name: string, values: Record<string, unknown>, traits: string[] = []) {
  const r = await api.call('POST', '/v1/nodes', { driver: 'fake-hardware', name, resource_class: 'gold' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  await api.db.nodes.update(r.body.uuid, { provision_state: 'available', power_state: 'power off', ...values });
  if (traits.length) assert.equal((await api.call('PUT', `/v1/nodes/${name}/traits`, { traits })).status, 204);
  return r.body.uuid as string;
}

test('allocation picks a matching node, node shows allocation_uuid, delete releases it', async () => {
  await node('a-maint', { maintenance: true });
  await node('a-nopower', { power_state: null });
  await node('a-manageable', { provision_state: 'manageable' });
  await node('a-silver', { resource_class: 'silver' });
  const good = await node('a-good', {}, ['CUSTOM_GPU']);
  const r = await allocate({ resource_class: 'gold', traits: ['CUSTOM_GPU'], name: 'alloc-1', extra: { a: 1 } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.headers.get('location'), `${api.url}/v1/allocations/${r.body.uuid}`);
  assert.equal(r.body.state, 'active');
  assert.equal(r.body.node_uuid, good);
  assert.equal(r.body.last_error, null);
  assert.equal(r.body.owner, null);
  const n = await api.call('GET', `/v1/nodes/${good}`);
  assert.equal(n.body.allocation_uuid, r.body.uuid);
  assert.equal(n.body.instance_uuid, r.body.uuid);
  assert.deepEqual(n.body.instance_info.traits, ['CUSTOM_GPU']);
  const viaNode = await api.call('GET', '/v1/nodes/a-good/allocation?fields=uuid,state');
  assert.deepEqual(Object.keys(viaNode.body).sort(), ['links', 'state', 'uuid']);
  assert.equal((await api.call('GET', '/v1/allocations/alloc-1')).body.uuid, r.body.uuid);
  const old = await api.call('GET', '/v1/allocations/alloc-1', undefined, '1.59');
  assert.equal(old.body.owner, undefined);
  assert.equal((await api.call('GET', '/v1/allocations/alloc-1', undefined, '1.51')).status, 404);
  // active node: allocation cannot be removed; once the node is available again it can
  await api.db.nodes.update(good, { provision_state: 'active' });
  const refused = await api.call('DELETE', '/v1/nodes/a-good/allocation');
  assert.equal(refused.status, 409, JSON.stringify(refused.body));
  await api.db.nodes.update(good, { provision_state: 'available' });
  assert.equal((await api.call('DELETE', '/v1/allocations/alloc-1')).status, 204);
  const after = await api.call('GET', `/v1/nodes/${good}`);
  assert.equal(after.body.allocation_uuid, null);
  assert.equal(after.body.instance_uuid, null);
  assert.equal((await api.call('GET', '/v1/nodes/a-good/allocation')).status, 404);
});

test('allocation errors: no node, traits, candidates; validation and version gates', async () => {
  const none = await allocate({ resource_class: 'bronze' });
  assert.equal(none.status, 201);
  assert.equal(none.body.state, 'error');
  assert.match(none.body.last_error, /no available nodes match the resource class bronze/);
  assert.equal(none.body.node_uuid, null);
  const c = await node('c-one', {});
  const cand = await allocate({ resource_class: 'gold', candidate_nodes: ['c-one'], traits: ['CUSTOM_NOPE'] });
  assert.equal(cand.body.state, 'error');
  assert.deepEqual(cand.body.candidate_nodes, [c]);
  assert.match(cand.body.last_error, /no suitable nodes have the requested traits CUSTOM_NOPE/);
  const missing = await allocate({ resource_class: 'gold', candidate_nodes: ['ghost'] });
  assert.equal(missing.status, 400);
  assert.equal((await api.call('POST', '/v1/allocations', {})).status, 400);
  assert.equal((await api.call('POST', '/v1/allocations', { resource_class: 'x'.repeat(81) })).status, 400);
  assert.equal((await api.call('POST', '/v1/allocations', { resource_class: 'gold', bogus: 1 })).status, 400);
  assert.equal((await api.call('POST', '/v1/allocations', { resource_class: 'gold', traits: ['lower'] })).status, 400);
  assert.equal((await api.call('POST', '/v1/allocations', { resource_class: 'gold', owner: 'p' }, '1.59')).status, 406);
  const tooOld = await api.call('POST', '/v1/allocations', { node: 'c-one' }, '1.57');
  assert.equal(tooOld.status, 400);
  assert.equal(tooOld.error.faultstring, 'Cannot set node when creating an allocation in this API version');
  assert.equal((await api.call('POST', '/v1/allocations', { resource_class: 'gold' }, '1.51')).status, 405);
  const dup = await allocate({ resource_class: 'bronze', name: 'dup' });
  assert.equal(dup.status, 201);
  assert.equal((await api.call('POST', '/v1/allocations', { resource_class: 'bronze', name: 'dup' })).status, 409);
  // PATCH: 1.57+, only name and extra
  assert.equal((await api.call('PATCH', '/v1/allocations/dup', [{ op: 'add', path: '/extra/x', value: 1 }], '1.56')).status, 405);
  const p = await api.call('PATCH', '/v1/allocations/dup', [{ op: 'add', path: '/extra/x', value: 1 }, { op: 'replace', path: '/name', value: 'dup2' }]);
  assert.equal(p.status, 200, JSON.stringify(p.body));
  assert.deepEqual(p.body.extra, { x: 1 });
  assert.equal(p.body.name, 'dup2');
  assert.equal((await api.call('PATCH', '/v1/allocations/dup2', [{ op: 'replace', path: '/resource_class', value: 'x' }])).status, 400);
  // list filters and fields
  const errs = await api.call('GET', '/v1/allocations?state=error&fields=uuid,state');
  assert.ok(errs.body.allocations.length >= 2);
  for (const a of errs.body.allocations) assert.deepEqual(Object.keys(a).sort(), ['links', 'state', 'uuid']);
  assert.equal((await api.call('GET', '/v1/allocations?owner=x', undefined, '1.59')).status, 406);
  assert.equal((await api.call('GET', '/v1/allocations?fields=bogus')).status, 400);
  assert.equal((await api.call('GET', '/v1/allocations?sort_key=traits')).status, 400);
  const page = await api.call('GET', '/v1/allocations?limit=1&resource_class=bronze');
  assert.equal(page.body.allocations.length, 1);
  assert.match(page.body.next, /resource_class=bronze.*limit=1&marker=/);
});

test('backfill (1.58) records an existing deployment', async () => {
  const u = await node('b-active', { provision_state: 'active', instance_uuid: '0d6f1a9e-5b8d-4d63-9a53-2a1f3cb3a001' });
  const r = await allocate({ node: 'b-active' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.uuid, '0d6f1a9e-5b8d-4d63-9a53-2a1f3cb3a001');
  assert.equal(r.body.state, 'active');
  assert.equal(r.body.resource_class, 'gold');
  assert.equal(r.body.node_uuid, u);
  await node('b-avail', {});
  const notActive = await allocate({ node: 'b-avail', name: 'bf-err' });
  assert.equal(notActive.status, 400);
  assert.match(notActive.error.faultstring, /Cannot backfill an allocation for node .*: Node must be in the "active" state/);
  const kept = await api.call('GET', '/v1/allocations/bf-err');
  assert.equal(kept.body.state, 'error');
  assert.equal(kept.body.node_uuid, null);
  // the default UUID is the node's instance_uuid, already used by the first backfill
  assert.equal((await api.call('POST', '/v1/allocations', { node: 'b-active' })).status, 409);
  await node('b-active2', { provision_state: 'active' });
  const rc = await allocate({ node: 'b-active2', resource_class: 'silver' });
  assert.equal(rc.status, 400);
  assert.match(rc.error.faultstring, /Resource class gold does not match the requested resource class silver/);
  const missing = await allocate({ node: 'nope' });
  assert.equal(missing.status, 400);
  assert.equal(missing.error.faultstring, 'Node nope could not be found.');
  assert.equal((await api.call('GET', '/v1/allocations?node=nope')).status, 400);
  const none = await api.call('GET', '/v1/nodes/b-avail/allocation');
  assert.equal(none.status, 404);
  assert.equal((await api.call('GET', '/v1/nodes/b-avail/allocation', undefined, '1.51')).status, 404);
  assert.equal((await api.call('DELETE', '/v1/nodes/b-avail/allocation', undefined, '1.51')).status, 404);
  // Ironic looks the node of GET /v1/nodes/{node}/allocation up like the list's node filter: missing → 400
  const gone = await api.call('GET', '/v1/nodes/None/allocation');
  assert.equal(gone.status, 400);
  assert.equal(gone.error.faultstring, 'Node None could not be found.');
  assert.equal((await api.call('DELETE', '/v1/nodes/None/allocation')).status, 404);
});

test('removing instance_uuid releases the allocation (allowed states or maintenance only); owner rule', async () => {
  const u = await node('r-node', { resource_class: 'ruby', owner: 'proj-1' }); // an owned allocation only takes the project's nodes
  const a = await allocate({ resource_class: 'ruby', owner: 'proj-1' });
  assert.equal(a.body.node_uuid, u);
  const owner = await api.call('PATCH', `/v1/nodes/${u}`, [{ op: 'add', path: '/owner', value: 'proj-2' }]);
  assert.equal(owner.status, 409);
  await api.db.nodes.update(u, { provision_state: 'active' });
  const refused = await api.call('PATCH', `/v1/nodes/${u}`, [{ op: 'remove', path: '/instance_uuid' }]);
  assert.equal(refused.status, 409);
  assert.match(refused.error.faultstring, /with an allocation can not have instance_uuid removed/);
  await api.db.nodes.update(u, { maintenance: true });
  const ok = await api.call('PATCH', `/v1/nodes/${u}`, [{ op: 'remove', path: '/instance_uuid' }]);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.instance_uuid, null);
  assert.equal(ok.body.allocation_uuid, null);
  assert.equal((await api.call('GET', `/v1/allocations/${a.body.uuid}`)).status, 404);
});
