/**
 * The ipmitool power / management / vendor interfaces against real BMCs (ipmi_sim and the pyghmi BMC from
 * ipmi-lan-ts), driven through a task holding a node record, as the conductor drives them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { JsonObject, NodeRecord, Task } from '@anvil/sdk';
import { PowerState } from '@anvil/sdk';
import { ipmitool, missingIpmiSim, missingIpmitool, missingPyghmi, type Peer, startIpmiSim, startPyghmi } from 'ipmi-lan-ts/testing';
import { closeAll } from './bmc-pool.ts';
import { IpmitoolManagement } from './management.ts';
import { IpmitoolPower } from './power.ts';
import { IpmitoolVendor } from './vendor.ts';

const CONFIG = { ipmi_attempt_timeout: 0.4, ipmi_retries: 2, ipmi_power_poll_interval: 0.1, power_state_change_timeout: 5, ipmi_keep_alive: 0 };

interface TestTask extends Task {
  logs: string[];
}

function makeTask(peer: Peer, driverInfo: JsonObject = {}, node: Partial<NodeRecord> = {}, config: JsonObject = {}): TestTask {
  const logs: string[] = [];
  const rec = {
    uuid: randomUUID(),
    driver: 'ipmi',
    driver_info: { ipmi_address: peer.host, ipmi_port: peer.port, ipmi_username: peer.username, ipmi_password: peer.password, ...driverInfo },
    driver_internal_info: {},
    properties: {},
    instance_info: {},
    boot_mode: null,
    power_state: null,
    ...node,
  } as unknown as NodeRecord;
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) => logs.push(`${level} ${msg} ${JSON.stringify(fields ?? {})}`);
  const task: TestTask = {
    node: rec,
    ports: [],
    portgroups: [],
    driver: undefined as never,
    shared: false,
    conductor: 'test',
    log: { info: log('info'), warn: log('warn'), error: log('error') },
    logs,
    config: { ...CONFIG, ...config },
    async saveNode(fields) {
      Object.assign(rec, fields);
    },
    async setInternalInfo(values) {
      const next = { ...rec.driver_internal_info } as JsonObject;
      for (const [k, v] of Object.entries(values)) {
        if (v === null) delete next[k];
        else next[k] = v as JsonObject[string];
      }
      rec.driver_internal_info = next;
    },
  };
  return task;
}

const power = new IpmitoolPower();
const mgmt = new IpmitoolManagement();
const vendor = new IpmitoolVendor();
after(closeAll);

const peers = [
  { name: 'ipmi_sim', start: startIpmiSim, missing: missingIpmiSim() ?? missingIpmitool() },
  { name: 'pyghmi', start: startPyghmi, missing: missingPyghmi() ?? missingIpmitool() },
];

for (const p of peers) {
  describe(`ipmi interfaces against ${p.name}`, () => {
    // no silent skips: a missing peer fails every test here, naming it
    before(() => {
      const missing = p.missing;
      if (missing) throw new Error(`missing prerequisite: ${missing}`);
    });
    test('power: on, off, reboot, soft off, soft reboot; out-of-band changes are seen', async () => {
      const peer = await p.start();
      try {
        const task = makeTask(peer, { ipmi_cipher_suite: 3 });
        await power.validate(task);
        assert.deepEqual(await power.getSupportedPowerStates(task), [PowerState.ON, PowerState.OFF, PowerState.REBOOT, PowerState.SOFT_REBOOT, PowerState.SOFT_POWER_OFF]);
        await power.setPowerState(task, PowerState.ON);
        assert.equal(peer.power(), 'on');
        assert.equal(await power.getPowerState(task), PowerState.ON);
        await power.setPowerState(task, PowerState.OFF);
        assert.equal(peer.power(), 'off');
        assert.equal(await power.getPowerState(task), PowerState.OFF);
        const n = peer.actions().length;
        await power.reboot(task);
        assert.equal(peer.power(), 'on');
        assert.ok(peer.actions().length > n, 'reboot reached the BMC');
        await power.setPowerState(task, PowerState.SOFT_POWER_OFF, 5);
        assert.equal(peer.power(), 'off');
        assert.ok(peer.actions().slice(n).some((a) => /^(soft|shutdown 1)/.test(a)), peer.actions().join(','));
        await power.setPowerState(task, PowerState.SOFT_REBOOT, 5);
        assert.equal(peer.power(), 'on');
        // out of band: ipmitool turns it off, the interface reports it
        await ipmitool(peer, 3, 'power', 'off');
        assert.equal(await power.getPowerState(task), PowerState.OFF);
        await assert.rejects(power.setPowerState(task, 'sideways'), { code: 'InvalidParameterValue' });
        assert.ok(task.logs.every((l) => !l.includes(peer.password)), 'the password is never logged');
      } finally {
        await peer.stop();
      }
    });

    test('soft power off falls back to a hard power off after the timeout', async () => {
      const peer = await p.start({ softIgnored: true });
      try {
        const task = makeTask(peer, { ipmi_cipher_suite: 3 });
        await power.setPowerState(task, PowerState.ON);
        const t0 = Date.now();
        await power.setPowerState(task, PowerState.SOFT_POWER_OFF, 1);
        assert.ok(Date.now() - t0 >= 1000, 'waited for the soft timeout');
        assert.equal(peer.power(), 'off');
        assert.ok(task.logs.some((l) => l.startsWith('warn') && /forcing a hard power off/.test(l)));
      } finally {
        await peer.stop();
      }
    });

    test('management: boot device persistent / one-time, UEFI flag from the node, read back', async () => {
      const peer = await p.start();
      try {
        const suite = Math.max(...peer.suites);
        const task = makeTask(peer, { ipmi_cipher_suite: suite });
        await mgmt.validate(task);
        assert.deepEqual(await mgmt.getSupportedBootDevices(task), ['pxe', 'disk', 'cdrom', 'bios', 'safe']);
        await mgmt.setBootDevice(task, 'pxe', true);
        assert.deepEqual((await mgmt.getBootDevice(task)).boot_device, 'pxe');
        assert.equal(peer.boot().device, 'pxe');
        if (peer.boot().persistent !== null) {
          assert.deepEqual(peer.boot(), { device: 'pxe', persistent: true, efi: true }, 'UEFI is the default boot mode');
          assert.deepEqual(await mgmt.getBootDevice(task), { boot_device: 'pxe', persistent: true });
          assert.equal(await mgmt.getBootMode(task), 'uefi');
          const bios = makeTask(peer, { ipmi_cipher_suite: suite }, { properties: { capabilities: 'boot_mode:bios' } });
          await mgmt.setBootDevice(bios, 'disk', false);
          assert.deepEqual(peer.boot(), { device: 'disk', persistent: false, efi: false });
          assert.deepEqual(await mgmt.getBootDevice(bios), { boot_device: 'disk', persistent: false });
          assert.equal(await mgmt.getBootMode(bios), 'bios');
          assert.match(await ipmitool(peer, suite, 'chassis', 'bootparam', 'get', '5'), /Force Boot from default Hard-Drive/);
          await mgmt.injectNmi(task);
          assert.ok(peer.actions().includes('diag'));
        } else {
          await mgmt.setBootDevice(task, 'disk', false);
          assert.equal(peer.boot().device, 'default');
          assert.equal((await mgmt.getBootDevice(task)).boot_device, 'disk');
        }
        await assert.rejects(mgmt.setBootDevice(task, 'wanboot', false), { code: 'InvalidParameterValue' });
        const raw = (await vendor.callMethod(task, 'send_raw', 'POST', { raw_bytes: '0x06 0x01' })) as { completion_code: number };
        assert.equal(raw.completion_code, 0);
      } finally {
        await peer.stop();
      }
    });

    test('wrong password and unreachable BMC become DriverOperationError with operator-readable messages', async () => {
      const peer = await p.start();
      try {
        const bad = makeTask(peer, { ipmi_password: 'wrong-pass-123', ipmi_cipher_suite: 3 });
        const err = await power.getPowerState(bad).then(
          () => null,
          (e: unknown) => e as Error & { code: string },
        );
        assert.equal(err?.code, 'DriverOperationError');
        assert.match(err?.message ?? '', /password/);
        assert.doesNotMatch(err?.message ?? '', /wrong-pass-123/);
        assert.ok(bad.logs.every((l) => !l.includes('wrong-pass-123')));
      } finally {
        await peer.stop();
      }
      const gone = makeTask(peer, { ipmi_cipher_suite: 3 }, {}, { ipmi_attempt_timeout: 0.1, ipmi_retries: 1 });
      await assert.rejects(power.getPowerState(gone), (e: Error & { code?: string }) => e.code === 'DriverOperationError' && /did not answer/.test(e.message));
    });
  });
}

describe('ipmi_force_boot_device', () => {
  // no silent skips: a missing peer fails every test here, naming it
  before(() => {
    const missing = missingPyghmi() ?? missingIpmitool();
    if (missing) throw new Error(`missing prerequisite: ${missing}`);
  });
  test('remembers the device and re-sends it before power on', async () => {
    const peer = await startPyghmi();
    try {
      const task = makeTask(peer, { ipmi_force_boot_device: true, ipmi_cipher_suite: 17 });
      await mgmt.setBootDevice(task, 'pxe', true);
      assert.equal(task.node.driver_internal_info.persistent_boot_device, 'pxe');
      assert.deepEqual(peer.boot(), { device: 'pxe', persistent: false, efi: true }, 'sent as next-boot only');
      assert.deepEqual(await mgmt.getBootDevice(task), { boot_device: 'pxe', persistent: true });
      // the BMC forgets (someone sets disk out of band); power on re-applies pxe
      await ipmitool(peer, 17, 'chassis', 'bootdev', 'disk');
      assert.equal(peer.boot().device, 'disk');
      await power.setPowerState(task, PowerState.ON);
      assert.equal(peer.boot().device, 'pxe');
    } finally {
      await peer.stop();
    }
  });
});
