/** The built-in hooks as pure functions, with the values Ironic 39 produced for the same input (reference runs). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HardwareInspectionFailure, type InspectionData, type InspectionHook, type JsonObject } from '@anvil/sdk';
import coreHooks from './hooks/core.ts';
import deviceHooks from './hooks/devices.ts';
import hardwareHooks from './hooks/hardware.ts';
import lldpHooks from './hooks/lldp.ts';
import { lldpTlv as encode } from '@anvil/agent-sim';
import { hookNames, inspectionOptions, resolveHooks, runInspectionHooks } from './pipeline.ts';

const ALL = new Map<string, InspectionHook>(Object.entries({ ...coreHooks, ...hardwareHooks, ...deviceHooks, ...lldpHooks }));
const M1 = '52:54:00:12:34:01';
const M2 = '52:54:00:12:34:02';

function data(over: Partial<InspectionData> = {}): InspectionData {
  return {
    inventory: {
      cpu: { count: 4, architecture: 'x86_64', flags: ['vmx', 'aes', 'pse'] },
      memory: { physical_mb: 8192, total: 8589934592 },
      boot: { pxe_interface: M1, current_boot_mode: 'uefi' },
      disks: [{ name: '/dev/sda', size: 21474836480, serial: 'S1' }, { name: '/dev/sdb', size: 107374182400, serial: 'S2' }],
      interfaces: [
        { name: 'eth0', mac_address: M1, ipv4_address: '10.0.0.5', lldp: [encode.chassisMac('52:54:00:aa:bb:cc'), encode.portText(5, 'Ethernet1/3'), encode.ttl(120), encode.systemName('switch-01')] },
        { name: 'eth1', mac_address: M2.toUpperCase(), ipv4_address: null, lldp: [encode.chassisText(7, 'sw2'), encode.portText(7, '17')] },
        { name: 'lo', mac_address: '00:00:00:00:00:00', ipv4_address: '127.0.0.1' },
      ],
    },
    plugin_data: { root_disk: { name: '/dev/sda', size: 21474836480 } },
    node: { uuid: 'n-1', name: 'n', driver: 'ipmi', properties: {}, driver_info: {}, extra: {}, instance_info: {}, traits: [] },
    ports: [],
    log: [],
    ...over,
  };
}

const run = (names: string, d = data(), settings: Record<string, unknown> = {}) => runInspectionHooks(d, resolveHooks(hookNames(names), ALL), inspectionOptions(settings));

test('hook list: $default_hooks expands; unknown names and unmet dependencies are refused', () => {
  assert.deepEqual(hookNames('$default_hooks,cpus'), ['ramdisk-error', 'validate-interfaces', 'ports', 'architecture', 'cpus']);
  assert.throws(() => resolveHooks(['nope'], ALL), /not available: nope/);
  assert.throws(() => resolveHooks(['ports', 'validate-interfaces'], ALL), /validate-interfaces must be enabled before the ports hook/);
});

test('defaults + cpus/memory/root-device (add_ports=pxe): one PXE port, properties as Ironic sets them', () => {
  const d = run('$default_hooks,cpus,memory,root-device');
  assert.deepEqual(d.node.properties, { cpu_arch: 'x86_64', cpus: 4, memory_mb: 8192, local_gb: 19 });
  assert.deepEqual(d.ports, [{ address: M1, pxe_enabled: true, extra: {}, local_link_connection: {}, physical_network: null }]);
  assert.deepEqual(d.plugin_data.macs, [M1]);
  assert.deepEqual(Object.keys(d.plugin_data.all_interfaces as object), ['eth0', 'eth1', 'lo']);
  assert.equal(d.plugin_data.local_gb, 19);
});

test('add_ports all / active / disabled and keep_ports present / added; update_pxe_enabled', () => {
  const existing = { uuid: 'p-old', address: '52:54:00:ff:ff:ff', pxe_enabled: true, extra: {}, local_link_connection: {}, physical_network: null };
  const all = run('$default_hooks', data({ ports: [existing] }), { inspector_add_ports: 'all' });
  assert.deepEqual(all.ports.map((p) => [p.address, p.pxe_enabled]), [['52:54:00:ff:ff:ff', false], [M1, true], [M2, false]]);
  const active = run('$default_hooks', data(), { inspector_add_ports: 'active' });
  assert.deepEqual(active.ports.map((p) => p.address), [M1]);
  const present = run('$default_hooks', data({ ports: [existing] }), { inspector_add_ports: 'all', inspector_keep_ports: 'present' });
  assert.deepEqual(present.ports.map((p) => p.address), [M1, M2]);
  const added = run('$default_hooks', data({ ports: [{ ...existing, address: M2 }] }), { inspector_keep_ports: 'added' });
  assert.deepEqual(added.ports.map((p) => p.address), [M1]);
  const disabled = run('$default_hooks', data(), { inspector_add_ports: 'disabled' });
  assert.deepEqual(disabled.ports, []);
});

test('parse-lldp and local-link-connection: every chassis/port subtype, VLANs, MTU, link aggregation', () => {
  const d0 = data();
  (d0.inventory.interfaces as any[])[0].lldp.push(encode.vlan(100, 'prod'), encode.vlan(200, 'stor'), encode.pvid(100), encode.mtu(9000), encode.linkAggregation(true, 7), encode.portDescription('Eth1/3 to n-1'), encode.mgmtIpv4('192.0.2.1'));
  const d = run('$default_hooks,parse-lldp,local-link-connection', d0, { inspector_add_ports: 'all' });
  assert.deepEqual(d.plugin_data.parsed_lldp, {
    eth0: {
      switch_chassis_id: '52:54:00:aa:bb:cc',
      switch_port_id: 'Ethernet1/3',
      switch_system_name: 'switch-01',
      switch_port_vlans: [{ name: 'prod', id: 100 }, { name: 'stor', id: 200 }],
      switch_port_untagged_vlan_id: 100,
      switch_port_mtu: 9000,
      switch_port_link_aggregation_enabled: true,
      switch_port_link_aggregation_support: true,
      switch_port_link_aggregation_id: 7,
      switch_port_description: 'Eth1/3 to n-1',
      switch_mgmt_addresses: ['192.0.2.1'],
    },
    eth1: { switch_chassis_id: 'sw2', switch_port_id: '17' },
  });
  const byMac = Object.fromEntries(d.ports.map((p) => [p.address, p.local_link_connection]));
  assert.deepEqual(byMac[M1], { switch_id: '52:54:00:aa:bb:cc', port_id: 'Ethernet1/3', switch_info: 'switch-01' });
  // a chassis id that is not a MAC gives no switch_id (Ironic)
  assert.deepEqual(byMac[M2], { port_id: '17' });
});

test('local-link-connection keeps keys already on the port', () => {
  const port = { uuid: 'p1', address: M1, pxe_enabled: true, extra: {}, local_link_connection: { port_id: 'manual' }, physical_network: null };
  const d = run('$default_hooks,local-link-connection', data({ ports: [port] }));
  assert.deepEqual(d.ports[0].local_link_connection, { port_id: 'manual', switch_id: '52:54:00:aa:bb:cc', switch_info: 'switch-01' });
});

test('ramdisk-error and no usable interface fail with Ironic texts; the input is not changed', () => {
  const d = data({ plugin_data: { error: 'disk on fire' } });
  const before = structuredClone(d);
  assert.throws(() => run('$default_hooks', d), (e: Error) => e instanceof HardwareInspectionFailure && e.message === 'Failed to inspect hardware. Reason: failed to run inspection hooks: Error in preprocess hook ramdisk-error: Failed to inspect hardware. Reason: Ramdisk reported error: disk on fire');
  assert.deepEqual(d, before);
  const noNics = data();
  noNics.inventory.interfaces = [{ name: 'eth0' }];
  assert.throws(() => run('$default_hooks', noNics), /Inventory of node n-1 is invalid: no valid network interfaces/);
});

test('boot-mode, cpu-capabilities, physical-network, root device hints, extra-hardware', () => {
  const d0 = data({ node: { uuid: 'n-1', name: null, driver: 'ipmi', properties: { root_device: { serial: 'S2' }, capabilities: 'x:1' }, driver_info: {}, extra: {}, instance_info: {}, traits: [] } });
  d0.plugin_data.data = [['cpu', 'logical', 'number', '8'], ['system', 'product', 'vendor', 'ACME']];
  const d = run('$default_hooks,boot-mode,cpu-capabilities,physical-network,root-device,extra-hardware', d0, { inspector_physical_network_cidr_map: '10.0.0.0/24:physnet-a' });
  assert.equal(d.node.properties.capabilities, 'x:1,boot_mode:uefi,cpu_vt:true,cpu_aes:true,cpu_hugepages:true');
  assert.equal(d.node.properties.local_gb, 99);
  assert.equal(d.ports[0].physical_network, 'physnet-a');
  assert.deepEqual(d.plugin_data.extra, { cpu: { logical: { number: 8 } }, system: { product: { vendor: 'ACME' } } });
  assert.equal('data' in d.plugin_data, false);
});

test('pci-devices counts aliased devices into capabilities; accelerators from the known list (plugin_data first)', () => {
  const pci = [
    { vendor_id: '8086', product_id: '154d', bus: '0000:01:00.0' },
    { vendor_id: '8086', product_id: '154d', bus: '0000:01:00.1' },
    { vendor_id: '10de', product_id: '1eb8', bus: '0000:3b:00.0' },
  ];
  const alias = JSON.stringify([{ vendor_id: '8086', product_id: '154d', name: 'intel_x520' }, { vendor_id: '10de', product_id: '1eb8', name: 't4' }]);
  let d = run('$default_hooks,pci-devices,accelerators', data({ plugin_data: { pci_devices: pci } }), { inspector_pci_device_alias: alias });
  assert.equal(d.node.properties.capabilities, 'intel_x520:2,t4:1');
  assert.deepEqual(d.node.properties.accelerators, [{ vendor_id: '10de', device_id: '1eb8', type: 'GPU', device_info: 'NVIDIA Corporation Tesla T4', pci_address: '0000:3b:00.0' }]);
  d = run('$default_hooks,pci-devices,accelerators', data({ plugin_data: { pci_devices: pci.slice(0, 1) } }));
  assert.equal(d.node.properties.capabilities, undefined);
  assert.deepEqual(d.node.properties.accelerators, []);
  d = run('$default_hooks,accelerators', data());
  assert.equal(d.node.properties.accelerators, undefined);
});

test('raid-device: the one new disk serial against the stored inventory becomes root_device; otherwise nothing', () => {
  const before = data().inventory;
  const withRaid = { ...before, disks: [...(before.disks as JsonObject[]), { name: '/dev/md0', size: 1e11, serial: 'RAID-1' }] };
  assert.equal(run('$default_hooks,raid-device', data()).node.properties.root_device, undefined); // first run: nothing stored yet
  assert.deepEqual(run('$default_hooks,raid-device', data({ inventory: withRaid, previous_inventory: before })).node.properties.root_device, { serial: 'RAID-1' });
  assert.equal(run('$default_hooks,raid-device', data({ previous_inventory: before })).node.properties.root_device, undefined);
  const two = { ...withRaid, disks: [...(withRaid.disks as JsonObject[]), { name: '/dev/md1', serial: 'RAID-2' }] };
  assert.equal(run('$default_hooks,raid-device', data({ inventory: two, previous_inventory: before })).node.properties.root_device, undefined);
  const known = data({ inventory: withRaid, previous_inventory: before });
  known.node.properties = { root_device: { name: '/dev/sda' } };
  assert.deepEqual(run('$default_hooks,raid-device', known).node.properties.root_device, { name: '/dev/sda' });
});
