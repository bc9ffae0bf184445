/**
 * The redfish interfaces against sushy-tools' emulator (fake systems driver, two systems, power changes after a
 * fixed 1 s), driven through a task as the conductor drives them: power incl. NMI, boot device and mode, secure
 * boot, indicators, virtual media boot (the emulator downloads the ISO we serve), UEFI HTTP boot, inspection,
 * BIOS cache/apply/reset, firmware SimpleUpdate and the `redfish` firmware interface's components.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stopServers } from '@anvil/plugin-pxe';
import { closeAll, RedfishBios, RedfishFirmware, RedfishHttpsBoot, RedfishInspect, RedfishManagement, RedfishPower, RedfishVirtualMediaBoot } from '@anvil/plugin-redfish';
import { PowerState } from '@anvil/sdk';
import { freePort } from '../free-port.ts';
import { startImageServer, type ImageServer } from '../deploy/fixtures.ts';
import { type FakeSystem, type Peer, startEmulator } from './emulator.ts';
import { makeTask } from './task.ts';

const A: FakeSystem = { uuid: '11111111-1111-4111-8111-111111111111', name: 'node-a', mac: '52:54:00:aa:00:01', diskBytes: 20 * 1024 ** 3 };
const B: FakeSystem = { uuid: '22222222-2222-4222-8222-222222222222', name: 'node-b', mac: '52:54:00:aa:00:02' };
const power = new RedfishPower();
const mgmt = new RedfishManagement();

describe('redfish interfaces against sushy-tools', () => {
  let bmc: Peer;
  let images: ImageServer;
  let dir: string;
  let httpPort: number;
  before(async () => {
    [bmc, images, httpPort] = await Promise.all([startEmulator({ systems: [A, B], powerDelay: 1 }), startImageServer({ kernel: Buffer.from('KERNEL'), ramdisk: Buffer.alloc(300_000, 7) }), freePort()]);
    dir = mkdtempSync(join(tmpdir(), 'anvil-redfish-'));
  });
  after(async () => {
    await closeAll();
    await stopServers();
    await bmc?.stop();
    await images?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const info = (sys = A) => ({ redfish_address: bmc.url, redfish_system_id: `/redfish/v1/Systems/${sys.uuid}`, deploy_kernel: `${images.url}/kernel`, deploy_ramdisk: `${images.url}/ramdisk` });
  const task = (sys = A, extra = {}) =>
    makeTask(info(sys), { config: { data_dir: dir, pxe_http_port: httpPort, pxe_api_url: 'http://127.0.0.1:6385', ...extra }, interfaces: { power, management: mgmt } });
  const system = async (sys = A): Promise<any> => (await fetch(`${bmc.url}/redfish/v1/Systems/${sys.uuid}`)).json();
  const json = async (url: string): Promise<any> => (await fetch(url)).json();

  test('two Systems: redfish_system_id is required, and each system is driven on its own', async () => {
    const t = makeTask({ redfish_address: bmc.url });
    await assert.rejects(power.getPowerState(t), /redfish_system_id is required .* manages 2 Systems/);
    await power.setPowerState(task(B), PowerState.ON);
    assert.equal(await power.getPowerState(task(B)), PowerState.ON);
    assert.equal(await power.getPowerState(task(A)), PowerState.OFF);
    await power.setPowerState(task(B), PowerState.OFF);
  });

  test('power: on, reboot, soft reboot, soft power off, off; each waits for the emulator to show the state', async () => {
    const t = task();
    for (const [target, want] of [
      [PowerState.ON, 'On'],
      [PowerState.REBOOT, 'On'],
      [PowerState.SOFT_REBOOT, 'On'],
      [PowerState.SOFT_POWER_OFF, 'Off'],
      [PowerState.ON, 'On'],
      [PowerState.OFF, 'Off'],
    ] as const) {
      await power.setPowerState(t, target);
      assert.equal((await system()).PowerState, want, target);
    }
    await power.reboot(t); // from off: just on
    assert.equal(await power.getPowerState(t), PowerState.ON);
    // disable_power_off: one ForceRestart (the emulator shows Off until the restart lands, then On)
    t.node.disable_power_off = true;
    await power.reboot(t);
    assert.equal(await power.getPowerState(t), PowerState.ON);
    t.node.disable_power_off = false;
    // already on: the emulator accepts On again and nothing changes
    await power.setPowerState(t, PowerState.ON);
    await power.setPowerState(t, PowerState.OFF);
    assert.deepEqual(await power.getSupportedPowerStates(t), [PowerState.ON, PowerState.OFF, PowerState.REBOOT, PowerState.SOFT_REBOOT, PowerState.SOFT_POWER_OFF]);
  });

  test("sushy-tools' own random 1-11 s power delay: power on waits for it", async () => {
    const slow = await startEmulator({ systems: [A] }); // no fixed delay: the emulator's random one
    try {
      const t = makeTask({ redfish_address: slow.url, redfish_system_id: `/redfish/v1/Systems/${A.uuid}` }, { config: { redfish_power_poll_interval: 0.25 } });
      const t0 = Date.now();
      await power.setPowerState(t, PowerState.ON);
      const took = (Date.now() - t0) / 1000;
      // the emulator's delay is up to 11 s; a loaded machine adds seconds to its answers: well under the 60 s timeout
      assert.ok(took > 0 && took < 30, `power on took ${took} s`);
      assert.equal(await power.getPowerState(t), PowerState.ON);
    } finally {
      await slow.stop();
    }
  });

  test('NMI goes through ComputerSystem.Reset (Nmi is among the allowed values)', async () => {
    await mgmt.injectNmi!(task());
    await mgmt.injectNmi!(task());
    assert.equal((await system()).PowerState, 'Off'); // an NMI changes no power state
  });

  test('inspect on a system without Storage: a warning, no local_gb, the rest inspected', async () => {
    const t = task(B);
    await new RedfishInspect().inspectHardware(t);
    assert.equal(t.node.properties.local_gb, undefined);
    assert.equal(t.node.properties.memory_mb, 8192);
    assert.ok(t.logs.some((l) => /^warn .*Storage/.test(l)), t.logs.join('\n'));
  });

  test('boot device once and persistent, boot mode, secure boot, indicators, vendor, MACs', async () => {
    const t = task();
    await mgmt.setBootDevice(t, 'pxe', false);
    assert.equal((await system()).Boot.BootSourceOverrideTarget, 'Pxe');
    assert.equal((await mgmt.getBootDevice(t)).boot_device, 'pxe');
    await mgmt.setBootDevice(t, 'disk', true);
    assert.deepEqual(await mgmt.getBootDevice(t), { boot_device: 'disk', persistent: true });
    await mgmt.setBootMode!(t, 'bios');
    assert.equal(await mgmt.getBootMode!(t), 'bios');
    await mgmt.setBootMode!(t, 'uefi');
    assert.equal((await system()).Boot.BootSourceOverrideMode, 'UEFI');
    assert.equal(await mgmt.getSecureBootState!(t), false);
    await mgmt.setSecureBootState!(t, true);
    assert.equal(await mgmt.getSecureBootState!(t), true);
    await mgmt.setSecureBootState!(t, false);
    const ind = await mgmt.getSupportedIndicators!(t);
    assert.deepEqual(Object.keys(ind).sort(), ['chassis', 'system']);
    const sysLed = Object.keys(ind.system)[0];
    await mgmt.setIndicatorState!(t, 'system', sysLed, 'blinking');
    assert.equal(await mgmt.getIndicatorState!(t, 'system', sysLed), 'blinking');
    assert.equal((await system()).IndicatorLED, 'Blinking');
    await assert.rejects(mgmt.setIndicatorState!(t, 'system', sysLed, 'purple'), /Invalid indicator state/);
    assert.equal(await mgmt.detectVendor!(t), 'Sushy Emulator');
    assert.deepEqual(await mgmt.getMacAddresses!(t), [A.mac]);
  });

  test('redfish-virtual-media: the emulator downloads our El Torito ISO, boots CD once; local boot ejects it', async () => {
    const boot = new RedfishVirtualMediaBoot();
    const t = task();
    await boot.validate(t);
    await boot.prepareRamdisk(t, { 'ipa-debug': '1' });
    const cd = await json(`${bmc.url}/redfish/v1/Systems/${A.uuid}/VirtualMedia/Cd`);
    assert.equal(cd.Inserted, true);
    assert.equal(cd.Image, t.node.driver_internal_info.redfish_boot_iso);
    assert.match(cd.Image, new RegExp(`^http://127.0.0.1:${httpPort}/redfish/boot-${t.node.uuid}.iso$`));
    assert.equal((await system()).Boot.BootSourceOverrideTarget, 'Cd');
    const iso = Buffer.from(await (await fetch(cd.Image)).arrayBuffer());
    assert.equal(iso.subarray(0x8001, 0x8006).toString(), 'CD001');
    assert.equal(iso.subarray(0x8801 + 6, 0x8801 + 6 + 23).toString(), 'EL TORITO SPECIFICATION');
    assert.ok(iso.includes('ipa-api-url=http://127.0.0.1:6385 ipa-debug=1 boot_method=vmedia'));
    await boot.prepareInstance(t);
    const after = await json(`${bmc.url}/redfish/v1/Systems/${A.uuid}/VirtualMedia/Cd`);
    assert.equal(after.Inserted, false);
    assert.deepEqual(await mgmt.getBootDevice(t), { boot_device: 'disk', persistent: true });
    assert.equal((await fetch(cd.Image)).status, 404);
  });

  test('redfish-https: the ISO URL goes to Boot.HttpBootUri with target UefiHttp', async () => {
    const boot = new RedfishHttpsBoot();
    const t = task(B);
    await boot.prepareRamdisk(t, {});
    const s = await system(B);
    assert.equal(s.Boot.HttpBootUri, t.node.driver_internal_info.redfish_boot_iso);
    const cd = await json(`${bmc.url}/redfish/v1/Systems/${B.uuid}/VirtualMedia/Cd`);
    assert.equal(cd.Image, s.Boot.HttpBootUri); // the emulator fetched it into its CD to boot from
    await boot.cleanUpRamdisk(t);
  });

  test('inspect: properties, the inventory and one port per NIC', async () => {
    const t = task();
    assert.equal(await new RedfishInspect().inspectHardware(t), 'done');
    assert.equal(t.node.properties.memory_mb, 8192);
    assert.equal(t.node.properties.cpus, 4);
    assert.equal(t.node.properties.cpu_arch, 'x86_64');
    assert.equal(t.node.properties.capabilities, 'boot_mode:uefi');
    assert.equal(t.node.properties.local_gb, 19);
    assert.deepEqual((t.inventory as { disks: { size: number }[] }).disks.map((d) => d.size), [20 * 1024 ** 3]);
    assert.deepEqual(t.ports.map((p) => p.address), [A.mac]);
    assert.deepEqual((t.inventory as { interfaces: unknown[] }).interfaces, [{ name: A.mac, mac_address: A.mac }]);
    await new RedfishInspect().inspectHardware(t); // again: no duplicate port
    assert.equal(t.ports.length, 1);
  });

  test('bios: cache with registry types, apply_configuration (then a power cycle), factory_reset', async () => {
    const bios = new RedfishBios();
    const t = task(A);
    await bios.cacheBiosSettings(t);
    const byName = new Map(t.bios.map((s) => [s.name, s]));
    assert.equal(byName.get('ProcTurboMode')?.value, 'Enabled');
    assert.deepEqual(byName.get('ProcTurboMode')?.allowable_values, ['Enabled', 'Disabled']);
    assert.equal(byName.get('ProcTurboMode')?.attribute_type, 'Enumeration');
    await bios.executeStep!(t, 'apply_configuration', { settings: [{ name: 'ProcTurboMode', value: 'Disabled' }] });
    assert.equal(new Map(t.bios.map((s) => [s.name, s.value])).get('ProcTurboMode'), 'Disabled');
    await bios.executeStep!(t, 'factory_reset', {});
    assert.equal(new Map(t.bios.map((s) => [s.name, s.value])).get('ProcTurboMode'), 'Enabled');
    await assert.rejects(bios.executeStep!(t, 'apply_configuration', { settings: 'x' }), /needs settings/);
    await power.setPowerState(t, PowerState.OFF);
  });

  test('firmware: update_firmware runs UpdateService.SimpleUpdate and follows its task to Completed', async () => {
    const t = task(B);
    assert.equal((await system(B)).BiosVersion, '1.0.0');
    await mgmt.executeStep(t, 'update_firmware', { firmware_images: [{ url: `${images.url}/kernel` }] });
    assert.equal((await system(B)).BiosVersion, '1.1.0');
    assert.deepEqual(t.node.driver_internal_info.redfish_firmware_components, [
      { component: 'bios', current_version: '1.1.0' },
      { component: 'bmc', current_version: '1.00' },
    ]);
    await assert.rejects(mgmt.executeStep(t, 'update_firmware', { firmware_images: [] }), /non-empty list/);
  });

  test("firmware interface: bios and bmc components as the emulator reports them (Ironic 39's redfish firmware)", async () => {
    const t = task(A);
    const sys = await system(A);
    const mgr = await (await fetch(`${bmc.url}${sys.Links.ManagedBy[0]['@odata.id']}`)).json();
    await new RedfishFirmware().cacheFirmwareComponents(t);
    assert.deepEqual(t.firmware, [
      { component: 'bios', initial_version: sys.BiosVersion, current_version: sys.BiosVersion, vendor: null, model: null, serial_number: null },
      { component: 'bmc', initial_version: mgr.FirmwareVersion, current_version: mgr.FirmwareVersion, vendor: null, model: mgr.Model ?? null, serial_number: null },
    ]);
  });
});
