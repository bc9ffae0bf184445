/**
 * Differential check of the 1.83–1.111 features against the REAL newest Ironic (PyPI ironic==39.0.0, started by
 * scripts/services/ironic39.sh: ANVIL_IRONIC39_URL): the same requests go to Anvil (SQLite, maximum raised to
 * 1.115) and to Ironic 39; statuses and bodies must be equal once UUIDs, timestamps and hosts are normalised. The known Ironic 39 bugs are sent
 * too and must still differ the documented way (Anvil answers them correctly).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { testEngines } from '@anvil/db/testing';
import { failWithout } from '../prereq.ts';
import { startWorld, type World } from './fixture.ts';
import { diffSteps, send, type Step } from './ironic39-peer.ts';

const IRONIC = process.env.ANVIL_IRONIC39_URL;
failWithout(IRONIC ? false : 'ANVIL_IRONIC39_URL is not set (bash scripts/services/ironic39.sh start; eval its env)');

const run = randomUUID().slice(0, 8);
const N1 = randomUUID();
const N2 = randomUUID();
const n = (s: string) => `${s}-${run}`;
const mac = (i: number) => `52:54:${run.slice(0, 2)}:${run.slice(2, 4)}:${run.slice(4, 6)}:${i.toString(16).padStart(2, '0')}`;
const node = (name: string, uuid: string, extra: Record<string, unknown> = {}) => ({ driver: 'fake-hardware', name: n(name), uuid, storage_interface: 'noop', ...extra });

const STEPS: Step[] = [
  ['POST', '/v1/nodes', 'latest', node('par', N1)],
  ['POST', '/v1/nodes', 'latest', node('kid', N2, { parent_node: n('par') })],
  ['GET', `/v1/nodes/${n('par')}/children`, '1.83'],
  ['POST', `/v1/nodes/${n('par')}/children`, 'latest'],
  ['GET', '/v1/nodes/no-such-node/children', 'latest'],
  ['GET', `/v1/nodes?parent_node=${N1}&fields=name`, '1.83'],
  ['GET', `/v1/nodes?parent_node=${N1}`, '1.82'],
  ['GET', '/v1/nodes?include_children=maybe', 'latest'],
  ['POST', '/v1/nodes', 'latest', { driver: 'fake-hardware', parent_node: 'no-such-node' }],
  ['POST', '/v1/nodes', '1.82', { driver: 'fake-hardware', parent_node: n('par') }],
  ['GET', `/v1/nodes/${N2}?fields=parent_node`, '1.82'],
  ['PATCH', `/v1/nodes/${N2}`, 'latest', [{ op: 'remove', path: '/parent_node' }]],
  ['PATCH', `/v1/nodes/${N2}`, 'latest', [{ op: 'add', path: '/parent_node', value: n('par') }]],
  ['PATCH', `/v1/nodes/${N2}`, '1.94', [{ op: 'add', path: '/disable_power_off', value: true }]],
  ['PATCH', `/v1/nodes/${N2}`, '1.95', [{ op: 'add', path: '/disable_power_off', value: 'bad' }]],
  ['PATCH', `/v1/nodes/${N2}`, '1.95', [{ op: 'add', path: '/disable_power_off', value: 'yes' }]],
  ['PUT', `/v1/nodes/${N2}/states/power`, '1.95', { target: 'power off' }],
  ['POST', '/v1/nodes', '1.103', { driver: 'fake-hardware', instance_name: 'x' }],
  ['POST', '/v1/nodes', '1.104', { driver: 'fake-hardware', instance_name: '' }],
  ['GET', '/v1/nodes?instance_name=x', '1.103'],
  ['PATCH', `/v1/nodes/${N2}`, 'latest', [{ op: 'add', path: '/instance_info/display_name', value: n('vm') }]],
  ['GET', `/v1/nodes?instance_name=${n('vm')}&include_children=true&fields=name,instance_name`, '1.104'],
  ['GET', `/v1/nodes/${N2}?fields=health`, '1.108'],
  ['GET', `/v1/nodes/${N2}?fields=health,parent_node,disable_power_off,instance_name`, '1.109'],
  ['PATCH', `/v1/nodes/${N2}`, 'latest', [{ op: 'add', path: '/health', value: 'ok' }]],
  ['GET', `/v1/nodes/${n('kid')}.json?fields=name`, '1.90'],
  ['GET', `/v1/nodes/${n('kid')}.json?fields=name`, '1.91'],
  ['PATCH', `/v1/nodes/${N2}`, '1.98', [{ op: 'add', path: '/extra/a~1b', value: 1 }]],
  ['POST', '/v1/ports', 'latest', { address: mac(1), node_uuid: N1, name: n('nic1'), description: 'tor 7', vendor: 'acme', category: 'data' }],
  ['POST', '/v1/ports', '1.93', { address: mac(2), node_ident: n('par') }],
  ['POST', '/v1/ports', '1.94', { address: mac(2), node_ident: n('par') }],
  ['POST', '/v1/ports', '1.87', { address: mac(3), node_uuid: N1, name: n('nic3') }],
  ['POST', '/v1/ports', 'latest', { address: mac(5), node_uuid: N1, vendor: 'x'.repeat(33) }],
  ['POST', '/v1/ports', 'latest', { address: mac(6), node_ident: n('par'), node_uuid: N1 }],
  ['POST', '/v1/ports', 'latest', { address: mac(6) }],
  ['GET', `/v1/ports/${n('nic1')}`, '1.1'],
  ['GET', `/v1/ports/${n('nic1')}?fields=name`, '1.87'],
  ['GET', `/v1/ports/${mac(1)}`, 'latest'],
  ['PATCH', `/v1/ports/${n('nic1')}`, '1.96', [{ op: 'replace', path: '/description', value: n('moved') }]],
  ['GET', `/v1/ports?node=${N1}&conductor_groups=a`, '1.99'],
  ['GET', `/v1/ports?description_contains=${n('moved')}`, '1.97'],
  ['DELETE', `/v1/ports/${n('nic1')}`, 'latest'],
  ['POST', '/v1/ports', '1.89', { address: mac(7), node_uuid: N1, local_link_connection: { 'vtep-logical-switch': 'l', 'vtep-physical-switch': 'p', port_id: 'x' } }],
  ['POST', '/v1/ports', '1.90', { address: mac(7), node_uuid: N1, local_link_connection: { 'vtep-logical-switch': 'l', 'vtep-physical-switch': 'p', port_id: 'x' } }],
  ['POST', '/v1/ports', '1.105', { address: mac(8), node_uuid: N1, local_link_connection: { 'vtep-logical-switch': 'l', 'vtep-physical-switch': 'p', port_id: 'x' } }],
  ['GET', `/v1/ports/detail?node=${N1}`, '1.105'],
  ['POST', '/v1/portgroups', 'latest', { node_uuid: N1, name: n('bond'), address: mac(9), physical_network: 'p1', category: 'c' }],
  ['POST', '/v1/portgroups', '1.110', { node_uuid: N1, name: n('bond2'), dynamic_portgroup: true }],
  ['GET', `/v1/portgroups/${n('bond')}`, '1.101'],
  ['GET', `/v1/portgroups/${n('bond')}?fields=physical_network`, '1.101'],
  ['GET', `/v1/portgroups/${n('bond')}?fields=dynamic_portgroup`, '1.110'],
  ['GET', '/v1/portgroups?shard=nothing', '1.105'],
  ['GET', '/v1/portgroups?shard=nothing', '1.106'],
  ['PATCH', `/v1/portgroups/${n('bond')}`, 'latest', [{ op: 'replace', path: '/physical_network', value: 'p2' }]],
];

/** Ironic 39 bugs (issue text): what each side answers. */
const KNOWN: Step[] = [
  ['GET', `/v1/nodes/${n('par')}/children`, '1.82'], // Ironic: empty 500; Anvil: framework 404
  ['GET', `/v1/nodes/${n('par')}/ports`, 'latest'], // Ironic: 404 "Portgroup None could not be found."; Anvil: the ports
  ['POST', '/v1/ports', 'latest', { address: mac(4), node_uuid: N1, name: n('nic1') }], // duplicate name: Ironic names a UUID
];

