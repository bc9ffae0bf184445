/**
 * Node and driver vendor passthru end to end: real HTTP API → ConductorRpcApi → local transport → conductor task
 * (shared lock, upgraded when the method needs it) → the fake vendor interface. Real SQLite, real registry.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Settings } from '@anvil/sdk';
import { testEngines, type TestDatabase } from '@anvil/db/testing';
import { startTestConductor, type TestConductor } from '@anvil/conductor/testing';
import { createRegistry } from '@anvil/registry';
import { startApi, type RunningApi } from '@anvil/api';
import { callApi } from './api-call.ts';

let t: TestDatabase;
let tc: TestConductor;
let api: RunningApi;
let nodeUuid: string;

const call = (method: string, path: string, body?: unknown) => callApi(api.url, method, path, body);

before(async () => {
  t = await testEngines()[0].open();
  tc = await startTestConductor(t.db);
  const settings = { ...tc.settings, port: 0 } as Settings;
  const registry = await createRegistry(settings, { warn: () => {} });
  api = await startApi({ settings, db: t.db, registry, conductor: tc.rpcapi });
  nodeUuid = (await tc.createNode({ name: 'vendor-node' })).uuid;
});

after(async () => {
  await api?.close();
  await tc?.stop();
  await t?.cleanup();
});

test('GET /v1/nodes/{node}/vendor_passthru/methods lists the node vendor interface methods', async () => {
  const r = await call('GET', '/v1/nodes/vendor-node/vendor_passthru/methods');
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.body).sort(), ['fourth_method_shared_lock', 'second_method', 'third_method_sync']);
  assert.deepEqual(r.body.third_method_sync, {
    http_methods: ['POST'],
    async: false,
    description: 'Test if the value of bar is meow.',
    attach: false,
    require_exclusive_lock: true,
  });
  assert.equal((await call('GET', '/v1/nodes/no-such-node/vendor_passthru/methods')).status, 404);
});

test('sync method → 200 with the JSON return value; shared-lock method works on a locked node', async () => {
  const yes = await call('POST', `/v1/nodes/${nodeUuid}/vendor_passthru?method=third_method_sync`, { bar: 'meow' });
  assert.equal(yes.status, 200);
  assert.equal(yes.body, true);
  const no = await call('POST', `/v1/nodes/${nodeUuid}/vendor_passthru?method=third_method_sync`, { bar: 'purr' });
  assert.equal(no.body, false);
  await t.db.nodes.reserve(nodeUuid, 'some-other-conductor');
  try {
    const shared = await call('POST', `/v1/nodes/${nodeUuid}/vendor_passthru?method=fourth_method_shared_lock`, { bar: 'woof' });
    assert.equal(shared.status, 202); // async under a shared lock: accepted although another host holds the node
    const exclusive = await call('POST', `/v1/nodes/${nodeUuid}/vendor_passthru?method=third_method_sync`, { bar: 'meow' });
    assert.equal(exclusive.status, 409);
  } finally {
    await t.db.nodes.release(nodeUuid, 'some-other-conductor');
  }
});

test('async method → 202 with an empty body, then the work lands on the node', async () => {
  const r = await call('POST', `/v1/nodes/${nodeUuid}/vendor_passthru?method=second_method`, { bar: 'async-value' });
  assert.equal(r.status, 202);
  assert.equal(r.text, '');
  const n = await tc.waitFor(nodeUuid, (x) => x.driver_internal_info.fake_vendor_bar === 'async-value');
  assert.equal(n.reservation, null);
});

test('passthru errors: no method, unknown method, wrong HTTP method, failed validation', async () => {
  const none = await call('POST', `/v1/nodes/${nodeUuid}/vendor_passthru`, {});
  assert.equal(none.status, 400);
  assert.match(none.fault, /Method not specified/);
  const unknown = await call('POST', `/v1/nodes/${nodeUuid}/vendor_passthru?method=nope`, {});
  assert.equal(unknown.status, 400);
  assert.match(unknown.fault, /No handler for method nope/);
  const verb = await call('GET', `/v1/nodes/${nodeUuid}/vendor_passthru?method=third_method_sync`);
  assert.equal(verb.status, 400);
  assert.match(verb.fault, /does not support HTTP GET/);
  const invalid = await call('POST', `/v1/nodes/${nodeUuid}/vendor_passthru?method=third_method_sync`, {});
  assert.equal(invalid.status, 400);
  assert.match(invalid.fault, /Parameter 'bar' not passed to method 'third_method_sync'/);
});

test('driver vendor passthru goes through a conductor serving the driver', async () => {
  const r = await call('GET', '/v1/drivers/fake-hardware/vendor_passthru?method=fake_driver_method&bar=x');
  assert.equal(r.status, 400); // unknown query parameter
  const ok = await call('POST', '/v1/drivers/fake-hardware/vendor_passthru?method=fake_driver_method', { bar: 42 });
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body, { bar: 42 });
});

test('python-ironicclient (`baremetal`) lists and calls node and driver passthru methods', async () => {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const env = { ...process.env, OS_AUTH_TYPE: 'none', OS_ENDPOINT: api.url, OS_BAREMETAL_API_VERSION: 'latest' };
  const bm = async (...args: string[]) => (await promisify(execFile)('baremetal', args, { env })).stdout;
  const list = JSON.parse(await bm('node', 'passthru', 'list', 'vendor-node', '-f', 'json'));
  assert.deepEqual(list.map((m: any) => m.Name).sort(), ['fourth_method_shared_lock', 'second_method', 'third_method_sync']);
  await bm('node', 'passthru', 'call', '--arg', 'bar=via-client', 'vendor-node', 'second_method');
  await tc.waitFor(nodeUuid, (x) => x.driver_internal_info.fake_vendor_bar === 'via-client');
  const methods = JSON.parse(await bm('driver', 'passthru', 'list', 'fake-hardware', '-f', 'json'));
  assert.deepEqual(methods.map((m: any) => m.Name), ['fake_driver_method']);
  await assert.rejects(bm('node', 'passthru', 'call', 'vendor-node', 'third_method_sync'), /Parameter 'bar' not passed/);
});

test('python-ironicclient reads the drivers API: show, properties, RAID properties', async () => {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const env = { ...process.env, OS_AUTH_TYPE: 'none', OS_ENDPOINT: api.url, OS_BAREMETAL_API_VERSION: 'latest' };
  const bm = async (...args: string[]) => JSON.parse((await promisify(execFile)('baremetal', [...args, '-f', 'json'], { env })).stdout);
  const show = await bm('driver', 'show', 'fake-hardware');
  assert.equal(show.default_power_interface, 'fake');
  assert.match(show.enabled_console_interfaces, /no-console/);
  const long = await bm('driver', 'list', '--long');
  assert.equal(long.find((d: any) => d['Supported driver(s)'] === 'fake-hardware')['Default Vendor Interface'], 'fake');
  const props = await bm('driver', 'property', 'list', 'fake-hardware');
  assert.ok(props.some((p: any) => p.Property === 'fake_power_sleep'));
  const raid = await bm('driver', 'raid', 'property', 'list', 'fake-hardware');
  assert.ok(raid.some((p: any) => p.Property === 'raid_level'));
});
