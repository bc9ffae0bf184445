/** network_data validation: the accepted shapes and jsonschema-style messages (checked against real Ironic 21.4). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pyRepr } from '@anvil/sdk';
import { checkNetworkData } from './network-data.ts';

const msg = (nd: unknown) => {
  try {
    checkNetworkData(nd);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
};

test('accepts null, {} and complete documents', () => {
  assert.equal(msg(null), null);
  assert.equal(msg({}), null);
  assert.equal(msg({ links: [], networks: [], services: [] }), null);
  const doc = {
    links: [
      { id: 'eth0', type: 'phy', ethernet_mac_address: '52:54:00:00:00:01' },
      { id: 'bond0', type: 'bond', ethernet_mac_address: '52:54:00:00:00:02', bond_mode: '802.1ad', bond_links: ['eth0'] },
      { id: 'vlan5', type: 'vlan', vlan_mac_address: '52:54:00:00:00:03', vlan_link: 'bond0', vlan_id: 5 },
    ],
    networks: [{ id: 'n0', type: 'ipv4', link: 'vlan5', network_id: 'net', ip_address: '10.0.0.5', netmask: '255.255.255.0' }],
    services: [{ type: 'dns', address: '10.0.0.1' }],
  };
  assert.equal(msg(doc), null);
});

test('rejects like Ironic', () => {
  assert.equal(msg({ links: 'x' }), "Schema error for node: 'x' is not of type 'array'");
  assert.equal(msg({ links: [] }), "Schema error for node: {'links': []} is not valid under any of the given schemas. Possible root cause: {'links': []} is not of type 'null'");
  assert.equal(
    msg({ links: [{ id: 'eth0', type: 'phy' }], networks: [], services: [] }),
    "Schema error for node: {'id': 'eth0', 'type': 'phy'} is not valid under any of the given schemas. Possible root cause: 'ethernet_mac_address' is a required property",
  );
  assert.equal(
    msg({ links: [], networks: [{ id: 'n' }], services: [] }),
    "Schema error for node: {'id': 'n'} is not valid under any of the given schemas. Possible root cause: 'link' is a required property",
  );
  assert.match(String(msg({ links: [{ id: 'e', type: 'phy', ethernet_mac_address: 'nope' }], networks: [], services: [] })), /is not valid under any/);
  assert.match(String(msg({ links: [], networks: [], services: [{ type: 'ntp' }] })), /'address' is a required property/);
});

test('pyRepr renders JSON as Python would', () => {
  assert.equal(pyRepr({ a: [1, true, null, 'x'] }), "{'a': [1, True, None, 'x']}");
});
