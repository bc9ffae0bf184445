/**
 * The in-process virtual BMCs (tools/agent-sim bmc-farm.ts / virtual-bmc.ts) answer IPMI v2.0 lanplus over UDP:
 * the real `ipmitool -I lanplus` (suites 3 and 17) reads and sets power and boot device and closes its sessions;
 * a wrong password is refused; the native client (ipmi-lan-ts) drives 200 of them over one socket; session slots
 * are bounded; a silent BMC times out and answers again when it comes back; and Anvil's `ipmitool` power and
 * management interfaces drive a node whose BMC is virtual, through the API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BmcFarm } from '@anvil/agent-sim';
import { IpmiClient, IpmiSessionError, IpmiTimeoutError, UdpTransport } from 'ipmi-lan-ts';
import { ipmitool, missingIpmitool } from 'ipmi-lan-ts/testing';
import { failWithout } from '../prereq.ts';
import { until } from '../wait.ts';
import { type Anvil, anvilServerMissing, startAnvil } from './anvil-server.ts';

failWithout(missingIpmitool(), anvilServerMissing());

describe('virtual BMCs speaking IPMI over UDP', () => {
  let farm: BmcFarm;
  let transport: UdpTransport;
  before(async () => {
    farm = await BmcFarm.start({ count: 200, maxSessions: 3 });
    transport = await UdpTransport.open({ bindAddress: '127.0.0.1' });
  });
  after(async () => {
    await transport?.close();
    await farm?.stop();
  });

  for (const suite of [3, 17]) {
    test(`ipmitool -I lanplus -C ${suite}: power status/on/off and boot device, sessions closed`, async () => {
      const b = farm.bmcs[suite];
      assert.match(await ipmitool(b, suite, 'power', 'status'), /Chassis Power is off/);
      assert.match(await ipmitool(b, suite, 'power', 'on'), /Up\/On/);
      assert.equal(b.bmc.power, 'on');
      assert.match(await ipmitool(b, suite, 'power', 'status'), /Chassis Power is on/);
      assert.match(await ipmitool(b, suite, 'chassis', 'bootdev', 'pxe', 'options=persistent,efiboot'), /Set Boot Device to pxe/);
      assert.deepEqual(b.bmc.boot, { device: 'pxe', persistent: true, efi: true, valid: true });
      assert.match(await ipmitool(b, suite, 'chassis', 'bootparam', 'get', '5'), /Force PXE/);
      assert.match(await ipmitool(b, suite, 'power', 'off'), /Down\/Off/);
      assert.equal(b.bmc.power, 'off');
      assert.equal(b.bmc.openSessions, 0, 'ipmitool closed every session it opened');
      await assert.rejects(ipmitool({ ...b, password: 'wrong' }, suite, 'power', 'status'), /ipmitool power status failed/);
    });
  }

  test('the native client drives 200 BMCs over one socket; session slots are bounded', async () => {
    const clients = farm.bmcs.map((b) => new IpmiClient({ host: b.host, port: b.port, username: b.username, password: b.password, transport, cipherSuite: 17, timeoutMs: 500, retries: 4 }));
    try {
      await Promise.all(clients.map((c) => c.chassisControl('on')));
      assert.equal(farm.bmcs.filter((b) => b.bmc.power === 'on').length, 200);
      await Promise.all(clients.map((c, i) => c.setBootDevice(i % 2 ? 'disk' : 'pxe', { persistent: false, efi: true })));
      const boots = await Promise.all(clients.map((c) => c.getBootOptions()));
      assert.deepEqual(new Set(boots.map((b, i) => `${i % 2}:${b.device}:${b.efi}`)), new Set(['0:pxe:true', '1:disk:true']));
      assert.deepEqual(new Set(await Promise.all(clients.map((c) => c.powerState()))), new Set(['on']));
      // a BMC has 3 slots (maxSessions): the fourth open session is refused with "insufficient resources"
      const b = farm.bmcs[0];
      const more = [1, 2, 3].map(() => new IpmiClient({ host: b.host, port: b.port, username: b.username, password: b.password, transport, cipherSuite: 3, timeoutMs: 500, retries: 1 }));
      await more[0].connect();
      await more[1].connect();
      await assert.rejects(more[2].connect(), (e: Error) => e instanceof IpmiSessionError && /insufficient resources/.test(e.message));
      await Promise.all(more.map((c) => c.close()));
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });

  test('a silent BMC times out, then answers again', async () => {
    const b = farm.bmcs[7];
    const client = new IpmiClient({ host: b.host, port: b.port, username: b.username, password: b.password, transport, cipherSuite: 3, timeoutMs: 200, retries: 1 });
    try {
      await client.chassisControl('off');
      farm.setSilent([7], true);
      await assert.rejects(client.powerState(), IpmiTimeoutError);
      assert.ok(farm.dropped > 0);
      farm.setSilent([7], false);
      assert.equal(await until('the BMC answering again', () => client.powerState().catch(() => null), 10_000), 'off');
    } finally {
      await client.close();
    }
  });

  describe("Anvil's ipmitool interfaces against a virtual BMC", () => {
    let anvil: Anvil;
    before(async () => {
      anvil = await startAnvil({ sync_power_state_interval: 1, force_power_state_during_sync: false, ipmi_attempt_timeout: 0.5, ipmi_power_poll_interval: 0.2 });
    });
    after(async () => anvil?.stop());

    test('power on/off and boot device through the API; power sync sees a change behind its back', async () => {
      const b = farm.bmcs[42];
      const r = await anvil.api('POST', '/nodes', {
        name: 'vbmc-42',
        driver: 'ipmi',
        driver_info: { ipmi_address: b.host, ipmi_port: b.port, ipmi_username: b.username, ipmi_password: b.password, ipmi_cipher_suite: 17 },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const powerOf = async () => (await anvil.api('GET', '/nodes/vbmc-42')).body.power_state as string | null;
      assert.equal((await anvil.api('PUT', '/nodes/vbmc-42/states/provision', { target: 'manage' })).status, 202);
      await until('manageable', async () => (await anvil.api('GET', '/nodes/vbmc-42')).body.provision_state === 'manageable');
      assert.equal((await anvil.api('PUT', '/nodes/vbmc-42/states/power', { target: 'power on' })).status, 202);
      await until('power on', async () => (await powerOf()) === 'power on');
      assert.equal(b.bmc.power, 'on');
      assert.equal((await anvil.api('PUT', '/nodes/vbmc-42/states/power', { target: 'power off' })).status, 202);
      await until('power off', async () => (await powerOf()) === 'power off');
      assert.equal(b.bmc.power, 'off');
      const bd = await anvil.api('PUT', '/nodes/vbmc-42/management/boot_device', { boot_device: 'pxe', persistent: true });
      assert.ok(bd.status === 204 || bd.status === 200, JSON.stringify(bd.body));
      assert.equal(b.bmc.boot.device, 'pxe');
      assert.equal(b.bmc.boot.persistent, true);
      assert.equal((await anvil.api('GET', '/nodes/vbmc-42/management/boot_device')).body.boot_device, 'pxe');
      b.bmc.setPower('on');
      await until('power sync to notice the out-of-band power on', async () => (await powerOf()) === 'power on');
    });
  });
});
