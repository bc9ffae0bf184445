/**
 * Bad input, table-driven (cases.ts), on BOTH engines: SQLite and MariaDB (ANVIL_TEST_MYSQL_URL from
 * scripts/services/mariadb.sh). Every case: exact status, Ironic's error body, and no write (the whole visible
 * state is identical before and after).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '@anvil/db/testing';
import { startTestApi, type TestApi } from '@anvil/api/testing';
import { CASES, type Fixture } from './cases.ts';

assert.ok(CASES.length >= 30, 'the table has at least 30 cases');

async function setup(api: TestApi): Promise<Fixture> {
  const ok = async (method: string, path: string, body?: unknown) => {
    const r = await api.call(method, path, body);
    assert.ok(r.status < 300, `${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const ch = await ok('POST', '/v1/chassis', { description: 'fixture chassis' });
  const n = await ok('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'fixture', chassis_uuid: ch.uuid, extra: { keep: true } });
  const o = await ok('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'other' });
  const busy = await ok('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'busy' });
  await api.db.nodes.update(busy.uuid, { provision_state: 'active', instance_uuid: '0d9f6c0e-3f0a-4d5e-9a4b-6f1e2d3c4b5a' });
  const locked = await ok('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'locked' });
  const lockedPort = await ok('POST', '/v1/ports', { node_uuid: locked.uuid, address: '52:54:00:00:00:03' });
  await api.db.nodes.reserve(locked.uuid, 'other-conductor');
  await ok('POST', '/v1/portgroups', { node_uuid: n.uuid, name: 'bond-a' });
  const pgB = await ok('POST', '/v1/portgroups', { node_uuid: o.uuid, name: 'bond-b' });
  const p = await ok('POST', '/v1/ports', { node_uuid: n.uuid, address: '52:54:00:00:00:01' });
  await ok('POST', '/v1/ports', { node_uuid: o.uuid, address: '52:54:00:00:00:02' });
  await ok('PUT', `/v1/nodes/${n.uuid}/traits`, { traits: ['CUSTOM_FIXTURE'] });
  return {
    node: n.uuid, nodeName: 'fixture', other: o.uuid, busy: busy.uuid, locked: locked.uuid, lockedPort: lockedPort.uuid, port: p.uuid, portMac: '52:54:00:00:00:01',
    otherPortMac: '52:54:00:00:00:02', portgroupOther: pgB.uuid, chassis: ch.uuid,
  };
}

/** Everything a client can see, for before/after comparison. */
async function snapshot(api: TestApi, f: Fixture): Promise<string> {
  const parts = await Promise.all(
    ['/v1/nodes/detail', '/v1/ports/detail', '/v1/portgroups/detail', '/v1/chassis/detail', `/v1/nodes/${f.node}/traits`].map(
      (p) => api.call('GET', p).then((r) => r.body),
    ),
  );
  return JSON.stringify(parts);
}

for (const engine of testEngines()) {
  describe(`bad input on ${engine.engine}`, () => {
    let api: TestApi;
    let fixture: Fixture;
    let state: string;
    before(async () => {
      api = await startTestApi(engine, { max_body_bytes: 1024 * 1024 }, 82);
      fixture = await setup(api);
      state = await snapshot(api, fixture);
    });
    after(() => api?.close());

    for (const c of CASES) {
      test(`${c.method} ${c.name} → ${c.status}`, async () => {
        const body = c.raw ?? (c.body ? c.body(fixture) : undefined);
        const r = await api.call(c.method, c.path(fixture), body, c.version === undefined ? 'latest' : c.version);
        assert.equal(r.status, c.status, `status; body ${JSON.stringify(r.body)}`);
        assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
        assert.deepEqual(Object.keys(r.body), ['error_message']);
        assert.equal(typeof r.body.error_message, 'string');
        if (c.kind === 'fault') {
          assert.deepEqual(Object.keys(r.error).sort(), ['debuginfo', 'faultcode', 'faultstring']);
          assert.equal(r.error.faultcode, 'Client');
          assert.equal(r.error.debuginfo, null);
          assert.match(r.error.faultstring, c.message);
        } else {
          assert.deepEqual(Object.keys(r.error).sort(), ['code', 'description', 'title']);
          assert.equal(r.error.code, c.status);
          assert.match(r.error.description, c.message);
        }
        assert.match(r.headers.get('openstack-request-id') ?? '', /^req-/);
        assert.equal(await snapshot(api, fixture), state, 'no partial write');
      });
    }
  });
}
