/**
 * Runbooks (API 1.92, traits and description 1.112) against the REAL Ironic 39 (scripts/services/ironic39.sh:
 * ANVIL_IRONIC39_URL): CRUD, the traits sub-resource, owner/public PATCH rules, version gates one below and at each
 * boundary, and manual cleaning with a runbook (the trait-match rule below and from 1.112) — the same requests to
 * Anvil (SQLite, a real conductor, maximum raised to 1.115) and to Ironic 39 must get equal answers; then both
 * nodes must come back to `manageable` with the runbook's step run (fake BIOS factory_reset).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { testEngines } from '@anvil/db/testing';
import { failWithout } from '../prereq.ts';
import { until } from '../wait.ts';
import { startWorld, type World } from './fixture.ts';
import { diffSteps, type Step } from './ironic39-peer.ts';

const IRONIC = process.env.ANVIL_IRONIC39_URL;
failWithout(IRONIC ? false : 'ANVIL_IRONIC39_URL is not set (bash scripts/services/ironic39.sh start; eval its env)');

const run = randomUUID().slice(0, 8);
const RUN = run.toUpperCase().replace(/[^A-Z0-9]/g, '_');
const R1 = randomUUID();
const R2 = randomUUID();
const N = randomUUID();
const T1 = `CUSTOM_RB1_${RUN}`; // a 1.92 runbook's name is a trait
const T2 = `CUSTOM_RB2_${RUN}`;
const name = `rb-${run}`; // a 1.112 name
const SETTINGS = [{ name: 'LogicalProc', value: 'Disabled' }];
const step = (o: Record<string, unknown> = {}) => ({ interface: 'bios', step: 'factory_reset', args: {}, order: 0, ...o });

const CRUD: Step[] = [
  ['GET', '/v1/runbooks', '1.91'],
  ['POST', '/v1/runbooks', '1.91', { name: T1, steps: [step()] }],
  ['GET', `/v1/runbooks/${R1}`, '1.91'],
  ['POST', '/v1/runbooks', '1.92', { name: T1, uuid: R1, steps: [step({ step: 'apply_configuration', args: { settings: SETTINGS } })], extra: { a: 1 } }],
  ['POST', '/v1/runbooks', '1.112', { name, uuid: R2, description: 'wipe bios', steps: [step({ order: '2', args: { password: 'secret', keep: 1 } })], disable_ramdisk: true }],
  ['POST', '/v1/runbooks', '1.92', { name: 'lower-case', steps: [step()] }],
  ['POST', '/v1/runbooks', '1.92', { name: T2, steps: [step(), step({ order: 1 })] }],
  ['POST', '/v1/runbooks', '1.92', { name: T2, steps: [step({ interface: 'boot' })] }],
  ['POST', '/v1/runbooks', '1.92', { name: T2, steps: [{ interface: 'bios', step: 'x' }] }],
  ['POST', '/v1/runbooks', '1.92', { name: T2, steps: [] }],
  ['POST', '/v1/runbooks', '1.92', { name: T2, steps: [step()], description: 'x' }],
  ['POST', '/v1/runbooks', '1.112', { name: T2, steps: [step()], traits: [T2] }],
  ['POST', '/v1/runbooks', '1.112', { name: 'bad name', steps: [step()] }],
  ['POST', '/v1/runbooks', '1.92', { name: T1, steps: [step()] }],
  ['POST', '/v1/runbooks', '1.92', { steps: [step()] }],
  ['GET', `/v1/runbooks/${T1}`, '1.92'],
  ['GET', `/v1/runbooks/${R1}`, '1.112'],
  ['GET', `/v1/runbooks/${name}?fields=name,steps,traits`, '1.112'],
  ['GET', `/v1/runbooks/${name}?fields=description`, '1.111'],
  ['GET', `/v1/runbooks/${name}?fields=foo`, '1.112'],
  ['GET', '/v1/runbooks/no-such-runbook', '1.92'],
  ['GET', '/v1/runbooks/bad%20name', '1.92'],
  ['GET', `/v1/runbooks?marker=${R1}&limit=1`, '1.92'],
  ['GET', `/v1/runbooks?marker=${R1}&limit=1&detail=true`, '1.112'],
  ['GET', '/v1/runbooks?sort_key=steps', '1.92'],
  ['GET', '/v1/runbooks?detail=true&fields=name', '1.92'],
  ['GET', '/v1/runbooks?project=abc', '1.92'],
  ['GET', '/v1/runbooks?bogus=1', '1.92'],
  ['PATCH', `/v1/runbooks/${name}`, '1.111', [{ op: 'replace', path: '/description', value: 'd' }]],
  ['PATCH', `/v1/runbooks/${name}`, '1.112', [{ op: 'replace', path: '/description', value: 'd' }]],
  ['PATCH', `/v1/runbooks/${name}`, '1.112', [{ op: 'replace', path: '/traits', value: [T2] }]],
  ['PATCH', `/v1/runbooks/${name}`, '1.92', [{ op: 'replace', path: '/uuid', value: R1 }]],
  ['PATCH', `/v1/runbooks/${name}`, '1.92', [{ op: 'replace', path: '/public', value: true }]],
  ['PATCH', `/v1/runbooks/${name}`, '1.92', [{ op: 'replace', path: '/owner', value: 'p1' }]],
  ['PATCH', `/v1/runbooks/${name}`, '1.92', [{ op: 'replace', path: '/owner', value: 'p1' }, { op: 'replace', path: '/public', value: false }]],
  ['PATCH', `/v1/runbooks/${name}`, '1.92', [{ op: 'replace', path: '/public', value: false }]],
  ['PATCH', `/v1/runbooks/${name}`, '1.92', [{ op: 'replace', path: '/steps/0/order', value: 7 }, { op: 'add', path: '/extra/b', value: 2 }]],
  ['PATCH', `/v1/runbooks/${name}`, '1.92', [{ op: 'replace', path: '/steps/0/interface', value: 'boot' }]],
  ['PATCH', `/v1/runbooks/${name}`, '1.92', [{ op: 'replace', path: '/name', value: 'has space' }]],
  // the traits sub-resource (1.112)
  ['GET', `/v1/runbooks/${name}/traits`, '1.111'],
  ['PUT', `/v1/runbooks/${name}/traits/${T2}`, '1.111'],
  ['GET', `/v1/runbooks/${name}/traits`, '1.112'],
  ['PUT', `/v1/runbooks/${name}/traits`, '1.112', { traits: [T2, T1, T1] }],
  ['GET', `/v1/runbooks/${name}/traits`, '1.112'],
  ['PUT', `/v1/runbooks/${name}/traits/CUSTOM_C_${RUN}`, '1.112'],
  ['PUT', `/v1/runbooks/${name}/traits/bad`, '1.112'],
  ['PUT', `/v1/runbooks/${name}/traits`, '1.112'],
  ['PUT', `/v1/runbooks/${name}/traits`, '1.112', { traits: ['bad'] }],
  ['PUT', `/v1/runbooks/${name}/traits`, '1.112', { traits: [], x: 1 }],
  ['PUT', `/v1/runbooks/${name}/traits/${T2}`, '1.112', { traits: [] }],
  ['DELETE', `/v1/runbooks/${name}/traits/CUSTOM_NOT_THERE`, '1.112'],
  ['DELETE', `/v1/runbooks/${name}/traits/${T1}`, '1.112'],
  ['GET', `/v1/runbooks/${name}?fields=traits`, '1.112'],
  ['POST', `/v1/runbooks/${name}/traits`, '1.112'],
  ['GET', '/v1/runbooks/no-such-runbook/traits', '1.112'],
  ['DELETE', `/v1/runbooks/${name}/traits`, '1.112'],
  ['GET', `/v1/runbooks/${name}/traits`, '1.112'],
];

// manual cleaning with a runbook on a manageable fake-hardware node with the fake BIOS interface
const CLEAN: Step[] = [
  ['PUT', `/v1/nodes/${N}/states/provision`, '1.91', { target: 'clean', runbook: T1 }],
  ['PUT', `/v1/nodes/${N}/states/provision`, '1.92', { target: 'clean', runbook: T1 }],
  ['PUT', `/v1/nodes/${N}/states/provision`, '1.92', { target: 'clean', runbook: 'no-such-runbook' }],
  ['PUT', `/v1/nodes/${N}/states/provision`, '1.92', { target: 'clean', runbook: 'bad name' }],
  ['PUT', `/v1/nodes/${N}/states/provision`, '1.92', { target: 'clean', runbook: 7 }],
  ['PUT', `/v1/nodes/${N}/states/provision`, '1.112', { target: 'clean', runbook: T1 }],
  ['PUT', `/v1/runbooks/${T1}/traits`, '1.112', { traits: [T2, T1] }],
  ['PUT', `/v1/nodes/${N}/states/provision`, '1.112', { target: 'clean', runbook: T1 }],
  ['PUT', `/v1/nodes/${N}/traits/${T1}`, '1.112'],
  ['PUT', `/v1/nodes/${N}/states/provision`, '1.92', { target: 'clean', runbook: T1, clean_steps: [{ interface: 'bios', step: 'factory_reset' }] }],
  ['PUT', `/v1/nodes/${N}/states/provision`, '1.92', { target: 'active', runbook: T1 }],
  ['PUT', `/v1/nodes/${N}/states/provision`, '1.92', { target: 'clean', runbook: T1 }],
];
const AFTER: Step[] = [['GET', `/v1/nodes/${N}/bios`, 'latest']];

let w: World;
const sqlite = testEngines().find((e) => e.engine === 'sqlite')!;
before(async () => {
  if (IRONIC) w = await startWorld(sqlite, 115);
});
after(() => w?.close());

async function state(base: string): Promise<Record<string, unknown>> {
  const r = await fetch(`${base}/v1/nodes/${N}?fields=provision_state,last_error`, { headers: { 'X-OpenStack-Ironic-API-Version': 'latest' } });
  const { provision_state, last_error } = (await r.json()) as Record<string, unknown>;
  return { provision_state, last_error };
}

const settled = (base: string, states: string[]) =>
  until(`node ${N} in ${states.join(' or ')} on ${base}`, async () => states.includes((await state(base)).provision_state as string), 60_000);

test('runbook CRUD, traits and version gates answer as Ironic 39', async () => {
  const diffs = await diffSteps(w.url, IRONIC!, CRUD);
  assert.equal(diffs.length, 0, diffs.join('\n'));
});

test('manual cleaning with a runbook: the trait-match rule and the run, as Ironic 39', async () => {
  const enroll: Step[] = [
    ['POST', '/v1/nodes', 'latest', { driver: 'fake-hardware', uuid: N, name: `rbn-${run}`, bios_interface: 'fake', storage_interface: 'noop' }],
    ['PUT', `/v1/nodes/${N}/states/provision`, 'latest', { target: 'manage' }],
  ];
  assert.deepEqual(await diffSteps(w.url, IRONIC!, enroll), []);
  for (const base of [w.url, IRONIC!]) await settled(base, ['manageable']);
  const diffs = await diffSteps(w.url, IRONIC!, CLEAN);
  assert.equal(diffs.length, 0, diffs.join('\n'));
  for (const base of [w.url, IRONIC!]) {
    await settled(base, ['manageable', 'clean failed']);
    assert.deepEqual(await state(base), { provision_state: 'manageable', last_error: null }, base);
  }
  // the runbook's step ran: the fake BIOS interface cached the settings it applied
  assert.deepEqual(await diffSteps(w.url, IRONIC!, AFTER), []);
  const bios = await w.call('GET', `/v1/nodes/${N}/bios?fields=name,value`, undefined, 'latest');
  assert.deepEqual(bios.body.bios.map((b: { name: string; value: string }) => [b.name, b.value]), [['LogicalProc', 'Disabled']]);
});
