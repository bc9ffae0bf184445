/**
 * The compute API's contract without a baremetal service behind it: Nova's fault bodies and status codes,
 * microversion headers and 406, the version documents, flavors + extra specs, keypairs, images, the 409 of an
 * action on a server in the wrong state. SQLite in a temp dir; the driver points at nothing (polling, no calls).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ComputeManager } from '../compute/manager.ts';
import { ComputeStore } from '../compute/store.ts';
import { IronicDriver } from '../driver/driver.ts';
import { createComputeApp } from './app.ts';

const dir = mkdtempSync(join(tmpdir(), 'compute-api-'));
let store: ComputeStore;
let driver: IronicDriver;
let url = '';
let close: () => void = () => {};

before(async () => {
  store = await ComputeStore.open({ data_dir: dir });
  driver = await IronicDriver.create({ endpoint: 'http://127.0.0.1:9', waitMode: 'poll' });
  const manager = new ComputeManager(store, driver);
  const app = createComputeApp({ store, manager, startBuild: () => {}, startDelete: () => {}, services: async () => [{ host: 'c1', alive: true, updated_at: new Date().toISOString() }] });
  const server = createServer(app.callback()).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
after(async () => {
  close();
  await driver.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown, version?: string) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (version) headers['OpenStack-API-Version'] = `compute ${version}`;
  const r = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, headers: r.headers, body: text.startsWith('{') ? JSON.parse(text) : text };
}

test('versions, microversion headers and 406', async () => {
  const root = await call('GET', '/');
  assert.equal(root.status, 300);
  assert.equal(root.body.versions[0].id, 'v2.1');
  const v = await call('GET', '/v2.1/flavors', undefined, '2.26');
  assert.equal(v.headers.get('openstack-api-version'), 'compute 2.26');
  assert.equal(v.headers.get('x-openstack-nova-api-version'), '2.26');
  const bad = await call('GET', '/v2.1/flavors', undefined, '2.99');
  assert.equal(bad.status, 406);
  assert.match(bad.body.notAcceptable.message, /Version 2.99 is not supported by the API/);
});

test("Nova's fault bodies: 404 itemNotFound, 400 badRequest, 409 conflictingRequest", async () => {
  assert.deepEqual((await call('GET', `/v2.1/servers/${randomUUID()}`)).body.itemNotFound.code, 404);
  const noFlavor = await call('POST', '/v2.1/servers', { server: { name: 'x', imageRef: 'http://i/x' } });
  assert.equal(noFlavor.status, 400);
  assert.match(noFlavor.body.badRequest.message, /flavorRef/);
  const needsNetworks = await call('POST', '/v2.1/servers', { server: { name: 'x', imageRef: 'http://i/x', flavorRef: 'f' } }, '2.37');
  assert.equal(needsNetworks.status, 400);
  const now = new Date().toISOString();
  const building = await store.createInstance({ uuid: randomUUID(), name: 'b', status: 'BUILD', task_state: 'scheduling', created_at: now, updated_at: now, nics: [], metadata: {}, flavor: { id: 'f', name: 'f', vcpus: 1, ram: 1, disk: 1, ephemeral: 0, swap: 0, extra_specs: {} }, image: { id: 'i', name: 'i', properties: {} } } as never);
  const reboot = await call('POST', `/v2.1/servers/${building.uuid}/action`, { reboot: { type: 'SOFT' } });
  assert.equal(reboot.status, 409);
  assert.match(reboot.body.conflictingRequest.message, /^Cannot 'reboot' instance .* while it is in vm_state building$/);
  assert.equal((await call('POST', `/v2.1/servers/${building.uuid}/action`, { shelve: null })).status, 400);
});

test('flavors with extra specs, keypairs, images, availability zones', async () => {
  const f = (await call('POST', '/v2.1/flavors', { flavor: { name: 'bm', vcpus: 2, ram: 4, disk: 8 } })).body.flavor;
  assert.equal(f.swap, '');
  assert.equal((await call('POST', '/v2.1/flavors', { flavor: { name: 'bm', vcpus: 2, ram: 4, disk: 8 } })).status, 409);
  await call('POST', `/v2.1/flavors/${f.id}/os-extra_specs`, { extra_specs: { 'resources:CUSTOM_BM': '1' } });
  assert.deepEqual((await call('GET', `/v2.1/flavors/${f.id}/os-extra_specs/resources:CUSTOM_BM`)).body, { 'resources:CUSTOM_BM': '1' });
  assert.equal((await call('DELETE', `/v2.1/flavors/${f.id}/os-extra_specs/resources:CUSTOM_BM`)).status, 200);
  assert.equal((await call('GET', `/v2.1/flavors/${f.id}/os-extra_specs/resources:CUSTOM_BM`)).status, 404);
  const pub = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBbT1R7fMn1oS3cCU9Ftjmg0Yq1Rj0v2SbMcg5E4vGlP test';
  const kp = (await call('POST', '/v2.1/os-keypairs', { keypair: { name: 'k', public_key: pub } }, '2.2')).body.keypair;
  assert.match(kp.fingerprint, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
  assert.equal(kp.private_key, undefined);
  assert.equal((await call('POST', '/v2.1/os-keypairs', { keypair: { name: 'k', public_key: pub } })).status, 409);
  assert.equal((await call('DELETE', '/v2.1/os-keypairs/k', undefined, '2.2')).status, 204);
  const img = (await call('POST', '/image/v2/images', { name: 'disk', url: 'http://images/disk.raw', checksum: 'c0ffee', disk_format: 'raw' })).body;
  assert.deepEqual([img.status, img.checksum, img.url], ['active', 'c0ffee', 'http://images/disk.raw']);
  assert.deepEqual((await call('GET', '/image/v2/images?name=disk')).body.images.map((i: { id: string }) => i.id), [img.id]);
  assert.equal((await call('POST', '/image/v2/images', { name: 'nourl' })).status, 400);
  const az = (await call('GET', '/v2.1/os-availability-zone/detail')).body.availabilityZoneInfo[0];
  assert.deepEqual([az.zoneName, az.zoneState.available, Object.keys(az.hosts)], ['nova', true, ['c1']]);
});

test('under keystone with Keystone unreachable: 503 serviceUnavailable, as the Ironic API answers; versions stay public', async () => {
  const { authMiddleware } = await import('@anvil/api/auth');
  const { DEFAULT_SETTINGS } = await import('@anvil/sdk');
  const { isComputePublic } = await import('./app.ts');
  type State = import('./app.ts').ApiState;
  const dead = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => dead.once('listening', r));
  const deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}/v3`;
  dead.close(); // nothing listens there now
  const auth = authMiddleware<State>({ ...DEFAULT_SETTINGS, auth_strategy: 'keystone', keystone_url: deadUrl, keystone_username: 'nova', keystone_password: 'pw' }, isComputePublic);
  const app = createComputeApp({ store, manager: new ComputeManager(store, driver), startBuild: () => {}, startDelete: () => {}, services: async () => [], auth });
  const server = createServer(app.callback()).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const r = await fetch(`${base}/v2.1/flavors`, { headers: { 'X-Auth-Token': 'tok' } });
    assert.equal(r.status, 503);
    assert.deepEqual(await r.json(), { serviceUnavailable: { code: 503, message: 'The Keystone service is temporarily unavailable.' } });
    assert.equal((await fetch(`${base}/v2.1`)).status, 200);
  } finally {
    server.close();
  }
});
