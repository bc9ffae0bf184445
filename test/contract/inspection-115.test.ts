/**
 * In-band inspection against the REAL Ironic 39 (scripts/services/ironic39.sh: ANVIL_IRONIC39_URL, configured with
 * [inspector] require_managed_boot=false, add_ports=all and the hooks below): inspection rules CRUD and gates (1.96),
 * POST /v1/continue_inspection gates, schema errors and lookups (1.84), then one fake-hardware node inspected on
 * both (agent inspect interface, unmanaged boot) with the same inventory: the 202 answers, the node's properties,
 * traits, ports with local_link_connection and the stored inventory must be equal.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SimSwitch, simInventory, simPluginData } from '@anvil/agent-sim';
import { testEngines } from '@anvil/db/testing';
import { failWithout } from '../prereq.ts';
import { until } from '../wait.ts';
import { startWorld, type World } from './fixture.ts';
import { diffSteps, NOT_YET, send, type Step } from './ironic39-peer.ts';

const IRONIC = process.env.ANVIL_IRONIC39_URL;
failWithout(IRONIC ? false : 'ANVIL_IRONIC39_URL is not set (bash scripts/services/ironic39.sh start; eval its env)');

const run = randomUUID().slice(0, 8);
const R1 = randomUUID();
const R2 = randomUUID();
const N = randomUUID();
const mac = (i: number) => `52:54:${run.slice(0, 2)}:${run.slice(2, 4)}:${run.slice(4, 6)}:${i.toString(16).padStart(2, '0')}`;
const sw = new SimSwitch({ name: `sw-${run}`, chassisMac: '52:54:00:12:34:56', vlans: [{ id: 10, name: 'ten' }] });
const inventory = simInventory({
  index: 1,
  nics: [
    { name: 'eth0', mac: mac(1), ipv4: '10.9.0.5', switch: sw, switchPort: 3 },
    { name: 'eth1', mac: mac(2), ipv4: null, switch: sw, switchPort: 4 },
  ],
  bmcAddress: '192.0.2.99',
});
const DATA = { inventory, ...simPluginData(inventory) };
const HOOKS = '$default_hooks,cpus,memory,root-device,boot-mode,parse-lldp,local-link-connection';
const RULE = {
  uuid: R1,
  description: `x86 ${run}`,
  priority: 10,
  conditions: [{ op: 'eq', args: { values: ['{inventory[cpu][architecture]}', 'x86_64'] } }, { op: '!is-empty', args: ['{inventory[memory][physical_mb]}'] }],
  actions: [{ op: 'add-trait', args: { name: 'CUSTOM_X86' } }, { op: 'set-capability', args: ['cpus', '{inventory[cpu][count]}'] }],
};

const RULES: Step[] = [
  ['GET', '/v1/inspection_rules', '1.95'],
  ['POST', '/v1/inspection_rules', '1.95', RULE],
  ['POST', '/v1/inspection_rules', '1.96', RULE],
  ['POST', '/v1/inspection_rules', '1.96', { uuid: R2, sensitive: true, conditions: [], actions: [{ op: 'log', args: { msg: 'hi' } }] }],
  ['POST', '/v1/inspection_rules', '1.96', { bogus: 1, actions: [{ op: 'log', args: { msg: 'x' } }] }],
  ['POST', '/v1/inspection_rules', '1.96', { conditions: [] }],
  ['POST', '/v1/inspection_rules', '1.96', { actions: [] }],
  ['POST', '/v1/inspection_rules', '1.96', { actions: [{ op: 'log' }] }],
  ['GET', '/v1/inspection_rules?detail=true&fields=uuid', '1.96'],
  ['GET', `/v1/inspection_rules/${R1}`, '1.96'],
  ['GET', `/v1/inspection_rules/${R2}`, '1.96'],
  ['GET', `/v1/inspection_rules/${R1}?fields=uuid,priority`, '1.96'],
  ['POST', '/v1/inspection_rules', '1.96', { actions: [{ op: 'nope', args: {} }] }],
  ['POST', '/v1/inspection_rules', '1.96', { priority: -1, actions: [{ op: 'log', args: { msg: 'x' } }] }],
  ['POST', '/v1/inspection_rules', '1.96', { phase: 'early', actions: [{ op: 'log', args: { msg: 'x' } }] }],
  ['PATCH', `/v1/inspection_rules/${R2}`, '1.96', [{ op: 'replace', path: '/sensitive', value: false }]],
  ['PATCH', `/v1/inspection_rules/${R2}`, '1.96', [{ op: 'replace', path: '/priority', value: 5 }]],
  ['DELETE', `/v1/inspection_rules/${R2}`, '1.96'],
  ['GET', `/v1/inspection_rules/${R2}`, '1.96'],
];

const CALLBACK: Step[] = [
  ['POST', '/v1/continue_inspection', '1.83', DATA],
  ['POST', '/v1/continue_inspection', '1.83', { foo: 1 }],
  ['POST', '/v1/continue_inspection', '1.84', { foo: 1 }],
  ['POST', '/v1/continue_inspection', '1.84', { inventory: { interfaces: [] } }],
  ['POST', '/v1/continue_inspection', '1.84', { inventory: { interfaces: [{ name: 'x' }] } }],
  ['POST', '/v1/continue_inspection', '1.84', { inventory: { interfaces: [{ mac_address: 'nope' }] } }],
  ['POST', '/v1/continue_inspection', '1.84', DATA],
  ['POST', '/v1/continue_inspection?node_uuid=not-a-uuid', '1.84', DATA],
];

let w: World;
const sqlite = testEngines().find((e) => e.engine === 'sqlite')!;
before(async () => {
  if (IRONIC) w = await startWorld(sqlite, 115, { inspector_require_managed_boot: false, inspector_add_ports: 'all', inspector_hooks: HOOKS });
});
after(async () => {
  for (const base of [w?.url, IRONIC]) if (base) await fetch(`${base}/v1/inspection_rules/${R1}`, { method: 'DELETE', headers: { 'X-OpenStack-Ironic-API-Version': '1.96' } });
  await w?.close();
});

const state = async (base: string) => {
  const r = await fetch(`${base}/v1/nodes/${N}?fields=provision_state,last_error`, { headers: { 'X-OpenStack-Ironic-API-Version': 'latest' } });
  return (await r.json()) as { provision_state: string; last_error: string | null };
};
const settled = (base: string, want: string) => until(`node ${N} ${want} on ${base}`, async () => (await state(base)).provision_state === want, 60_000, async () => JSON.stringify(await state(base)));

test('inspection rules CRUD and gates answer as Ironic 39', async () => {
  const diffs = await diffSteps(w.url, IRONIC!, RULES);
  assert.equal(diffs.length, 0, diffs.join('\n'));
});

test('Ironic 39 bugs Anvil does not copy: a wrong argument name is a 400 (Ironic: 500), api-call is refused', async () => {
  const body = { actions: [{ op: 'add-trait', args: { nam: 'X' } }], conditions: [] };
  const [a, b] = await Promise.all([send(w.url, ['POST', '/v1/inspection_rules', '1.96', body]), send(IRONIC!, ['POST', '/v1/inspection_rules', '1.96', body])]);
  assert.deepEqual([a.status, b.status], [400, 500]);
  assert.match(a.body, /Invalid parameters for action operator add-trait: missing required argument\(s\): name; unexpected argument\(s\): nam/);
  const call = await send(w.url, ['POST', '/v1/inspection_rules', '1.96', { actions: [{ op: 'api-call', args: { url: 'http://127.0.0.1:9/' } }] }]);
  assert.equal(call.status, 400);
});

test('continue_inspection gates, schema errors and failed lookups answer as Ironic 39', async () => {
  const diffs = await diffSteps(w.url, IRONIC!, CALLBACK);
  assert.equal(diffs.length, 0, diffs.join('\n'));
});

test('one node inspected on both: the callback answer, properties, traits, ports and inventory are equal', async () => {
  const enroll: Step[] = [
    ['POST', '/v1/nodes', 'latest', { driver: 'fake-hardware', uuid: N, name: `insp-${run}`, inspect_interface: 'agent', storage_interface: 'noop', driver_info: { ipmi_address: '192.0.2.99' } }],
    ['POST', '/v1/ports', 'latest', { node_uuid: N, address: mac(1), pxe_enabled: true }],
    ['PUT', `/v1/nodes/${N}/states/provision`, 'latest', { target: 'manage' }],
  ];
  assert.deepEqual(await diffSteps(w.url, IRONIC!, enroll), []);
  for (const base of [w.url, IRONIC!]) await settled(base, 'manageable');
  assert.deepEqual(await diffSteps(w.url, IRONIC!, [['PUT', `/v1/nodes/${N}/states/provision`, 'latest', { target: 'inspect' }]]), []);
  for (const base of [w.url, IRONIC!]) await settled(base, 'inspect wait');
  const drop = [...NOT_YET, 'agent_token', 'driver_internal_info'];
  assert.deepEqual(await diffSteps(w.url, IRONIC!, [['POST', '/v1/continue_inspection', '1.84', DATA]], drop), []);
  for (const base of [w.url, IRONIC!]) await settled(base, 'manageable');
  const after: Step[] = [
    ['GET', `/v1/nodes/${N}?fields=properties,provision_state,power_state,last_error,driver_info`, 'latest'],
    ['GET', `/v1/nodes/${N}/traits`, 'latest'],
    ['GET', `/v1/ports/detail?node=${N}&fields=address,pxe_enabled,local_link_connection,physical_network,extra&sort_key=address`, 'latest'],
    ['GET', `/v1/nodes/${N}/inventory`, 'latest'],
  ];
  const diffs = await diffSteps(w.url, IRONIC!, after);
  assert.equal(diffs.length, 0, diffs.join('\n'));
});
