import assert from 'node:assert/strict';
import { test } from 'node:test';
import { networkData } from './network-data.ts';

test('a VIF recorded on an Ironic port takes that port’s MAC', () => {
  const ports = [
    { uuid: 'p1', address: '52:54:00:00:00:01', internal_info: { tenant_vif_port_id: 'vif-1' }, extra: {}, portgroup_uuid: null },
    { uuid: 'p2', address: '52:54:00:00:00:02', internal_info: {}, extra: { vif_port_id: 'vif-2' }, portgroup_uuid: null },
  ];
  const nd = networkData([{ port_id: 'vif-1' }, { port_id: 'vif-2', net_id: 'net-a' }, { port_id: 'vif-3', mac: 'fa:16:3e:00:00:03' }], ports, []);
  assert.deepEqual(
    nd.links.map((l) => [l.vif_id, l.type, l.ethernet_mac_address]),
    [
      ['vif-1', 'phy', '52:54:00:00:00:01'],
      ['vif-2', 'phy', '52:54:00:00:00:02'],
      ['vif-3', 'phy', 'fa:16:3e:00:00:03'],
    ],
  );
  assert.deepEqual(nd.networks[1], { id: 'network1', type: 'ipv4_dhcp', link: nd.links[1].id, network_id: 'net-a' });
});

test('a VIF on a portgroup becomes a bond plus its member ports', () => {
  const pg = { uuid: 'pg1', address: '52:54:00:00:00:10', mode: '802.3ad', properties: { miimon: '100' }, internal_info: { tenant_vif_port_id: 'vif-b' }, extra: {} };
  const ports = [
    { uuid: 'p1', address: '52:54:00:00:00:11', internal_info: {}, extra: {}, portgroup_uuid: 'pg1' },
    { uuid: 'p2', address: '52:54:00:00:00:12', internal_info: {}, extra: {}, portgroup_uuid: 'pg1' },
  ];
  const nd = networkData([{ port_id: 'vif-b' }], ports, [pg]);
  assert.equal(nd.links[0].type, 'bond');
  assert.equal(nd.links[0].bond_mode, '802.3ad');
  assert.equal(nd.links[0].bond_miimon, '100');
  assert.deepEqual(nd.links[0].bond_links, ['p1', 'p2']);
  assert.deepEqual(nd.links.slice(1), [
    { id: 'p1', type: 'phy', ethernet_mac_address: '52:54:00:00:00:11' },
    { id: 'p2', type: 'phy', ethernet_mac_address: '52:54:00:00:00:12' },
  ]);
});