let w: World;
const sqlite = testEngines().find((e) => e.engine === 'sqlite')!;
before(async () => {
  if (IRONIC) w = await startWorld(sqlite, 115);
});
after(() => w?.close());

test('Anvil answers the 1.83–1.111 requests as Ironic 39 does', async () => {
  const diffs = await diffSteps(w.url, IRONIC!, STEPS);
  assert.equal(diffs.length, 0, diffs.join('\n'));
});

test("Ironic 39's known bugs still differ, and Anvil answers them correctly", async () => {
  const [c1, c2] = [await send(w.url, KNOWN[0]), await send(IRONIC!, KNOWN[0])];
  assert.deepEqual([c1.status, c2.status, c2.body], [404, 500, '']);
  const [p1, p2] = [await send(w.url, KNOWN[1]), await send(IRONIC!, KNOWN[1])];
  assert.equal(p1.status, 200);
  assert.equal(p2.status, 404);
  assert.match(p2.body, /Portgroup None could not be found/);
  const [d1, d2] = [await send(w.url, KNOWN[2]), await send(IRONIC!, KNOWN[2])];
  assert.deepEqual([d1.status, d2.status], [409, 409]);
  assert.match(d1.body, new RegExp(`A port with name ${n('nic1')} already exists`));
  assert.match(d2.body, /A port with UUID U already exists/);
});
