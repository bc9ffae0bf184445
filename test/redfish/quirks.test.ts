/**
 * Vendor quirks on sushy-static mockups (mockups.ts, quirks.json served by sushy_launch.py): virtual media under the
 * System only, no InsertMedia action (PATCH instead), 409 while the System is in POST, BMCs that need the full Boot
 * payload (by vendor name, or told by a 400 PropertyMissing), session logins with re-login on 401, event
 * subscriptions, and a Reset that does not allow Nmi. What reached the BMC is read from its request log.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stopServers } from '@anvil/plugin-pxe';
import { closeAll, RedfishManagement, RedfishPower, RedfishVendor, RedfishVirtualMediaBoot } from '@anvil/plugin-redfish';
import { PowerState } from '@anvil/sdk';
import { freePort } from '../free-port.ts';
import { startImageServer, type ImageServer } from '../deploy/fixtures.ts';
import { type StaticPeer, startStatic } from './emulator.ts';
import type { MockupOptions } from './mockups.ts';
import { makeTask } from './task.ts';

const mgmt = new RedfishManagement();
const writes = (p: StaticPeer) => p.requests().filter((r) => r.method !== 'GET');

describe('redfish vendor quirks (sushy-static mockups)', () => {
  let images: ImageServer;
  let dir: string;
  let httpPort: number;
  const peers: StaticPeer[] = [];
  before(async () => {
    [images, httpPort] = await Promise.all([startImageServer({ kernel: Buffer.from('K'), ramdisk: Buffer.from('R') }), freePort()]);
    dir = mkdtempSync(join(tmpdir(), 'anvil-redfish-quirks-'));
  });
  after(async () => {
    await closeAll();
    await stopServers();
    await Promise.all(peers.map((p) => p.stop()));
    await images?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const peer = async (o: MockupOptions) => {
    const p = await startStatic(o);
    peers.push(p);
    return p;
  };
  const task = (p: StaticPeer, info: Record<string, string> = {}, node = {}) =>
    makeTask(
      { redfish_address: p.url, redfish_username: 'admin', redfish_password: 'secret', redfish_auth_type: 'basic', deploy_kernel: `${images.url}/kernel`, deploy_ramdisk: `${images.url}/ramdisk`, ...info },
      { node, config: { data_dir: dir, pxe_http_port: httpPort, redfish_post_boot_retry_delay: 0.05 }, interfaces: { management: mgmt } },
    );

  test('virtual media under the System only: found there (the CD, not the floppy), InsertMedia posted to it', async () => {
    const p = await peer({ vmediaUnder: 'Systems' });
    await new RedfishVirtualMediaBoot().prepareRamdisk(task(p), {});
    const w = writes(p);
    assert.equal(w[0].path, '/redfish/v1/Systems/1/VirtualMedia/CD1/Actions/VirtualMedia.InsertMedia');
    assert.match(String((w[0].body as { Image: string }).Image), /\/redfish\/boot-.*\.iso$/);
    assert.deepEqual(w[1], { method: 'PATCH', path: '/redfish/v1/Systems/1', body: { Boot: { BootSourceOverrideTarget: 'Cd' } } });
  });

  test('InsertMedia absent: the image is inserted by PATCHing the device', async () => {
    const p = await peer({ insertAction: false });
    await new RedfishVirtualMediaBoot().prepareRamdisk(task(p), {});
    const w = writes(p)[0];
    assert.equal(w.method, 'PATCH');
    assert.equal(w.path, '/redfish/v1/Managers/1/VirtualMedia/CD1');
    assert.deepEqual(Object.keys(w.body as object).sort(), ['Image', 'Inserted', 'WriteProtected']);
  });

  test('409 while the System is in POST: the boot device change is retried until the BMC takes it', async () => {
    const p = await peer({ quirks: { busy_writes: 2 } });
    const t = task(p);
    await mgmt.setBootDevice(t, 'pxe', false);
    assert.equal(writes(p).filter((r) => r.method === 'PATCH').length, 3);
    assert.equal(t.logs.filter((l) => /BMC is in POST/.test(l)).length, 2);
    // ... and gives up with the BMC's message after [redfish]post_boot_retry_attempts
    const q = await peer({ quirks: { busy_writes: 10 } });
    await assert.rejects(mgmt.setBootDevice(makeTask(task(q).node.driver_info, { config: { redfish_post_boot_retry_attempts: 2, redfish_post_boot_retry_delay: 0.05 } }), 'pxe', false), /returned code 409. Base.1.8.ResourceInUse: The change could not be made because the system is in POST./);
  });

  test('full Boot payload: sent at once to an AMI BMC; sent after a 400 PropertyMissing to any other', async () => {
    const ami = await peer({ manufacturer: 'American Megatrends International', quirks: { full_boot_payload: true } });
    await mgmt.setBootDevice(task(ami, {}, { properties: { vendor: 'American Megatrends International' } }), 'cdrom', false);
    assert.deepEqual(
      writes(ami).map((r) => r.body),
      [{ Boot: { BootSourceOverrideTarget: 'Cd', BootSourceOverrideEnabled: 'Once', BootSourceOverrideMode: 'UEFI' } }],
    );
    const other = await peer({ quirks: { full_boot_payload: true } });
    const t = task(other);
    await mgmt.setBootDevice(t, 'pxe', true);
    assert.deepEqual(
      writes(other).map((r) => r.body),
      [{ Boot: { BootSourceOverrideTarget: 'Pxe', BootSourceOverrideEnabled: 'Continuous' } }, { Boot: { BootSourceOverrideTarget: 'Pxe', BootSourceOverrideEnabled: 'Continuous', BootSourceOverrideMode: 'UEFI' } }],
    );
    assert.ok(t.logs.some((l) => /wants the full Boot payload/.test(l)));
  });

  test('sessions: login, the token on every call, re-login after the session expires (401), wrong password named', async () => {
    const p = await peer({ sessions: { user: 'admin', password: 'secret', ttl: 3 } });
    const power = new RedfishPower();
    for (const auth of ['session', 'auto']) {
      const t = task(p, { redfish_auth_type: auth, redfish_system_id: '/redfish/v1/Systems/1' });
      for (let i = 0; i < 5; i++) assert.equal(await power.getPowerState(t), PowerState.ON);
    }
    const logins = p.requests().filter((r) => r.method === 'POST' && r.path === '/redfish/v1/SessionService/Sessions');
    assert.ok(logins.length >= 3, `re-logins happened (${logins.length})`);
    assert.deepEqual(logins[0].body, { UserName: 'admin', Password: 'secret' });
    const bad = task(p, { redfish_auth_type: 'session', redfish_password: 'wrong', redfish_system_id: '/redfish/v1/Systems/1' });
    await assert.rejects(power.getPowerState(bad), (err: Error) => {
      assert.match(err.message, /rejected the credentials of user 'admin' \(Unauthorized\); check redfish_username and redfish_password/);
      assert.doesNotMatch(err.message, /wrong/);
      return true;
    });
  });

  test('400/409 to a reset when the node is already in the target state counts as done; Nmi not allowed is named', async () => {
    const p = await peer({ quirks: { busy_writes: 1 } });
    const t = task(p, {}, {});
    await new RedfishPower().setPowerState(t, PowerState.ON); // mockup is On; the reset got 409
    assert.ok(t.logs.some((l) => /failed with HTTP 409, but node is already in the expected final state/.test(l)));
    await assert.rejects(mgmt.injectNmi!(t), /does not allow a reset for NMI: it allows On, ForceOff, GracefulShutdown, ForceRestart/);
  });

  test('ETags: PATCH carries If-Match from a fresh read; a 412 (changed meanwhile) is read again and retried once', async () => {
    const p = await peer({ secureBoot: true, quirks: { etag: true, etag_changes_once: '/redfish/v1/Systems/1/SecureBoot' } });
    await mgmt.setSecureBootState!(task(p), true);
    const patches = p.requests().filter((r) => r.method === 'PATCH');
    assert.equal(patches.length, 2); // the first carried the stale ETag and got 412
    assert.deepEqual(patches[1], { method: 'PATCH', path: '/redfish/v1/Systems/1/SecureBoot', body: { SecureBootEnable: true } });
  });

  test('$expand: offered by the service, a collection comes in one request with its members', async () => {
    const p = await peer({ quirks: { expand: true } });
    await new RedfishVendor().callMethod(task(p), 'eject_vmedia', 'POST', {});
    const gets = p.requests().filter((r) => r.method === 'GET').map((r) => r.path);
    assert.ok(gets.includes('/redfish/v1/Managers/1/VirtualMedia?$expand=.($levels=1)'), gets.join('\n'));
    assert.ok(!gets.includes('/redfish/v1/Managers/1/VirtualMedia/CD1'), 'members not read one by one');
  });

  test('vendor passthru: event subscriptions created, listed, read and deleted through the EventService', async () => {
    const p = await peer({ events: true });
    const v = new RedfishVendor();
    const t = task(p);
    await assert.rejects(v.validateMethod(t, 'create_subscription', 'POST', { Destination: 'ftp://x' }), /Destination must be an http/);
    await v.callMethod(t, 'create_subscription', 'POST', { Destination: 'https://collector.example/events', EventTypes: ['Alert'], Context: 'anvil' });
    const all = (await v.callMethod(t, 'get_all_subscriptions', 'GET', {})) as { Members: unknown[] };
    assert.equal(all.Members.length, 1);
    assert.equal(((await v.callMethod(t, 'get_subscription', 'GET', { id: '7' })) as { Destination: string }).Destination, 'https://collector.example/events');
    await v.callMethod(t, 'delete_subscription', 'DELETE', { id: '7' });
    assert.deepEqual(
      writes(p).map((r) => [r.method, r.path, r.body]),
      [
        ['POST', '/redfish/v1/EventService/Subscriptions', { Destination: 'https://collector.example/events', Protocol: 'Redfish', EventTypes: ['Alert'], Context: 'anvil' }],
        ['DELETE', '/redfish/v1/EventService/Subscriptions/7', null],
      ],
    );
  });
});
