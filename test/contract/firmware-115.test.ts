/**
 * The firmware interface (API 1.86; component identity fields 1.114) against the REAL Ironic 39
 * (scripts/services/ironic39.sh: ANVIL_IRONIC39_URL): node `firmware_interface` (create, PATCH, fields, version
 * gates), the driver's default/enabled firmware interfaces, GET /v1/nodes/{node}/firmware with its query rules, and
 * GET /v1/nodes/{node}/validate's `firmware` entry (fake and no-firmware), fake firmware's `update` step run by a runbook — the same requests to Anvil (SQLite, a real conductor, maximum
 * raised to 1.115) and to Ironic 39 must get equal answers.
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
const TRAIT = `CUSTOM_FW_${run.toUpperCase()}`;
const N = randomUUID();
const N2 = randomUUID();
const N3 = randomUUID();
const fw = `/v1/nodes/${N}/firmware`;

const STEPS: Step[] = [
  ['POST', '/v1/nodes', '1.85', { driver: 'fake-hardware', firmware_interface: 'fake' }],
  ['POST', '/v1/nodes', '1.86', { driver: 'fake-hardware', firmware_interface: 'bogus' }],
  ['POST', '/v1/nodes', '1.86', { driver: 'fake-hardware', uuid: N, name: `fw-${run}`, storage_interface: 'noop' }],
  ['POST', '/v1/nodes', '1.86', { driver: 'fake-hardware', uuid: N2, firmware_interface: 'no-firmware', storage_interface: 'noop' }],
  ['GET', `/v1/nodes/${N}?fields=firmware_interface`, '1.85'],
  ['GET', `/v1/nodes/${N}?fields=firmware_interface,name`, '1.86'],
  ['GET', `/v1/nodes/${N2}?fields=firmware_interface`, '1.115'],
  ['PATCH', `/v1/nodes/${N}`, '1.85', [{ op: 'replace', path: '/firmware_interface', value: 'no-firmware' }]],
  ['PATCH', `/v1/nodes/${N2}`, '1.86', [{ op: 'replace', path: '/firmware_interface', value: 'fake' }]],
  ['PATCH', `/v1/nodes/${N2}`, '1.86', [{ op: 'remove', path: '/firmware_interface' }]],
  ['PATCH', `/v1/nodes/${N2}`, '1.86', [{ op: 'replace', path: '/firmware_interface', value: 'nope' }]],
  ['PATCH', `/v1/nodes/${N2}`, '1.86', [{ op: 'replace', path: '/uuid', value: N }]],
  // validate reports the firmware interface (Ironic 39 lists every non-vendor interface, at any version)
  ['POST', '/v1/nodes', '1.86', { driver: 'fake-hardware', uuid: N3, firmware_interface: 'no-firmware', storage_interface: 'noop' }],
  ['GET', `/v1/nodes/${N}/validate`, '1.85'],
  ['GET', `/v1/nodes/${N}/validate`, '1.86'],
  ['GET', `/v1/nodes/${N3}/validate`, '1.115'],
  ['GET', fw, '1.85'],
  ['POST', fw, '1.85'],
  ['GET', fw, '1.86'],
  ['GET', fw, '1.114'],
  ['POST', fw, '1.86', {}],
  ['GET', `${fw}/bios`, '1.86'],
  ['GET', `${fw}?fields=component,current_version`, '1.86'],
  ['GET', `${fw}?fields=bogus`, '1.86'],
  ['GET', `${fw}?fields=component,vendor,model`, '1.113'],
  ['GET', `${fw}?fields=serial_number`, '1.114'],
  ['GET', `${fw}?detail=true`, '1.86'],
  ['GET', `${fw}?detail=True`, '1.114'],
  ['GET', `${fw}?bogus=1`, '1.86'],
  ['GET', '/v1/nodes/no-such-node/firmware?fields=vendor', '1.86'],
  ['GET', '/v1/nodes/no-such-node/firmware?fields=bogus', '1.86'],
  // fake firmware's update step, run by a runbook (the step interface may be firmware)
  ['POST', '/v1/runbooks', '1.112', { name: `fw-${run}`, steps: [{ interface: 'firmware', step: 'update', args: { settings: [] }, order: 0 }] }],
  ['PUT', `/v1/runbooks/fw-${run}/traits/${TRAIT}`, '1.112'],
  ['PUT', `/v1/nodes/${N}/traits/${TRAIT}`, '1.112'],
  ['PUT', `/v1/nodes/${N}/states/provision`, '1.112', { target: 'manage' }],
];

let w: World;
const sqlite = testEngines().find((e) => e.engine === 'sqlite')!;
before(async () => {
  if (IRONIC) w = await startWorld(sqlite, 115);
});
after(() => w?.close());

async function provisionState(base: string): Promise<string> {
  const r = await fetch(`${base}/v1/nodes/${N}?fields=provision_state,last_error`, { headers: { 'X-OpenStack-Ironic-API-Version': 'latest' } });
  const b = (await r.json()) as { provision_state: string; last_error: string | null };
  return b.last_error ? `${b.provision_state}: ${b.last_error}` : b.provision_state;
}

test('firmware_interface, the driver fields and GET …/firmware answer as Ironic 39', async () => {
  const diffs = await diffSteps(w.url, IRONIC!, STEPS);
  assert.equal(diffs.length, 0, diffs.join('\n'));
});

test("the driver's default and enabled firmware interfaces from 1.86, as Ironic 39's", async () => {
  const firmwareKeys = async (base: string, version: string) => {
    const r = await fetch(`${base}/v1/drivers/fake-hardware`, { headers: { 'X-OpenStack-Ironic-API-Version': version } });
    const d = (await r.json()) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(d).filter(([k]) => k.includes('firmware')));
  };
  assert.deepEqual(await firmwareKeys(w.url, '1.85'), {});
  assert.deepEqual(await firmwareKeys(IRONIC!, '1.85'), {});
  const at86 = await firmwareKeys(w.url, '1.86');
  assert.deepEqual(at86, { default_firmware_interface: 'fake', enabled_firmware_interfaces: ['fake', 'no-firmware'] });
  // Ironic 39 lists a driver's enabled interfaces in no fixed order (a Python set, per process): compared as sets
  const theirs = await firmwareKeys(IRONIC!, '1.86');
  const sorted = (k: Record<string, unknown>) => ({ ...k, enabled_firmware_interfaces: [...(k.enabled_firmware_interfaces as string[])].sort() });
  assert.deepEqual(sorted(at86), sorted(theirs));
});

test("fake firmware's update step runs from a runbook, as on Ironic 39", async () => {
  for (const base of [w.url, IRONIC!]) await until(`manageable on ${base}`, async () => (await provisionState(base)) === 'manageable', 60_000);
  const clean: Step[] = [['PUT', `/v1/nodes/${N}/states/provision`, '1.112', { target: 'clean', runbook: `fw-${run}` }]];
  assert.deepEqual(await diffSteps(w.url, IRONIC!, clean), []);
  for (const base of [w.url, IRONIC!]) {
    await until(`clean done on ${base}`, async () => !['cleaning', 'clean wait'].includes(await provisionState(base)), 60_000);
    assert.equal(await provisionState(base), 'manageable', base);
  }
});
