/** /v1/drivers over real HTTP, a real SQLite database and the real plugin registry. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, type Settings } from '@anvil/sdk';
import { openDatabase } from '@anvil/db';
import { createRegistry, type AnvilRegistry } from '@anvil/registry';
import { startApi, type RunningApi } from '../server.ts';

let api: RunningApi;
let db: any;
let dir: string;
let registry: AnvilRegistry;

const get = async (path: string, version = 'latest') => {
  const r = await fetch(api.url + path, { headers: { 'X-OpenStack-Ironic-API-Version': version } });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'anvil-drivers-'));
  const settings = { ...DEFAULT_SETTINGS, port: 0, data_dir: dir, hostname: 'cond-a' } as Settings;
  registry = await createRegistry(settings, { warn: () => {} });
  db = await openDatabase(settings);
  await db.conductors.register('cond-a', '', registry.hardwareTypeNames());
  await db.conductors.registerHardwareInterfaces('cond-a', registry.hardwareInterfaceRows());
  api = await startApi({ settings, db, registry, maxMinor: 82 });
});

after(async () => {
  await api?.close();
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('GET /v1/drivers lists hardware types with hosts, type and links', async () => {
  const r = await get('/v1/drivers');
  assert.equal(r.status, 200);
  const fake = r.body.drivers.find((d: any) => d.name === 'fake-hardware');
  assert.ok(fake, JSON.stringify(r.body));
  assert.deepEqual(fake.hosts, ['cond-a']);
  assert.equal(fake.type, 'dynamic');
  assert.equal(fake.links[0].href, `${api.url}/v1/drivers/fake-hardware`);
  assert.equal(fake.properties[0].href, `${api.url}/v1/drivers/fake-hardware/properties`);
  assert.equal(fake.default_power_interface, undefined); // not detailed
});

test('old microversions: no type/properties; detail/type params → 406', async () => {
  const r = await get('/v1/drivers', '1.1');
  const fake = r.body.drivers.find((d: any) => d.name === 'fake-hardware');
  assert.equal(fake.type, undefined);
  assert.equal(fake.properties, undefined);
  assert.equal((await get('/v1/drivers?detail=true', '1.29')).status, 406);
  assert.equal((await get('/v1/drivers?fields=name', '1.76')).status, 406);
});

test('detail, type filter and fields', async () => {
  const d = await get('/v1/drivers?detail=true');
  const fake = d.body.drivers.find((x: any) => x.name === 'fake-hardware');
  assert.equal(fake.default_power_interface, 'fake');
  assert.deepEqual(fake.enabled_console_interfaces, ['fake', 'no-console']);
  assert.deepEqual((await get('/v1/drivers?type=classic')).body, { drivers: [] });
  assert.equal((await get('/v1/drivers?type=weird')).status, 400);
  const f = await get('/v1/drivers?fields=name,default_deploy_interface');
  const ff = f.body.drivers.find((x: any) => x.name === 'fake-hardware');
  assert.deepEqual(Object.keys(ff).sort(), ['default_deploy_interface', 'links', 'name']);
  assert.equal((await get('/v1/drivers?fields=bogus')).status, 400);
  assert.equal((await get('/v1/drivers?unknown=1')).status, 400);
});

test('GET /v1/drivers/{name}: per-kind defaults and enabled lists, hidden by version', async () => {
  const r = await get('/v1/drivers/fake-hardware');
  assert.equal(r.status, 200);
  assert.equal(r.body.default_vendor_interface, 'fake');
  assert.deepEqual(r.body.enabled_bios_interfaces, ['fake', 'no-bios']);
  const old = await get('/v1/drivers/fake-hardware', '1.32');
  assert.equal(old.body.default_storage_interface, undefined);
  assert.equal(old.body.default_bios_interface, undefined);
  assert.equal(old.body.default_power_interface, 'fake');
  const missing = await get('/v1/drivers/nope');
  assert.equal(missing.status, 404);
  assert.match(JSON.parse(missing.body.error_message).faultstring, /Could not find the following driver\(s\) or hardware type\(s\): nope/);
});

test('only drivers of alive conductors are listed', async () => {
  await db.conductors.unregister('cond-a');
  assert.deepEqual((await get('/v1/drivers')).body, { drivers: [] });
  assert.equal((await get('/v1/drivers/fake-hardware')).status, 404);
  await db.conductors.register('cond-a', '', registry.hardwareTypeNames());
  await db.conductors.registerHardwareInterfaces('cond-a', registry.hardwareInterfaceRows());
  assert.equal((await get('/v1/drivers/fake-hardware')).status, 200);
});

test('properties and RAID logical disk properties', async () => {
  const p = await get('/v1/drivers/fake-hardware/properties');
  assert.equal(p.status, 200);
  assert.ok('fake_power_sleep' in p.body);
  assert.equal((await get('/v1/drivers/nope/properties')).status, 404);
  const raid = await get('/v1/drivers/fake-hardware/raid/logical_disk_properties');
  assert.equal(raid.status, 200);
  assert.ok('raid_level' in raid.body && 'size_gb' in raid.body);
  assert.equal((await get('/v1/drivers/fake-hardware/raid/logical_disk_properties', '1.11')).status, 406);
});

test('driver vendor passthru: methods, sync call, validation and HTTP method checks', async () => {
  const m = await get('/v1/drivers/fake-hardware/vendor_passthru/methods');
  assert.deepEqual(m.body.fake_driver_method, { http_methods: ['GET', 'POST'], async: false, description: 'Echo the value of bar.', attach: false });
  const call = async (method: string, query: string, body?: unknown) => {
    const r = await fetch(`${api.url}/v1/drivers/fake-hardware/vendor_passthru${query}`, {
      method,
      headers: { 'X-OpenStack-Ironic-API-Version': 'latest', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  };
  const ok = await call('POST', '?method=fake_driver_method', { bar: 'baz' });
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body, { bar: 'baz' });
  const missing = await call('POST', '?method=fake_driver_method', {});
  assert.equal(missing.status, 400);
  assert.match(JSON.parse(missing.body.error_message).faultstring, /Parameter 'bar' not passed/);
  assert.equal((await call('PUT', '?method=fake_driver_method', { bar: 1 })).status, 400);
  const unknown = await call('POST', '?method=nope', {});
  assert.match(JSON.parse(unknown.body.error_message).faultstring, /No handler for method nope/);
  const none = await call('POST', '', {});
  assert.match(JSON.parse(none.body.error_message).faultstring, /Method not specified/);
});
