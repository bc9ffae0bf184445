/**
 * auth_strategy=keystone against a fake Keystone v3 over real HTTP: 401s, public routes, the token cache, and the
 * default RBAC policy for system and project (owner / lessee) scoped callers, including 404 concealment,
 * project-narrowed lists, self-owned node create/delete, forced allocation owner and node field redaction.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '@anvil/db/testing';
import { startTestApi, type TestApi } from '@anvil/api/testing';
import { FakeKeystone } from './fake-keystone.ts';
import { until } from '../wait.ts';

const engine = testEngines()[0];

describe('keystone auth and policy (enforce_new_defaults)', () => {
  const ks = new FakeKeystone();
  let api: TestApi;
  const tok: Record<string, string> = {};
  let owned: string;
  let unowned: string;
  const as = (who: string, method: string, path: string, body?: unknown) =>
    api.call(method, path, body, 'latest', { 'X-Auth-Token': tok[who] });

  before(async () => {
    ks.addUser({ name: 'ironic', password: 'svc-secret', projects: { service: ['service'] } });
    ks.addUser({ name: 'sysadmin', password: 'x', system: ['admin'] });
    ks.addUser({ name: 'sysreader', password: 'x', system: ['reader'] });
    ks.addUser({ name: 'alice', password: 'x', projects: { 'owner-p': ['member'] } });
    ks.addUser({ name: 'oscar', password: 'x', projects: { 'owner-p': ['admin'] } });
    ks.addUser({ name: 'lisa', password: 'x', projects: { 'lessee-p': ['member'] } });
    ks.addUser({ name: 'lena', password: 'x', projects: { 'lessee-p': ['reader'] } });
    ks.addUser({ name: 'eve', password: 'x', projects: { 'other-p': ['member'] } });
    await ks.start();
    for (const u of ['sysadmin', 'sysreader']) tok[u] = ks.issue(u, 'system');
    for (const [u, p] of [['alice', 'owner-p'], ['oscar', 'owner-p'], ['lisa', 'lessee-p'], ['lena', 'lessee-p'], ['eve', 'other-p']])
      tok[u] = ks.issue(u, { project: p });
    api = await startTestApi(engine, {
      auth_strategy: 'keystone',
      keystone_url: `${ks.url}/v3`,
      keystone_username: 'ironic',
      keystone_password: 'svc-secret',
      keystone_project_name: 'service',
      policy_enforce_new_defaults: true,
    }, undefined, { conductor: true }); // allocations are created by a conductor
    const o = await as('sysadmin', 'POST', '/v1/nodes', {
      driver: 'fake-hardware', name: 'owned-0', owner: ks.projectId('owner-p'), lessee: ks.projectId('lessee-p'),
      driver_info: { ipmi_address: '10.0.0.9', ipmi_password: 'pw' },
    });
    assert.equal(o.status, 201, JSON.stringify(o.body));
    owned = o.body.uuid;
    unowned = (await as('sysadmin', 'POST', '/v1/nodes', { driver: 'fake-hardware', name: 'unowned-0' })).body.uuid;
    await api.db.nodes.update(owned, { last_error: 'boom at 10.0.0.9' });
  });
  after(async () => {
    await api?.close();
    await ks.stop();
  });

  test('missing or unknown token → 401 with Keystone WWW-Authenticate; public routes need none', async () => {
    for (const headers of [{}, { 'X-Auth-Token': 'gAAAAnot-a-token' }] as Record<string, string>[]) {
      const r = await api.call('GET', '/v1/nodes', undefined, 'latest', headers);
      assert.equal(r.status, 401);
      assert.equal(r.headers.get('www-authenticate'), `Keystone uri="${ks.url}/v3"`);
      assert.deepEqual(r.body, { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } });
    }
    assert.equal((await api.call('GET', '/')).status, 200);
    assert.equal((await api.call('GET', '/v1')).status, 200);
    assert.notEqual((await api.call('GET', '/v1/lookup?addresses=52:54:00:00:00:99')).status, 401);
    assert.notEqual((await api.call('POST', `/v1/heartbeat/${owned}`, { callback_url: 'http://127.0.0.1:9999' })).status, 401);
    assert.equal((await api.call('POST', '/v1/heartbeat/Owned_0', { callback_url: 'http://127.0.0.1:9999' })).status, 401);
  });

  test('validated tokens are cached; a revoked token is refused once uncached', async () => {
    const t = ks.issue('sysreader', 'system');
    const before = ks.validations;
    for (let i = 0; i < 3; i++) assert.equal((await api.call('GET', '/v1/nodes', undefined, 'latest', { 'X-Auth-Token': t })).status, 200);
    assert.equal(ks.validations, before + 1);
    const t2 = ks.issue('sysreader', 'system');
    ks.revoke(t2);
    assert.equal((await api.call('GET', '/v1/nodes', undefined, 'latest', { 'X-Auth-Token': t2 })).status, 401);
  });

  test('project users list only owned or leased nodes; system readers list all', async () => {
    const names = async (who: string) => (await as(who, 'GET', '/v1/nodes')).body.nodes.map((n: { name: string }) => n.name).sort();
    assert.deepEqual(await names('sysreader'), ['owned-0', 'unowned-0']);
    assert.deepEqual(await names('alice'), ['owned-0']);
    assert.deepEqual(await names('lena'), ['owned-0']);
    assert.deepEqual(await names('eve'), []);
  });

  test('a node a project user cannot see is 404; a visible one refused is 403 with the rule name', async () => {
    const r = await as('eve', 'GET', `/v1/nodes/${owned}`);
    assert.equal(r.status, 404);
    assert.equal(r.error.faultstring, `Node ${owned} could not be found.`);
    assert.equal((await as('alice', 'GET', `/v1/nodes/${unowned}`)).status, 404);
    assert.equal((await as('alice', 'GET', `/v1/nodes/${owned}`)).status, 200);
    const p = await as('alice', 'PATCH', `/v1/nodes/${owned}`, [{ op: 'replace', path: '/owner', value: 'someone-else' }]);
    assert.equal(p.status, 403);
    assert.equal(p.error.faultstring, 'Access was denied to the following resource: baremetal:node:update:owner');
    const s = await as('sysreader', 'PATCH', `/v1/nodes/${owned}`, [{ op: 'add', path: '/extra/a', value: '1' }]);
    assert.equal(s.status, 403);
    assert.equal(s.error.faultstring, 'Access was denied to the following resource: baremetal:node:update_extra');
  });

  test('owner member updates name and maintenance; lessee member may not set maintenance but may change power', async () => {
    const r = await as('alice', 'PATCH', `/v1/nodes/${owned}`, [{ op: 'add', path: '/extra/by', value: 'alice' }]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    // Past the policy, the route answers (a conductor runs it); what matters is no 401/403/404.
    const passed = (r: { status: number }) => ![401, 403, 404].includes(r.status);
    assert.ok(passed(await as('alice', 'PUT', `/v1/nodes/${owned}/maintenance`, { reason: 'x' })));
    assert.ok(passed(await as('alice', 'DELETE', `/v1/nodes/${owned}/maintenance`)));
    const m = await as('lisa', 'PUT', `/v1/nodes/${owned}/maintenance`, { reason: 'x' });
    assert.equal(m.status, 403);
    assert.equal(m.error.faultstring, 'Access was denied to the following resource: baremetal:node:set_maintenance');
    const pw = await as('lisa', 'PUT', `/v1/nodes/${owned}/states/power`, { target: 'power on' });
    assert.ok(passed(pw), `power by lessee member: ${pw.status} ${JSON.stringify(pw.body)}`);
    const lr = await as('lena', 'PUT', `/v1/nodes/${owned}/states/power`, { target: 'power on' });
    assert.equal(lr.status, 403);
  });

  test('last_error, reservation, driver_info, driver_internal_info are redacted below the owner', async () => {
    // the power action of the test before ran on the conductor and cleared last_error: set it again once it ended
    await until('the power action ended', async () => (await api.db.nodes.getByUuid(owned)).reservation === null, 10_000);
    await api.db.nodes.update(owned, { last_error: 'boom at 10.0.0.9' });
    const lessee = (await as('lena', 'GET', `/v1/nodes/${owned}`)).body;
    assert.equal(lessee.last_error, '** Value Redacted - Requires baremetal:node:get:last_error permission. **');
    assert.deepEqual(lessee.driver_info, { content: '** Redacted - Requires baremetal:node:get:driver_info permission. **' });
    assert.deepEqual(lessee.driver_internal_info, { content: '** Redacted - Requires baremetal:node:get:driver_internal_info permission. **' });
    assert.equal(lessee.reservation, '** Redacted - requires baremetal:node:get:reservation permission. **');
    const listed = (await as('lena', 'GET', '/v1/nodes/detail')).body.nodes[0];
    assert.equal(listed.last_error, lessee.last_error);
    const owner = (await as('alice', 'GET', `/v1/nodes/${owned}`)).body;
    assert.equal(owner.last_error, 'boom at 10.0.0.9');
    assert.equal(owner.driver_info.ipmi_address, '10.0.0.9');
    assert.equal(owner.driver_info.ipmi_password, '******');
    assert.equal(owner.reservation, null);
    assert.equal((await as('sysreader', 'GET', `/v1/nodes/${owned}`)).body.last_error, 'boom at 10.0.0.9');
  });

  test('node create/delete: system admin, or project admin for self-owned nodes', async () => {
    const a = await as('alice', 'POST', '/v1/nodes', { driver: 'fake-hardware', name: 'alice-0' });
    assert.equal(a.status, 403);
    assert.equal(a.error.faultstring, 'Access was denied to the following resource: baremetal:node:create');
    assert.equal((await as('oscar', 'POST', '/v1/nodes', { driver: 'fake-hardware', owner: ks.projectId('other-p') })).status, 403);
    const o = await as('oscar', 'POST', '/v1/nodes', { driver: 'fake-hardware', name: 'oscar-0' });
    assert.equal(o.status, 201, JSON.stringify(o.body));
    assert.equal(o.body.owner, ks.projectId('owner-p'));
    assert.equal((await as('alice', 'DELETE', `/v1/nodes/${o.body.uuid}`)).status, 403);
    assert.equal((await as('oscar', 'DELETE', `/v1/nodes/${unowned}`)).status, 404);
    assert.equal((await as('oscar', 'DELETE', `/v1/nodes/${o.body.uuid}`)).status, 204);
  });

  test('ports, chassis, drivers, conductors: system scope only', async () => {
    for (const p of ['/v1/ports', '/v1/portgroups', '/v1/chassis', '/v1/drivers', '/v1/conductors', '/v1/deploy_templates']) {
      assert.equal((await as('alice', 'GET', p)).status, 403, p);
      assert.equal((await as('sysreader', 'GET', p)).status, 200, p);
    }
    const c = await as('sysreader', 'POST', '/v1/chassis', { description: 'rack' });
    assert.equal(c.status, 403);
    assert.equal(c.error.faultstring, 'Access was denied to the following resource: baremetal:chassis:create');
    assert.equal((await as('sysadmin', 'POST', '/v1/chassis', { description: 'rack' })).status, 201);
  });

  test('allocations: a project member creates one owned by its project and only its project sees it', async () => {
    const a = await as('alice', 'POST', '/v1/allocations', { resource_class: 'none-such', name: 'alloc-a' });
    assert.equal(a.status, 201, JSON.stringify(a.body));
    assert.equal(a.body.owner, ks.projectId('owner-p'));
    assert.equal((await as('alice', 'POST', '/v1/allocations', { resource_class: 'x', owner: 'someone' })).status, 403);
    const seen = async (who: string) => (await as(who, 'GET', '/v1/allocations')).body.allocations.map((x: { name: string }) => x.name);
    assert.ok((await seen('alice')).includes('alloc-a'));
    assert.deepEqual(await seen('eve'), []);
    assert.ok((await seen('sysreader')).includes('alloc-a'));
    assert.equal((await as('eve', 'GET', `/v1/allocations/${a.body.uuid}`)).status, 403);
    assert.equal((await as('eve', 'DELETE', `/v1/allocations/${a.body.uuid}`)).status, 403);
    assert.equal((await as('alice', 'GET', `/v1/allocations/${a.body.uuid}`)).status, 200);
  });
});

describe('keystone auth with legacy defaults (enforce_new_defaults off, the default)', () => {
  const ks = new FakeKeystone();
  let api: TestApi;
  before(async () => {
    ks.addUser({ name: 'ironic', password: 'svc', projects: { service: ['service'] } });
    ks.addUser({ name: 'padmin', password: 'x', projects: { 'some-p': ['admin'] } });
    ks.addUser({ name: 'pmember', password: 'x', projects: { 'some-p': ['member'] } });
    await ks.start();
    api = await startTestApi(engine, { auth_strategy: 'keystone', keystone_url: ks.url, keystone_username: 'ironic', keystone_password: 'svc' });
  });
  after(async () => {
    await api?.close();
    await ks.stop();
  });

  test('the deprecated is_admin rule lets any admin role through; a plain project member still cannot create', async () => {
    const admin = { 'X-Auth-Token': ks.issue('padmin', { project: 'some-p' }) };
    const member = { 'X-Auth-Token': ks.issue('pmember', { project: 'some-p' }) };
    const n = await api.call('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'legacy-0' }, 'latest', admin);
    assert.equal(n.status, 201, JSON.stringify(n.body));
    assert.equal((await api.call('GET', '/v1/nodes', undefined, 'latest', admin)).body.nodes.length, 1);
    assert.equal((await api.call('POST', '/v1/nodes', { driver: 'fake-hardware' }, 'latest', member)).status, 403);
    assert.deepEqual((await api.call('GET', '/v1/nodes', undefined, 'latest', member)).body.nodes, []);
  });
});
