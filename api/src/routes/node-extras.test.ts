/**
 * Node sub-resources through the real conductor (in-process transport, fake-hardware, SQLite): VIFs, console,
 * RAID, inject NMI, indicators, boot mode / secure boot, and their microversion gates.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestConductor } from '@anvil/conductor/testing';
import type { RunningApi } from '../server.ts';
import { type ConductorApi, startConductorApi } from './test-conductor-api.ts';

let api: RunningApi;
let c: TestConductor;
let env: ConductorApi;

async function req(method: string, path: string, body?: unknown, version = 'latest') {
  const headers: Record<string, string> = { 'X-OpenStack-Ironic-API-Version': version };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(api.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  const parsed = text ? JSON.parse(text) : null;
  const error = parsed?.error_message ? JSON.parse(parsed.error_message) : null;
  return { status: r.status, body: parsed, error: error?.faultstring ?? error?.description ?? null, location: r.headers.get('location') };
}

before(async () => {
  env = await startConductorApi('anvil-extras-');
  ({ api, c } = env);
});

after(() => env?.stop());

test('VIFs: attach to free ports, list, conflicts, detach; port_uuid needs 1.67 semantics; 404 below 1.28', async () => {
  const n = await c.createNode({ name: 'vif-node', provision_state: 'available', power_state: 'power off' });
  const p1 = await c.db.ports.create({ node_id: n.id, address: '52:54:00:00:00:01' });
  const p2 = await c.db.ports.create({ node_id: n.id, address: '52:54:00:00:00:02' });
  assert.deepEqual((await req('GET', '/v1/nodes/vif-node/vifs')).body, { vifs: [] });
  assert.equal((await req('POST', '/v1/nodes/vif-node/vifs', { id: 'vif-a' })).status, 204);
  const both = await req('POST', '/v1/nodes/vif-node/vifs', { id: 'vif-b', port_uuid: p2.uuid, portgroup_uuid: p2.uuid });
  assert.equal(both.status, 400);
  assert.equal(both.error, 'Cannot specify both port_uuid and portgroup_uuid');
  assert.equal((await req('POST', '/v1/nodes/vif-node/vifs', { id: 'vif-b', port_uuid: p2.uuid })).status, 204);
  // Ironic's noop network accepts a repeated attach and an attach with no free port (204, nothing recorded)
  assert.equal((await req('POST', '/v1/nodes/vif-node/vifs', { id: 'vif-a' })).status, 204);
  assert.equal((await req('POST', '/v1/nodes/vif-node/vifs', { id: 'vif-c' })).status, 204);
  assert.equal((await req('POST', '/v1/nodes/vif-node/vifs', { nope: 1 })).status, 400);
  const list = await req('GET', '/v1/nodes/vif-node/vifs');
  assert.deepEqual(list.body.vifs.map((v: { id: string }) => v.id).sort(), ['vif-a', 'vif-b']);
  assert.equal((await c.db.ports.getByUuid(p2.uuid)).internal_info.tenant_vif_port_id, 'vif-b');
  assert.equal((await c.db.ports.getByUuid(p1.uuid)).internal_info.tenant_vif_port_id, 'vif-a');
  assert.equal((await req('DELETE', '/v1/nodes/vif-node/vifs/vif-a')).status, 204);
  const gone = await req('DELETE', '/v1/nodes/vif-node/vifs/vif-a'); // noop: detaching an unknown VIF is a no-op
  assert.equal(gone.status, 204);
  assert.deepEqual((await req('GET', '/v1/nodes/vif-node/vifs')).body.vifs, [{ id: 'vif-b' }]);
  assert.equal((await req('GET', '/v1/nodes/vif-node/vifs', undefined, '1.27')).status, 404);
  assert.equal((await req('POST', '/v1/nodes/vif-node/vifs', { id: 'x' }, '1.27')).status, 404);
});

test('console: GET info, PUT enabled → 202 + Location, then info appears; bad bodies → 400', async () => {
  const n = await c.createNode({ name: 'con-node', console_interface: 'fake' });
  const g = await req('GET', '/v1/nodes/con-node/states/console');
  assert.deepEqual(g.body, { console_enabled: false, console_info: null });
  const p = await req('PUT', '/v1/nodes/con-node/states/console', { enabled: true });
  assert.equal(p.status, 202);
  assert.equal(p.location, `${api.url}/v1/nodes/con-node/states/console`);
  await c.waitFor(n.uuid, (x) => x.console_enabled === true && x.reservation === null);
  const on = await req('GET', '/v1/nodes/con-node/states/console');
  assert.equal(on.body.console_enabled, true);
  assert.equal(on.body.console_info.type, 'shellinabox');
  assert.equal((await req('PUT', '/v1/nodes/con-node/states/console', {})).status, 400);
  assert.equal((await req('PUT', '/v1/nodes/con-node/states/console', { enabled: 'maybe' })).status, 400);
  assert.equal((await req('PUT', '/v1/nodes/con-node/states/console', { enabled: false, x: 1 })).status, 400);
  assert.equal((await req('PUT', '/v1/nodes/con-node/states/console', { enabled: 'false' })).status, 202);
  await c.waitFor(n.uuid, (x) => x.console_enabled === false && x.reservation === null);
  await c.createNode({ name: 'nocon-node', console_interface: 'no-console' });
  assert.equal((await req('GET', '/v1/nodes/nocon-node/states/console')).status, 400);
});

test('RAID: PUT states/raid stores target_raid_config, validates, 404 without RAID, 406 below 1.12', async () => {
  const n = await c.createNode({ name: 'raid-node', raid_interface: 'fake' });
  const cfg = { logical_disks: [{ size_gb: 100, raid_level: '1', is_root_volume: true }] };
  assert.equal((await req('PUT', '/v1/nodes/raid-node/states/raid', cfg)).status, 204);
  assert.deepEqual((await c.db.nodes.getByUuid(n.uuid)).target_raid_config, cfg);
  const states = await req('GET', '/v1/nodes/raid-node/states');
  assert.deepEqual(states.body.target_raid_config, cfg);
  assert.equal((await req('PUT', '/v1/nodes/raid-node/states/raid', { logical_disks: [{ size_gb: 1, raid_level: '7' }] })).status, 400);
  assert.equal((await req('PUT', '/v1/nodes/raid-node/states/raid', { disks: [] })).status, 400);
  assert.equal((await req('PUT', '/v1/nodes/raid-node/states/raid', cfg, '1.11')).status, 406);
  assert.equal((await req('PUT', '/v1/nodes/raid-node/states/raid', {})).status, 204);
  assert.deepEqual((await c.db.nodes.getByUuid(n.uuid)).target_raid_config, {});
  await c.createNode({ name: 'noraid-node', raid_interface: 'no-raid' });
  assert.equal((await req('PUT', '/v1/nodes/noraid-node/states/raid', cfg)).status, 404);
});

test('inject_nmi (1.29), indicators, boot mode and secure boot (1.76)', async () => {
  const n = await c.createNode({ name: 'mgmt-node', provision_state: 'manageable', power_state: 'power on' });
  const nmi = await req('PUT', '/v1/nodes/mgmt-node/management/inject_nmi', {});
  assert.equal(nmi.status, 400, 'fake management has no NMI, as in Ironic');
  assert.equal(nmi.error, 'Driver fake-hardware does not support inject_nmi (disabled or not implemented).');
  const old = await req('PUT', '/v1/nodes/mgmt-node/management/inject_nmi', {}, '1.28');
  assert.equal(old.status, 404);
  assert.equal(old.error, 'Resource could not be found.');
  assert.equal((await req('PUT', '/v1/nodes/mgmt-node/management/inject_nmi', { a: 1 })).status, 400);
  // indicators as Ironic's fake management: two LEDs, state "on", no set call (UnsupportedDriverExtension, 400)
  const inds = await req('GET', '/v1/nodes/mgmt-node/management/indicators');
  assert.equal(inds.status, 200);
  assert.deepEqual(inds.body.indicators.map((i: { name: string; readonly: boolean }) => [i.name, i.readonly]), [['led-0@chassis', true], ['led@system', false]]);
  assert.equal(inds.body.indicators[1].links[0].href, `${api.url}/v1/nodes/mgmt-node/management/indicators/led@system`);
  assert.deepEqual((await req('GET', '/v1/nodes/mgmt-node/management/indicators/led@system')).body, { state: 'on' });
  const malformed = await req('GET', '/v1/nodes/mgmt-node/management/indicators/led');
  assert.equal(malformed.status, 400);
  assert.equal(malformed.error, 'Malformed indicator name "led"');
  assert.equal((await req('GET', '/v1/nodes/mgmt-node/management/indicators/led@disk')).error, 'Invalid component disk specified.');
  const set = await req('PUT', '/v1/nodes/mgmt-node/management/indicators/led@system', { state: 'off' });
  assert.equal(set.status, 400);
  assert.equal(set.error, "Driver fake-hardware does not support set_indicator_state (disabled or not implemented).");
  // boot mode: version gate, target validation, unstable states, and the spawned change
  const below = await req('PUT', '/v1/nodes/mgmt-node/states/boot_mode', { target: 'uefi' }, '1.75');
  assert.equal(below.status, 404);
  assert.equal(below.error, 'This endpoint is supported starting with the API version 1.76');
  assert.equal((await req('PUT', '/v1/nodes/mgmt-node/states/boot_mode', { target: 'efi' })).status, 400);
  assert.equal((await req('PUT', '/v1/nodes/mgmt-node/states/secure_boot', { target: 'perhaps' })).status, 400);
  const ok = await req('PUT', '/v1/nodes/mgmt-node/states/boot_mode', { target: 'uefi' });
  assert.equal(ok.status, 202);
  assert.equal(ok.location, `${api.url}/v1/nodes/mgmt-node/states`);
  const done = await c.waitFor(n.uuid, (x) => x.reservation === null && (x.boot_mode === 'uefi' || x.last_error !== null));
  // Ironic's fake management has no set_boot_mode: the worker leaves Ironic's message in last_error
  assert.equal(done.last_error, "Failed to change boot mode to 'uefi: Driver fake-hardware does not support set_boot_mode (disabled or not implemented).");
  assert.equal(done.boot_mode, null);
  await c.db.nodes.update(n.uuid, { provision_state: 'cleaning' });
  const busy = await req('PUT', '/v1/nodes/mgmt-node/states/secure_boot', { target: true });
  assert.equal(busy.status, 409);
  assert.match(busy.error, /Node is in cleaning state/);
});
