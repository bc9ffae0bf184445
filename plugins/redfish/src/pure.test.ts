/** The pure parts of the redfish interfaces: driver_info parsing, Boot payloads, reset choice, inventory, ISO plan, BIOS registry, passthru bodies. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PowerState } from '@anvil/sdk';
import { bootPayload, needsFullBootRequest } from './boot-device.ts';
import { bootIsoPlan, grubCfg, kernelCmdline } from './boot-iso.ts';
import { settingsFrom } from './bios.ts';
import { parseDriverInfo } from './driver-info.ts';
import { parseFirmwareImages } from './firmware.ts';
import { buildInventory, propertiesFrom } from './inventory.ts';
import { chooseResetType, powerStateOf } from './reset.ts';
import { subscriptionBody } from './vendor.ts';
import { fitsIso, isInserted } from './vmedia.ts';

test('parseDriverInfo: Ironic names, https assumed, verify_ca bool strings or a path, auth types', () => {
  assert.throws(() => parseDriverInfo({}), /Missing the following Redfish properties in node's driver_info: \['redfish_address'\]/);
  const d = parseDriverInfo({ redfish_address: '10.0.0.5', redfish_system_id: '/redfish/v1/Systems/1/', redfish_username: 'a', redfish_password: 'p', redfish_verify_ca: 'no' });
  assert.deepEqual(d, { address: 'https://10.0.0.5', systemId: '/redfish/v1/Systems/1', username: 'a', password: 'p', verify: false, authType: 'auto' });
  assert.equal(parseDriverInfo({ redfish_address: 'x', redfish_verify_ca: '/etc/hostname' }).verify, '/etc/hostname');
  assert.throws(() => parseDriverInfo({ redfish_address: 'x', redfish_verify_ca: '/no/such/ca.pem' }), /redfish_verify_ca .*should be a Boolean or the path/);
  assert.throws(() => parseDriverInfo({ redfish_address: 'x', redfish_auth_type: 'digest' }), /redfish_auth_type .*"basic", "session", "auto"/);
  assert.throws(() => parseDriverInfo({ redfish_address: 'x', redfish_system_id: 'Systems/1' }), /redfish_system_id/);
  assert.throws(() => parseDriverInfo({ redfish_address: 'https://x/redfish' }), /Invalid Redfish address/);
  assert.equal(parseDriverInfo({ redfish_address: 'x' }, { authType: 'session' }).authType, 'session');
});

test('bootPayload: only what changes; the full payload when asked; vendors that need it', () => {
  const cur = { BootSourceOverrideTarget: 'Hdd', BootSourceOverrideEnabled: 'Continuous', BootSourceOverrideMode: 'UEFI' };
  assert.deepEqual(bootPayload(cur, { target: 'Pxe', enabled: 'Continuous' }, false), { BootSourceOverrideTarget: 'Pxe' });
  assert.deepEqual(bootPayload(cur, { target: 'Cd', enabled: 'Once' }, false), { BootSourceOverrideTarget: 'Cd', BootSourceOverrideEnabled: 'Once' });
  assert.deepEqual(bootPayload(cur, { target: 'Cd' }, true), { BootSourceOverrideTarget: 'Cd', BootSourceOverrideEnabled: 'Continuous', BootSourceOverrideMode: 'UEFI' });
  assert.deepEqual(bootPayload(cur, { mode: 'Legacy' }, false), { BootSourceOverrideMode: 'Legacy' });
  assert.deepEqual(bootPayload({}, { target: 'UefiHttp', enabled: 'Once', httpBootUri: 'http://x/b.iso' }, false), { BootSourceOverrideTarget: 'UefiHttp', BootSourceOverrideEnabled: 'Once', HttpBootUri: 'http://x/b.iso' });
  assert.ok(needsFullBootRequest('American Megatrends International LLC'));
  assert.ok(needsFullBootRequest('ASRockRack'));
  assert.ok(!needsFullBootRequest('Dell Inc.'));
  assert.ok(!needsFullBootRequest(undefined));
});

test('chooseResetType: from the allowed values, with substitutes; a missing one is named', () => {
  assert.equal(chooseResetType(PowerState.ON, []), 'On');
  assert.equal(chooseResetType(PowerState.ON, ['ForceOn', 'ForceOff']), 'ForceOn');
  assert.equal(chooseResetType(PowerState.REBOOT, ['PowerCycle']), 'PowerCycle');
  assert.equal(chooseResetType('nmi', ['On', 'Nmi']), 'Nmi');
  assert.throws(() => chooseResetType('nmi', ['On', 'ForceOff']), /does not allow a reset for NMI: it allows On, ForceOff \(wanted Nmi\)/);
  assert.equal(powerStateOf({ PowerState: 'PoweringOn' }), PowerState.ON);
  assert.equal(powerStateOf({ PowerState: 'PoweringOff' }), PowerState.OFF);
  assert.equal(powerStateOf({}), null);
});

test('inventory and the inspected properties', () => {
  const inv = buildInventory({
    system: { ProcessorSummary: { Count: 8 }, MemorySummary: { TotalSystemMemoryGiB: 16 }, Boot: { BootSourceOverrideMode: 'Legacy' }, Manufacturer: 'Dell Inc.', Model: 'R640' },
    processors: [{ ProcessorType: 'CPU', InstructionSet: 'x86-64', Model: 'Xeon' }],
    nics: [{ Id: 'NIC.1', MACAddress: 'AA:BB:CC:DD:EE:01' }, { Id: 'NIC.2', MACAddress: '' }],
    disks: [{ Name: 'sda', CapacityBytes: 500 * 1024 ** 3 }, { Name: 'sdb', CapacityBytes: 100 * 1024 ** 3, MediaType: 'HDD' }, { Name: 'empty' }],
  });
  assert.deepEqual(inv.cpu, { count: 8, architecture: 'x86_64', model_name: 'Xeon' });
  assert.deepEqual(inv.memory, { physical_mb: 16384, total: 16 * 1024 ** 3 });
  assert.deepEqual(inv.interfaces, [{ name: 'NIC.1', mac_address: 'aa:bb:cc:dd:ee:01' }]);
  assert.equal((inv.disks as unknown[]).length, 2);
  const props = propertiesFrom(inv, { capabilities: 'boot_mode:uefi,secure_boot:true', root_device: { name: '/dev/sda' } });
  assert.deepEqual(props, { capabilities: 'secure_boot:true,boot_mode:bios', root_device: { name: '/dev/sda' }, memory_mb: 16384, cpu_arch: 'x86_64', cpus: 8, local_gb: 499 });
});

test('boot ISO plan: kernel, initrd, GRUB config with the parameters, an ESP for El Torito', () => {
  const cmd = kernelCmdline('nofb vga=normal', { 'ipa-api-url': 'http://10.0.0.1:6385', boot_method: 'vmedia' });
  assert.equal(cmd, 'nofb vga=normal ipa-api-url=http://10.0.0.1:6385 boot_method=vmedia');
  assert.throws(() => kernelCmdline('', { a: 'b c' }), /white space/);
  assert.match(grubCfg(cmd), /linuxefi \/vmlinuz nofb vga=normal ipa-api-url=http:\/\/10.0.0.1:6385 boot_method=vmedia\n\s+initrdefi \/initrd/);
  const plan = bootIsoPlan({ kernel: Buffer.from('k'), ramdisk: Buffer.from('r'), cmdline: cmd, esp: null });
  assert.deepEqual(plan.files.map((f) => f.path), ['vmlinuz', 'initrd', 'boot/grub/grub.cfg', 'EFI/BOOT/grub.cfg', 'EFI/BOOT/efiboot.img']);
  const esp = plan.files[4].data as Buffer;
  assert.equal(esp.length, 1024 * 1024);
  assert.equal(esp.readUInt16LE(510), 0xaa55); // a FAT boot sector
  assert.equal(bootIsoPlan({ kernel: Buffer.from('k'), ramdisk: Buffer.from('r'), cmdline: cmd, esp: Buffer.from('mine') }).files[4].data.toString(), 'mine');
});

test('BIOS settings from Attributes and the attribute registry; passthru and step arguments; vmedia devices', () => {
  const reg = { RegistryEntries: { Attributes: [{ AttributeName: 'Turbo', Type: 'Enumeration', Value: [{ ValueName: 'On' }, { ValueName: 'Off' }], ReadOnly: false, ResetRequired: true }, { AttributeName: 'Cores', Type: 'Integer', LowerBound: 1, UpperBound: 64 }] } };
  assert.deepEqual(settingsFrom({ Turbo: 'On', Cores: 8, Other: null }, reg), [
    { name: 'Turbo', value: 'On', attribute_type: 'Enumeration', allowable_values: ['On', 'Off'], lower_bound: null, upper_bound: null, min_length: null, max_length: null, read_only: false, reset_required: true, unique: null },
    { name: 'Cores', value: '8', attribute_type: 'Integer', allowable_values: null, lower_bound: 1, upper_bound: 64, min_length: null, max_length: null, read_only: null, reset_required: null, unique: null },
    { name: 'Other', value: null, attribute_type: null, allowable_values: null, lower_bound: null, upper_bound: null, min_length: null, max_length: null, read_only: null, reset_required: null, unique: null },
  ]);
  assert.deepEqual(subscriptionBody({ Destination: 'https://c/e' }), { Destination: 'https://c/e', Protocol: 'Redfish' });
  assert.throws(() => subscriptionBody({ Destination: 'https://c/e', EventTypes: 'Alert' }), /EventTypes must be a list/);
  assert.throws(() => subscriptionBody({ Destination: 'https://c/e', HttpHeaders: ['x'] }), /HttpHeaders must be a list of objects/);
  assert.deepEqual(parseFirmwareImages([{ url: 'http://x/bios.bin', wait: 5 }]), [{ url: 'http://x/bios.bin', checksum: undefined, wait: 5 }]);
  assert.throws(() => parseFirmwareImages([{ url: 'ftp://x' }]), /firmware_images\[0\] needs a "url"/);
  assert.ok(fitsIso({ MediaTypes: ['CD', 'DVD'] }) && fitsIso({}) && !fitsIso({ MediaTypes: ['Floppy', 'USBStick'] }));
  assert.ok(isInserted({ Inserted: true }) && isInserted({ Image: 'http://x' }) && !isInserted({ Image: 'None' }) && !isInserted({ Inserted: false, Image: null }));
});
