/**
 * The flat and neutron network interfaces on a real conductor task (SQLite, real registry) against the fake
 * Neutron: tenant VIFs bound to the node with local_link_information on configureTenantNetworks and unbound on
 * unconfigure; flat binds/unbinds the tenant VIF around provisioning (no local links) and creates cleaning ports
 * only when a cleaning network is set; a Neutron error surfaces as NetworkError; VIF attach records the VIF on the
 * portgroup first.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testEngines, type TestDatabase } from '@anvil/db/testing';
import { withTask } from '@anvil/conductor';
import { startTestConductor, type TestConductor } from '@anvil/conductor/testing';
import { type FakeNeutron, startFakeNeutron } from './fake-neutron.ts';

let neutron: FakeNeutron;
let tdb: TestDatabase;
let tc: TestConductor;

before(async () => {
  neutron = await startFakeNeutron(['provisioning', 'cleaning', 'tenant']);
  tdb = await testEngines()[0].open();
  tc = await startTestConductor(tdb.db, {
    enabled_network_interfaces: ['noop', 'flat', 'neutron'],
    neutron_url: neutron.url,
    provisioning_network: net('provisioning'),
    cleaning_network: net('cleaning'),
  });
});
after(async () => {
  await tc?.stop();
  await tdb?.cleanup();
  await neutron?.stop();
});

function net(name: string): string {
  return [...neutron.networks.values()].find((n) => n.name === name)!.id;
}

async function tenantPort(mac: string): Promise<string> {
  const r = await fetch(`${neutron.url}/v2.0/ports`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ port: { network_id: net('tenant'), name: `vif-${mac}` } }) });
  return ((await r.json()) as { port: { id: string } }).port.id;
}

let seq = 0;
const mac = (n: number) => `52:54:00:dd:${n.toString(16).padStart(2, '0')}:01`;

async function nodeWithPorts(networkInterface: string) {
  const node = await tc.createNode({ network_interface: networkInterface });
  const base = (seq += 3);
  const pg = await tdb.db.portgroups.create({ node_id: node.id, address: mac(base), name: `pg-${node.uuid.slice(0, 8)}` });
  const llc = (p: string) => ({ switch_id: 'aa:bb:cc:dd:ee:ff', port_id: p, switch_info: 'leaf-1' });
  await tdb.db.ports.create({ node_id: node.id, address: mac(base + 1), portgroup_id: pg.id, pxe_enabled: true, local_link_connection: llc('xe-0/0/1') });
  await tdb.db.ports.create({ node_id: node.id, address: mac(base + 2), portgroup_id: pg.id, pxe_enabled: true, local_link_connection: llc('xe-0/0/2') });
  return { node, pg, llc, pgMac: mac(base) };
}

test('neutron: VIF attach picks the portgroup; tenant ports bound with both links, then unbound', async () => {
  const { node, pg, llc, pgMac } = await nodeWithPorts('neutron');
  const vif = await tenantPort('a');
  await withTask(tc.conductor.ctx, node.uuid, { purpose: 'test' }, async (task) => {
    const net = task.driver.get('network');
    await net.vifAttach(task, { id: vif });
    assert.deepEqual(await net.vifList(task), [{ id: vif }]);
    await net.validate(task);
    await net.configureTenantNetworks(task);
  });
  assert.equal((await tdb.db.portgroups.getByUuid(pg.uuid)).internal_info.tenant_vif_port_id, vif);
  const bound = neutron.ports.get(vif)!;
  assert.equal(bound['binding:host_id'], node.uuid);
  assert.equal(bound['binding:vnic_type'], 'baremetal');
  assert.equal(bound.mac_address, pgMac);
  assert.deepEqual(bound['binding:profile'].local_link_information, [llc('xe-0/0/1'), llc('xe-0/0/2')]);
  assert.equal(bound.status, 'ACTIVE');
  await withTask(tc.conductor.ctx, node.uuid, { purpose: 'test' }, async (task) => {
    await task.driver.get('network').unconfigureTenantNetworks(task);
  });
  assert.equal(neutron.ports.get(vif)!['binding:host_id'], '');
  assert.deepEqual(neutron.ports.get(vif)!['binding:profile'], {});
});

test('neutron: a missing network in Neutron surfaces as NetworkError and leaves nothing behind', async () => {
  const { node } = await nodeWithPorts('neutron');
  const before = neutron.ports.size;
  await withTask(tc.conductor.ctx, node.uuid, { purpose: 'test' }, async (task) => {
    const net = task.driver.get('network');
    await tdb.db.nodes.update(node.uuid, { driver_info: { provisioning_network: 'no-such-network' } });
    (task.node.driver_info as Record<string, unknown>).provisioning_network = 'no-such-network';
    await assert.rejects(net.addProvisioningNetwork(task), (e: Error & { code: string }) => e.code === 'NetworkError' && /Network no-such-network could not be found/.test(e.message));
  });
  assert.equal(neutron.ports.size, before);
});

test('flat: tenant VIF bound during provisioning without local links, unbound after; cleaning ports on the cleaning network', async () => {
  const { node } = await nodeWithPorts('flat');
  const vif = await tenantPort('b');
  await withTask(tc.conductor.ctx, node.uuid, { purpose: 'test' }, async (task) => {
    const net = task.driver.get('network');
    await net.vifAttach(task, { id: vif });
    await net.addProvisioningNetwork(task);
    assert.equal(neutron.ports.get(vif)!['binding:host_id'], node.uuid);
    assert.equal(neutron.ports.get(vif)!['binding:profile'].local_link_information, undefined);
    await net.removeProvisioningNetwork(task);
    assert.equal(neutron.ports.get(vif)!['binding:host_id'], '');
    await net.addCleaningNetwork(task);
  });
  const cleaning = [...neutron.ports.values()].filter((p) => p.network_id === net('cleaning') && p.device_id === node.uuid);
  assert.equal(cleaning.length, 1, 'one cleaning port for the portgroup');
  await withTask(tc.conductor.ctx, node.uuid, { purpose: 'test' }, async (task) => {
    await task.driver.get('network').removeCleaningNetwork(task);
  });
  assert.equal([...neutron.ports.values()].filter((p) => p.network_id === net('cleaning') && p.device_id === node.uuid).length, 0);
});
