/**
 * The state verbs over real HTTP: API (Koa) → ConductorRpcApi → in-process transport → a real conductor with
 * fake-hardware on a real SQLite database. Full transition cycle plus Ironic's refusals (400/406/409).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestConductor } from '@anvil/conductor/testing';
import type { RunningApi } from '../server.ts';
import { type ConductorApi, startConductorApi } from './test-conductor-api.ts';

let api: RunningApi;
let c: TestConductor;
let env: ConductorApi;

const H = (version: string) => ({ 'X-OpenStack-Ironic-API-Version': version, 'Content-Type': 'application/json' });
async function req(method: string, path: string, body?: unknown, version = 'latest') {
  const r = await fetch(api.url + path, { method, headers: H(version), body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let parsed: any = null;
  if (text) parsed = JSON.parse(text);
  const error = parsed?.error_message ? JSON.parse(parsed.error_message) : null;
  return { status: r.status, body: parsed, error: error?.faultstring ?? error?.description ?? null, location: r.headers.get('location') };
}
const provision = (id: string, body: unknown, version = 'latest') => req('PUT', `/v1/nodes/${id}/states/provision`, body, version);

async function settle(id: string, state: string) {
  return c.waitFor(id, (n) => n.provision_state === state && n.target_provision_state === null && n.reservation === null);
}

before(async () => {
  env = await startConductorApi('anvil-states-');
  ({ api, c } = env);
});

after(() => env?.stop());

test('full cycle through the HTTP API: manage, provide, active, rebuild, rescue, unrescue, deleted', async () => {
  const n = await c.createNode({ name: 'node-http-0' });
  let r = await provision('node-http-0', { target: 'manage' });
  assert.equal(r.status, 202);
  assert.equal(r.location, `${api.url}/v1/nodes/node-http-0/states`);
  assert.equal(r.body, null);
  await settle(n.uuid, 'manageable');
  assert.equal((await provision(n.uuid, { target: 'provide' })).status, 202);
  await settle(n.uuid, 'available');
  r = await provision(n.uuid, { target: 'active', configdrive: 'H4sICDw6ZmcAA2NvbmZpZy1kcml2ZQA=' });
  assert.equal(r.status, 202);
  let x = await settle(n.uuid, 'active');
  assert.equal(x.instance_info.configdrive, 'H4sICDw6ZmcAA2NvbmZpZy1kcml2ZQA=');
  const states = await req('GET', `/v1/nodes/${n.uuid}/states`);
  assert.equal(states.status, 200);
  assert.deepEqual(Object.keys(states.body).sort(), [
    'boot_mode', 'console_enabled', 'last_error', 'power_state', 'provision_state', 'provision_updated_at', 'raid_config',
    'secure_boot', 'target_power_state', 'target_provision_state', 'target_raid_config',
  ]);
  assert.equal(states.body.provision_state, 'active');
  assert.equal((await provision(n.uuid, { target: 'rebuild', configdrive: { meta_data: { a: 'b' } } })).status, 202);
  x = await settle(n.uuid, 'active');
  assert.deepEqual(x.instance_info.configdrive, { meta_data: { a: 'b' } });
  assert.equal((await provision(n.uuid, { target: 'rescue', rescue_password: 'pw' })).status, 202);
  await settle(n.uuid, 'rescue');
  assert.equal((await provision(n.uuid, { target: 'unrescue' })).status, 202);
  await settle(n.uuid, 'active');
  assert.equal((await provision(n.uuid, { target: 'deleted' })).status, 202);
  await settle(n.uuid, 'available');
  assert.equal((await provision(n.uuid, { target: 'deploy' }, '1.73')).status, 202);
  await settle(n.uuid, 'active');
  assert.equal((await provision(n.uuid, { target: 'undeploy' }, '1.73')).status, 202);
  await settle(n.uuid, 'available');
  assert.equal((await provision(n.uuid, { target: 'manage' })).status, 202);
  await settle(n.uuid, 'manageable');
  assert.equal((await provision(n.uuid, { target: 'adopt' })).status, 202);
  await settle(n.uuid, 'active');
});

test('refusals: wrong state 400 with Ironic text, old microversion 406, locked 409, bad bodies 400', async () => {
  const n = await c.createNode();
  // no such state: Ironic 39's pecan answers 405 for every method but GET
  for (const m of ['PUT', 'POST', 'PATCH', 'DELETE']) assert.equal((await req(m, `/v1/nodes/${n.uuid}/states/target_raid_config`, { raid: 'config' })).status, 405, m);
  let r = await provision(n.uuid, { target: 'provide' });
  assert.equal(r.status, 400);
  assert.equal(r.error, `The requested action "provide" can not be performed on node "${n.uuid}" while it is in state "enroll".`);
  r = await provision(n.uuid, { target: 'manage' }, '1.3');
  assert.equal(r.status, 406);
  r = await provision(n.uuid, { target: 'done' });
  assert.equal(r.status, 400);
  r = await provision(n.uuid, { target: 'bogus' });
  assert.equal(r.status, 400);
  assert.match(r.error, /can not be performed on node/);
  await c.db.nodes.reserve(n.uuid, 'other-host');
  r = await provision(n.uuid, { target: 'provide' });
  assert.equal(r.status, 409);
  assert.equal(r.error, `Node ${n.uuid} is locked by host other-host, please retry after the current operation is completed.`);
  r = await provision(n.uuid, { target: 'manage' });
  assert.equal(r.status, 409);
  await c.db.nodes.release(n.uuid, 'other-host');
  await provision(n.uuid, { target: 'manage' });
  await settle(n.uuid, 'manageable');
  r = await provision(n.uuid, { target: 'clean' });
  assert.equal(r.status, 400);
  assert.match(r.error, /"clean_steps" is required/);
  r = await provision(n.uuid, { target: 'clean', clean_steps: [{ interface: 'nope', step: 'x' }] });
  assert.equal(r.status, 400);
  r = await provision(n.uuid, { target: 'provide', configdrive: 'abc' });
  assert.equal(r.status, 400);
  assert.match(r.error, /Adding a config drive is only supported/);
  r = await provision(n.uuid, { target: 'provide', rescue_password: 'x' });
  assert.equal(r.status, 400);
  r = await provision(n.uuid, { target: 'provide', bogus: 1 });
  assert.equal(r.status, 400);
  await provision(n.uuid, { target: 'provide' });
  await settle(n.uuid, 'available');
  r = await provision(n.uuid, { target: 'active', configdrive: 'not base64 !!' });
  assert.equal(r.status, 400);
  r = await provision(n.uuid, { target: 'active', configdrive: { meta_data: {} } }, '1.55');
  assert.equal(r.status, 400);
  // an empty list is no deploy steps at all (Ironic: `if not deploy_steps: return`); a real one needs 1.69
  r = await provision(n.uuid, { target: 'active', deploy_steps: [{ interface: 'deploy', step: 'deploy', args: {}, priority: 100 }] }, '1.68');
  assert.equal(r.status, 406);
  // maintenance: deploy refused with NodeInMaintenance
  assert.equal((await req('PUT', `/v1/nodes/${n.uuid}/maintenance`, { reason: 'fan' })).status, 202);
  r = await provision(n.uuid, { target: 'active' });
  assert.equal(r.status, 400);
  assert.match(r.error, /because it's in maintenance mode/);
  let x = await c.db.nodes.getByUuid(n.uuid);
  assert.equal(x.maintenance_reason, 'fan');
  assert.equal((await req('DELETE', `/v1/nodes/${n.uuid}/maintenance`)).status, 202);
  x = await c.db.nodes.getByUuid(n.uuid);
  assert.equal(x.maintenance, false);
  assert.equal(x.maintenance_reason, null);
  assert.equal((await provision('no-such-node', { target: 'manage' })).status, 404);
});

test('power: 202 + Location, target rules, soft needs 1.27, timeout must be positive', async () => {
  const n = await c.createNode();
  let r = await req('PUT', `/v1/nodes/${n.uuid}/states/power`, { target: 'power on' });
  assert.equal(r.status, 202);
  assert.equal(r.location, `${api.url}/v1/nodes/${n.uuid}/states`);
  await c.waitFor(n.uuid, (x) => x.power_state === 'power on' && x.target_power_state === null && x.reservation === null);
  r = await req('PUT', `/v1/nodes/${n.uuid}/states/power`, { target: 'on' });
  assert.equal(r.status, 400);
  assert.equal(r.error, `The requested action "on" can not be performed on node "${n.uuid}" while it is in state "power on".`);
  assert.equal((await req('PUT', `/v1/nodes/${n.uuid}/states/power`, { target: 'soft power off' }, '1.26')).status, 406);
  assert.equal((await req('PUT', `/v1/nodes/${n.uuid}/states/power`, { target: 'power off', timeout: 0 })).status, 400);
  assert.equal((await req('PUT', `/v1/nodes/${n.uuid}/states/power`, { target: 'soft power off', timeout: 10 })).status, 202);
  await c.waitFor(n.uuid, (x) => x.power_state === 'power off' && x.target_power_state === null && x.reservation === null);
});

test('boot device, supported list, validate (both paths)', async () => {
  const n = await c.createNode({ name: 'node-bd' });
  let r = await req('GET', `/v1/nodes/${n.uuid}/management/boot_device/supported`);
  assert.equal(r.status, 200);
  assert.ok(r.body.supported_boot_devices.includes('pxe'));
  r = await req('PUT', `/v1/nodes/${n.uuid}/management/boot_device`, { boot_device: 'pxe', persistent: true });
  assert.equal(r.error, null);
  assert.equal(r.status, 204);
  r = await req('GET', `/v1/nodes/${n.uuid}/management/boot_device`);
  assert.deepEqual(r.body, { boot_device: 'pxe', persistent: false }); // Ironic's fake management remembers nothing
  r = await req('PUT', `/v1/nodes/${n.uuid}/management/boot_device`, { boot_device: 'usb' });
  assert.equal(r.status, 400);
  const supported: string[] = (await req('GET', `/v1/nodes/${n.uuid}/management/boot_device/supported`)).body.supported_boot_devices;
  const unsupported = ['cdrom', 'bios', 'safe', 'wanboot', 'iscsiboot', 'floppy', 'disk'].find((d) => !supported.includes(d));
  if (unsupported) {
    r = await req('PUT', `/v1/nodes/${n.uuid}/management/boot_device`, { boot_device: unsupported });
    assert.equal(r.status, 400);
    assert.equal(r.error, `Invalid boot device ${unsupported} specified.`);
  }
  r = await req('GET', `/v1/nodes/${n.uuid}/validate`);
  assert.equal(r.status, 200);
  assert.equal(r.body.power.result, true);
  assert.equal(r.body.vendor, undefined);
  r = await req('GET', '/v1/nodes/validate?node=node-bd');
  assert.equal(r.status, 200);
  assert.equal(r.body.deploy.result, true);
});

test('GET /v1/conductors and /v1/conductors/{hostname}', async () => {
  let r = await req('GET', '/v1/conductors');
  assert.equal(r.status, 200);
  const me = r.body.conductors.find((x: any) => x.hostname === c.conductor.hostname);
  assert.deepEqual(Object.keys(me).sort(), ['alive', 'conductor_group', 'hostname', 'links']);
  assert.equal(me.alive, true);
  r = await req('GET', `/v1/conductors/${c.conductor.hostname}`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.drivers, ['fake-hardware']);
  assert.equal(r.body.links[0].href, `${api.url}/v1/conductors/${c.conductor.hostname}`);
  assert.equal((await req('GET', '/v1/conductors', undefined, '1.48')).status, 404);
  assert.equal((await req('GET', '/v1/conductors/nope')).status, 404);
  r = await req('GET', '/v1/conductors?detail=true');
  assert.ok(r.body.conductors[0].drivers);
});

test('a conductor group no conductor serves is refused with 400 NoValidHost (create and patch)', async () => {
  let r = await req('POST', '/v1/nodes', { driver: 'fake-hardware', conductor_group: 'nowhere' });
  assert.equal(r.status, 400);
  assert.equal(r.error, 'No valid host was found. Reason: No conductor service registered which supports driver fake-hardware for conductor group "nowhere".');
  r = await req('POST', '/v1/nodes', { driver: 'fake-hardware' });
  assert.equal(r.status, 201);
  const p = await req('PATCH', `/v1/nodes/${r.body.uuid}`, [{ op: 'replace', path: '/conductor_group', value: 'nowhere' }]);
  assert.equal(p.status, 400);
  assert.equal((await c.db.nodes.getByUuid(r.body.uuid)).conductor_group, '');
});
