/**
 * The Inspector-compatible API over a real conductor (fake-hardware power, the `agent` interface unmanaged since the
 * fake boot interface cannot boot a ramdisk): version discovery and headers, start → inspect wait, the ramdisk's
 * POST /v1/continue → hooks, Ironic's rules and Inspector's rules → finished status, processed and unprocessed
 * data, abort, /v1/rules CRUD with Inspector's validation texts, and Inspector's error format.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import bcrypt from 'bcryptjs';
import { SimSwitch, simInventory, simPluginData } from '@anvil/agent-sim';
import { type ConductorApi, startConductorApi } from '../routes/test-conductor-api.ts';
import { type RunningInspectorApi, startInspectorApi } from './app.ts';

let env: ConductorApi;
let insp: RunningInspectorApi;
const sw = new SimSwitch({ name: 'tor-9', chassisMac: '52:54:00:aa:bb:09', vlans: [{ id: 7, name: 'prov' }], mtu: 1500 });
const H = 'X-OpenStack-Ironic-Inspector-API';

async function req(method: string, path: string, body?: unknown, version?: string) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (version) headers[`${H}-Version`] = version;
  const r = await fetch(insp.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null, headers: r.headers };
}

const mac = (n: number) => `52:54:00:6e:00:${n.toString(16).padStart(2, '0')}`;
function machine(n: number) {
  const inventory = simInventory({ index: n, nics: [{ name: 'eth0', mac: mac(n), ipv4: `10.1.0.${n}`, switch: sw, switchPort: n }], bmcAddress: `192.0.2.${n}`, cpus: 8, memoryMb: 16384 });
  return { inventory, body: { inventory, ...simPluginData(inventory) } };
}

async function node(n: number) {
  const created = await env.c.createNode({ name: `insp-${n}`, inspect_interface: 'agent', provision_state: 'manageable', power_state: 'power off' });
  await env.c.db.ports.create({ node_id: created.id, address: mac(n), pxe_enabled: true });
  return created;
}
const settled = (uuid: string, state: string) => env.c.waitFor(uuid, (x) => x.provision_state === state && x.reservation === null);

before(async () => {
  env = await startConductorApi('anvil-inspector-api-', { inspector_require_managed_boot: false, inspector_hooks: '$default_hooks,cpus,memory' }, 96);
  insp = await startInspectorApi({ settings: { ...env.c.settings, host: '127.0.0.1', inspector_port: 0 }, db: env.c.db, registry: await import('@anvil/registry').then((r) => r.createRegistry(env.c.settings, { warn: () => {} })), conductor: env.c.rpcapi });
});
after(async () => {
  await insp?.close();
  await env?.stop();
});

describe('Inspector-compatible API', () => {
  test('version discovery, microversion headers and errors', async () => {
    let r = await req('GET', '/');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { versions: [{ status: 'CURRENT', id: '1.18', links: [{ rel: 'self', href: `${insp.url}/v1` }] }] });
    assert.equal(r.headers.get(`${H}-Minimum-Version`), '1.0');
    assert.equal(r.headers.get(`${H}-Maximum-Version`), '1.18');
    r = await req('GET', '/v1');
    assert.deepEqual(r.body.resources.map((x: { name: string }) => x.name), ['continue', 'introspection', 'rules']);
    r = await req('GET', '/v2');
    assert.deepEqual([r.status, r.body], [404, { error: { message: 'Version v2 not found.' } }]);
    r = await req('GET', '/v1/rules', undefined, '1.99');
    assert.deepEqual([r.status, r.body.error.message], [406, 'Unsupported API version 1.99, supported range is 1.0 to 1.18']);
    r = await req('GET', '/v1/rules', undefined, 'x');
    assert.deepEqual([r.status, r.body.error.message], [400, 'Malformed API version: expected string in form of X.Y or latest']);
    r = await req('GET', '/v1/introspection/nope');
    assert.deepEqual([r.status, r.body.error.message], [404, 'Could not find node nope in cache']);
    r = await req('POST', '/v1/introspection/nope');
    assert.deepEqual([r.status, r.body.error.message], [404, 'Node nope was not found in Ironic']);
    r = await req('POST', '/v1/introspection/nope?manage_boot=maybe');
    assert.deepEqual([r.status, r.body.error.message], [400, 'Invalid boolean value for manage_boot: maybe']);
    r = await req('GET', '/v1/introspection?limit=1001');
    assert.deepEqual([r.status, r.body.error.message], [400, 'Bad request: Limit over 1000']);
    r = await req('POST', '/v1/continue', [1]);
    assert.deepEqual([r.status, r.body.error.message], [400, 'Invalid data: expected a JSON object, got list']);
  });

  test('rules: create with Inspector checks, list, show, delete', async () => {
    let r = await req('POST', '/v1/rules', { conditions: [{ op: 'eq', field: 'data://x' }], actions: [{ action: 'fail', message: 'x' }] });
    assert.deepEqual([r.status, r.body.error.message], [400, 'Invalid parameters for operator eq: missing required parameter(s): value']);
    r = await req('POST', '/v1/rules', { conditions: [{ op: 'eq', field: 'foo://x', value: 1 }], actions: [{ action: 'fail', message: 'x' }] });
    assert.deepEqual([r.status, r.body.error.message], [400, 'Unsupported scheme for field: foo, valid values are node:// or data://']);
    r = await req('POST', '/v1/rules', { conditions: [], actions: [] });
    assert.deepEqual([r.status, r.body.error.message], [400, 'Validation failed for actions: [] is too short']);
    r = await req('POST', '/v1/rules', { actions: [{ action: 'set-attribute', path: '/extra/x' }] });
    assert.deepEqual([r.status, r.body.error.message], [400, 'Invalid parameters for action set-attribute: missing required parameter(s): value']);
    r = await req('POST', '/v1/rules', { uuid: 'nope', actions: [{ action: 'fail', message: 'x' }] });
    assert.deepEqual([r.status, r.body.error.message], [400, 'Invalid UUID value']);
    const body = { description: 'old', actions: [{ action: 'add-trait', name: 'CUSTOM_X' }] };
    r = await req('POST', '/v1/rules', body, '1.5');
    assert.equal(r.status, 200);
    const uuid = r.body.uuid;
    assert.deepEqual(r.body, { uuid, description: 'old', scope: null, conditions: [], actions: [{ action: 'add-trait', name: 'CUSTOM_X' }], links: [{ href: `/v1/rules/${uuid}`, rel: 'self' }] });
    r = await req('POST', '/v1/rules', { ...body, uuid });
    assert.deepEqual([r.status, r.body.error.message], [409, `Rule with UUID ${uuid} already exists`]);
    r = await req('GET', '/v1/rules');
    assert.deepEqual(r.body.rules, [{ uuid, description: 'old', scope: null, links: [{ href: `/v1/rules/${uuid}`, rel: 'self' }] }]);
    assert.equal((await req('DELETE', `/v1/rules/${uuid}`)).status, 204);
    r = await req('GET', `/v1/rules/${uuid}`);
    assert.deepEqual([r.status, r.body.error.message], [404, `Rule ${uuid} was not found`]);
  });

  test('start → waiting → /v1/continue → finished with hooks and Inspector rules; data; abort', async () => {
    let r = await req('POST', '/v1/rules', {
      description: 'vendor',
      conditions: [
        { op: 'ge', field: 'data://inventory.cpu.count', value: 8 },
        { op: 'eq', field: 'data://inventory.interfaces[*].mac_address', value: mac(1), multiple: 'any' },
        { op: 'matches', field: 'node://driver', value: 'fake-.*' },
      ],
      actions: [
        { action: 'set-attribute', path: '/properties/vendor', value: '{data[inventory][system_vendor][manufacturer]}' },
        { action: 'add-trait', name: 'CUSTOM_INSPECTED' },
      ],
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const rule = r.body.uuid;
    const n1 = await node(1);
    r = await req('POST', `/v1/introspection/${n1.name}`);
    assert.equal(r.status, 202, JSON.stringify(r.body));
    await settled(n1.uuid, 'inspect wait');
    r = await req('GET', `/v1/introspection/${n1.uuid}`);
    assert.deepEqual([r.body.state, r.body.finished, r.body.error, r.body.finished_at], ['waiting', false, null, null]);
    const m = machine(1);
    r = await req('POST', '/v1/continue', m.body);
    assert.deepEqual([r.status, r.body], [200, { uuid: n1.uuid }]);
    const done = await settled(n1.uuid, 'manageable');
    assert.equal(done.properties.vendor, (m.inventory.system_vendor as { manufacturer: string }).manufacturer);
    assert.equal(done.properties.cpus, 8);
    assert.deepEqual(await env.c.db.traits.list(done.id), ['CUSTOM_INSPECTED']);
    r = await req('GET', `/v1/introspection/${n1.uuid}`);
    assert.deepEqual([r.body.uuid, r.body.state, r.body.finished, r.body.error], [n1.uuid, 'finished', true, null]);
    assert.match(r.body.finished_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.deepEqual(r.body.links, [{ rel: 'self', href: `${insp.url}/v1/introspection/${n1.uuid}` }]);
    r = await req('GET', `/v1/introspection/${n1.uuid}/data`);
    assert.deepEqual(r.body.inventory, m.inventory);
    r = await req('GET', `/v1/introspection/${n1.uuid}/data/unprocessed`);
    assert.deepEqual(r.body, m.body);
    r = await req('POST', '/v1/continue', m.body);
    assert.equal(r.status, 404);
    assert.match(r.body.error.message, /^Could not find a node for attributes/);

    const n2 = await node(2);
    assert.equal((await req('POST', `/v1/introspection/${n2.uuid}`)).status, 202);
    await settled(n2.uuid, 'inspect wait');
    assert.equal((await req('POST', `/v1/introspection/${n2.uuid}/abort`)).status, 202);
    await settled(n2.uuid, 'inspect failed');
    r = await req('GET', `/v1/introspection/${n2.uuid}`);
    assert.deepEqual([r.body.state, r.body.finished, r.body.error], ['error', true, 'Canceled by operator']);
    r = await req('POST', `/v1/introspection/${n2.uuid}/abort`);
    assert.equal(r.status, 400);
    r = await req('GET', '/v1/introspection');
    assert.deepEqual(r.body.introspection.map((s: { uuid: string }) => s.uuid), [n2.uuid, n1.uuid]);
    r = await req('GET', '/v1/introspection?state=finished');
    assert.deepEqual(r.body.introspection.map((s: { uuid: string }) => s.uuid), [n1.uuid]);
    assert.equal((await req('DELETE', `/v1/rules/${rule}`)).status, 204);
  });
});

test('http_basic: /, /v1 and /v1/continue are public; the rest needs a user of the htpasswd file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-inspector-basic-'));
  writeFileSync(join(dir, 'htpasswd'), `admin:${bcrypt.hashSync('pw', 4)}\n`);
  const basic = await startInspectorApi({ settings: { ...env.c.settings, host: '127.0.0.1', inspector_port: 0, auth_strategy: 'http_basic', http_basic_auth_user_file: join(dir, 'htpasswd') }, db: env.c.db, registry: await import('@anvil/registry').then((r) => r.createRegistry(env.c.settings, { warn: () => {} })), conductor: env.c.rpcapi });
  try {
    const get = (path: string, auth?: string, method = 'GET', body?: unknown) =>
      fetch(basic.url + path, { method, headers: { 'Content-Type': 'application/json', ...(auth ? { Authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    assert.equal((await get('/')).status, 200);
    assert.equal((await get('/v1')).status, 200);
    assert.equal((await get('/v1/continue', undefined, 'POST', [])).status, 400);
    const denied = await get('/v1/rules');
    assert.equal(denied.status, 401);
    assert.deepEqual(await denied.json(), { error: { message: 'Authentication required' } });
    assert.equal((await get('/v1/rules', 'admin:wrong')).status, 401);
    assert.equal((await get('/v1/rules', 'admin:pw')).status, 200);
  } finally {
    await basic.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
