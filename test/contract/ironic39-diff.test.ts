/**
 * Differential check of the 1.83–1.111 features against the REAL newest Ironic (PyPI ironic==39.0.0, started by
 * scripts/services/ironic39.sh: ANVIL_IRONIC39_URL): the same requests go to Anvil (SQLite, maximum raised to
 * 1.115) and to Ironic 39; statuses and bodies must be equal once UUIDs, timestamps, hosts and the fields Anvil
 * does not have yet (firmware_interface 1.86, service_step 1.87) are normalised. The known Ironic 39 bugs are sent
 * too and must still differ the documented way (Anvil answers them correctly).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { testEngines } from '@anvil/db/testing';
import { failWithout } from '../prereq.ts';
import { startWorld, type World } from './fixture.ts';

const IRONIC = process.env.ANVIL_IRONIC39_URL;
failWithout(IRONIC ? false : 'ANVIL_IRONIC39_URL is not set (bash scripts/services/ironic39.sh start; eval its env)');

type Step = [method: string, path: string, version: string, body?: unknown];
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

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TS = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00/g;
// not in Anvil yet (1.86, 1.87); host names; Ironic's PATCH answer shows its own lock still held (`reservation`)
const NOT_YET = ['firmware_interface', 'service_step', 'conductor', 'reservation'];

function normalise(base: string, text: string): string {
  if (!text) return '';
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => !NOT_YET.includes(k)).map(([k, x]) => [k, strip(x)]));
    return v;
  };
  let s = JSON.stringify(strip(JSON.parse(text)));
  s = s.split(base).join('BASE');
  // "Cannot patch" lists every patchable field: Ironic 39 also names firmware_interface (1.86, not in Anvil yet)
  s = s.replace(', parent_node, firmware_interface', ', parent_node');
  return s.replace(UUID, 'U').replace(TS, 'T');
}

let w: World;
const sqlite = testEngines().find((e) => e.engine === 'sqlite')!;
before(async () => {
  if (IRONIC) w = await startWorld(sqlite, 115);
});
after(() => w?.close());

// One connection per request: Ironic 39 closes its connection after an unhandled 500 (one of its known bugs below),
// and a kept-alive socket reused in that moment fails with "other side closed" before the next request is read.
async function send(base: string, [method, path, version, body]: Step) {
  const r = await fetch(base + path, {
    method,
    headers: {
      'X-OpenStack-Ironic-API-Version': version,
      Connection: 'close',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: normalise(base, await r.text()) };
}

test('Anvil answers the 1.83–1.111 requests as Ironic 39 does', async () => {
  const diffs: string[] = [];
  for (const step of STEPS) {
    const a = await send(w.url, step);
    let b = await send(IRONIC!, step);
    // Ironic's periodic tasks may hold a node's lock for a moment (409 NodeLocked): ask it again, a few times
    for (let i = 0; i < 5 && b.status === 409 && /locked by host/.test(b.body); i++) {
      await new Promise((r) => setTimeout(r, 500));
      b = await send(IRONIC!, step);
    }
    if (a.status === b.status && a.body === b.body) continue;
    let i = 0;
    while (i < a.body.length && a.body[i] === b.body[i]) i++;
    const at = (s: string) => s.slice(Math.max(0, i - 80), i + 200);
    diffs.push(`${step[0]} ${step[1]} @${step[2]}\n  anvil  ${a.status} …${at(a.body)}\n  ironic ${b.status} …${at(b.body)}`);
  }
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
