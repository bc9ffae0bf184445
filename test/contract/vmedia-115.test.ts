/**
 * Virtual media on fake-hardware (API 1.89 attach/detach, 1.93 get) against the REAL Ironic 39
 * (scripts/services/ironic39.sh: ANVIL_IRONIC39_URL): version gates, Ironic's body schema and URL scheme rule,
 * device type checks, and what the work after the 204 leaves in last_error (fake-hardware cannot publish images nor
 * detach) — the same requests to Anvil (SQLite, a real conductor, maximum raised to 1.115) and to Ironic 39 must
 * get equal answers.
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

const N = randomUUID();
const vm = `/v1/nodes/${N}/vmedia`;
const iso = { device_type: 'cdrom', image_url: 'http://127.0.0.1:9/boot.iso' };

const STEPS: Step[] = [
  ['POST', '/v1/nodes', 'latest', { driver: 'fake-hardware', uuid: N, storage_interface: 'noop' }],
  ['POST', vm, '1.88', iso],
  ['GET', vm, '1.88'],
  ['DELETE', vm, '1.88'],
  ['GET', vm, '1.92'],
  ['GET', vm, '1.93'],
  ['PUT', vm, '1.93', iso],
  ['POST', vm, '1.89', { ...iso, device_type: 'bogus' }],
  ['POST', vm, '1.89', { image_url: iso.image_url }],
  ['POST', vm, '1.89', { ...iso, image_download_source: 'x' }],
  ['POST', vm, '1.89', { ...iso, x: 1 }],
  ['POST', vm, '1.89', []],
  ['POST', vm, '1.89', { ...iso, image_url: 'ftp://127.0.0.1/boot.iso' }],
  ['POST', vm, '1.89', { ...iso, image_url: 'boot.iso' }],
  ['POST', '/v1/nodes/no-such-node/vmedia', '1.89', iso],
  ['DELETE', `${vm}?device_types=bogus,cdrom,x`, '1.89'],
  ['DELETE', `${vm}?bogus=1`, '1.89'],
  ['DELETE', '/v1/nodes/no-such-node/vmedia', '1.89'],
];

let w: World;
const sqlite = testEngines().find((e) => e.engine === 'sqlite')!;
before(async () => {
  if (IRONIC) w = await startWorld(sqlite, 115);
});
after(() => w?.close());

async function lastError(base: string): Promise<string | null> {
  const r = await fetch(`${base}/v1/nodes/${N}?fields=last_error`, { headers: { 'X-OpenStack-Ironic-API-Version': 'latest' } });
  return ((await r.json()) as { last_error: string | null }).last_error;
}

test('vmedia gates, bodies and errors answer as Ironic 39', async () => {
  const diffs = await diffSteps(w.url, IRONIC!, STEPS);
  assert.equal(diffs.length, 0, diffs.join('\n'));
});

test('attach and detach after the 204: what fake-hardware leaves in last_error, as Ironic 39', async () => {
  const cases: [Step, RegExp][] = [
    [['POST', vm, '1.89', { ...iso, image_download_source: 'http' }], /^Could not attach device cdrom to node .*: Publishing images is not supported for driver fake-hardware$/],
    [['DELETE', `${vm}?device_types=cdrom,floppy`, '1.89'], /^Could not detach device\(s\) \['cdrom', 'floppy'\] from node .*: Driver fake-hardware does not support detach_virtual_media/],
    [['DELETE', vm, '1.89'], /^Could not detach device\(s\) None from node /],
  ];
  for (const [step, expected] of cases) {
    assert.deepEqual(await diffSteps(w.url, IRONIC!, [step]), []);
    const seen: string[] = [];
    for (const base of [w.url, IRONIC!]) {
      const err = await until(`last_error on ${base}`, async () => {
        const e = await lastError(base);
        return e && expected.test(e) ? e : null;
      }, 30_000);
      seen.push(err.replace(N, 'N'));
    }
    assert.equal(seen[0], seen[1]);
  }
});
