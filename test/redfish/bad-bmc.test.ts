/**
 * Bad BMC input through the API (`anvil server` with redfish nodes): wrong password, an address nobody listens on,
 * a TLS certificate that does not verify, a BMC answering 500. Each gives a last_error naming the cause within 20 s
 * of the power request, the node is left unlocked, and fixing driver_info makes the same request work.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Anvil, startAnvil } from '../ipmi/anvil-server.ts';
import { freePort } from '../free-port.ts';
import { until } from '../deploy/fixtures.ts';
import { type FakeSystem, type Peer, type StaticPeer, startEmulator, startStatic } from './emulator.ts';

const SYS: FakeSystem = { uuid: '33333333-3333-4333-8333-333333333333', name: 'bad-bmc', mac: '52:54:00:bb:00:01' };
const SYSTEM_ID = `/redfish/v1/Systems/${SYS.uuid}`;

describe('redfish: bad BMC input gives a clear last_error and the node stays recoverable', () => {
  let anvil: Anvil;
  let plain: Peer;
  let tls: Peer;
  let broken: StaticPeer;
  before(async () => {
    [plain, tls, broken] = await Promise.all([
      startEmulator({ systems: [SYS], powerDelay: 0, auth: ['admin', 'right-password'] }),
      startEmulator({ systems: [SYS], powerDelay: 0, tls: true }),
      startStatic({ quirks: { always_500: true } }),
    ]);
    anvil = await startAnvil({ sync_power_state_interval: 600, redfish_connection_attempts: 3, redfish_connection_retry_interval: 1, redfish_power_poll_interval: 0.2 });
  });
  after(async () => {
    await anvil?.stop();
    await Promise.all([plain?.stop(), tls?.stop(), broken?.stop()]);
  });

  async function failsThenRecovers(name: string, bad: Record<string, unknown>, cause: RegExp, fix: Record<string, unknown>, diagnosis: string) {
    const created = await anvil.api('POST', '/nodes', { name, driver: 'redfish', driver_info: bad });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const uuid = created.body.uuid;
    const t0 = Date.now();
    assert.equal((await anvil.api('PUT', `/nodes/${uuid}/states/power`, { target: 'power on' })).status, 202);
    const node = await until(`${name}: last_error`, async () => {
      const n = (await anvil.api('GET', `/nodes/${uuid}`)).body;
      return n.last_error && n.target_power_state === null ? n : null;
    }, 25_000);
    const took = Date.now() - t0;
    assert.ok(took < 20_000, `${name}: last_error after ${took} ms`);
    assert.match(node.last_error, cause);
    assert.doesNotMatch(JSON.stringify(node), /right-password|wrong-password/); // masked, never echoed
    assert.equal(node.reservation, null);
    const diag = (await anvil.api('GET', `/anvil/nodes/${uuid}/diagnoses`)).body;
    assert.equal(diag.diagnoses?.[0]?.code, diagnosis, JSON.stringify(diag));
    const patch = Object.entries(fix).map(([k, v]) => ({ op: 'add', path: `/driver_info/${k}`, value: v }));
    assert.equal((await anvil.api('PATCH', `/nodes/${uuid}`, patch)).status, 200);
    assert.equal((await anvil.api('PUT', `/nodes/${uuid}/states/power`, { target: 'power on' })).status, 202);
    const ok = await until(`${name}: powered on after the fix`, async () => {
      const n = (await anvil.api('GET', `/nodes/${uuid}`)).body;
      return n.power_state === 'power on' && n.target_power_state === null ? n : null;
    }, 20_000);
    assert.equal(ok.last_error, null);
    assert.equal((await anvil.api('PUT', `/nodes/${uuid}/states/power`, { target: 'power off' })).status, 202);
    await until(`${name}: off`, async () => (await anvil.api('GET', `/nodes/${uuid}`)).body.power_state === 'power off', 20_000);
    return took;
  }

  test('wrong password: the BMC rejected the credentials of the user', async () => {
    await failsThenRecovers(
      'bad-password',
      { redfish_address: plain.url, redfish_system_id: SYSTEM_ID, redfish_username: 'admin', redfish_password: 'wrong-password' },
      /rejected the credentials of user 'admin' \(Unauthorized\); check redfish_username and redfish_password/,
      { redfish_password: 'right-password' },
      'bmc.auth_failed',
    );
  });

  test('unreachable address: the connection was refused', async () => {
    const closed = await freePort();
    await failsThenRecovers(
      'unreachable',
      { redfish_address: `http://127.0.0.1:${closed}`, redfish_system_id: SYSTEM_ID },
      new RegExp(`Unable to connect to the Redfish BMC of node .*Redfish BMC at 127.0.0.1:${closed} refused the connection \\(ECONNREFUSED\\)`),
      { redfish_address: plain.url, redfish_username: 'admin', redfish_password: 'right-password' },
      'bmc.unreachable',
    );
  });

  test('TLS mismatch: a self-signed certificate fails verification; redfish_verify_ca=False accepts it', async () => {
    await failsThenRecovers(
      'tls-mismatch',
      { redfish_address: tls.url.replace('https://', ''), redfish_system_id: SYSTEM_ID },
      /TLS handshake with the Redfish BMC at 127.0.0.1:\d+ failed \(DEPTH_ZERO_SELF_SIGNED_CERT: self[- ]signed certificate\); check redfish_verify_ca/,
      { redfish_verify_ca: 'False' },
      'driver.invalid_config',
    );
  });

  test('a BMC answering 500: the status and its @Message.ExtendedInfo message', async () => {
    await failsThenRecovers(
      'bmc-500',
      { redfish_address: broken.url },
      /returned code 500. Base.1.8.InternalError: The request failed due to an internal service error./,
      { redfish_address: plain.url, redfish_system_id: SYSTEM_ID, redfish_username: 'admin', redfish_password: 'right-password' },
      'bmc.command_failed',
    );
  });
});
