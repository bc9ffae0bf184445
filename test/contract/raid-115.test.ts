/**
 * PUT /v1/nodes/{node}/states/raid against the REAL Ironic 39 (scripts/services/ironic39.sh: ANVIL_IRONIC39_URL):
 * good and bad target RAID configurations on a fake-hardware node (raid `fake`, Ironic's RAID schema and its
 * one-root-volume rule), a driver without RAID, the version gate — the same requests to Anvil (SQLite, maximum
 * 1.115) and to Ironic 39 must get equal answers.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { testEngines } from '@anvil/db/testing';
import { failWithout } from '../prereq.ts';
import { startWorld, type World } from './fixture.ts';
import { diffSteps, type Step } from './ironic39-peer.ts';

const IRONIC = process.env.ANVIL_IRONIC39_URL;
failWithout(IRONIC ? false : 'ANVIL_IRONIC39_URL is not set (bash scripts/services/ironic39.sh start; eval its env)');

const N = randomUUID();
const NO = randomUUID();
const raid = `/v1/nodes/${N}/states/raid`;
const disk = (d: Record<string, unknown>) => ({ logical_disks: [{ raid_level: '1', size_gb: 10, ...d }] });

const STEPS: Step[] = [
  ['POST', '/v1/nodes', 'latest', { driver: 'fake-hardware', uuid: N, raid_interface: 'fake', storage_interface: 'noop' }],
  ['POST', '/v1/nodes', 'latest', { driver: 'fake-hardware', uuid: NO, raid_interface: 'no-raid', storage_interface: 'noop' }],
  ['PUT', raid, '1.11', disk({})],
  ['PUT', raid, 'latest', disk({ is_root_volume: true, volume_name: 'root', share_physical_disks: false, disk_type: 'ssd', interface_type: 'sas', number_of_physical_disks: 2, controller: 'RAID.1', physical_disks: ['D0', 'D1'] })],
  ['GET', `/v1/nodes/${N}?fields=target_raid_config,raid_config`, 'latest'],
  ['PUT', raid, 'latest', { logical_disks: [{ raid_level: '0', size_gb: 'MAX' }, { raid_level: '5+0', size_gb: 0 }] }],
  ['PUT', raid, 'latest', disk({ raid_level: '7' })],
  ['PUT', raid, 'latest', { logical_disks: [{ raid_level: '1' }] }],
  ['PUT', raid, 'latest', { logical_disks: [] }],
  ['PUT', raid, 'latest', { disks: [] }],
  ['PUT', raid, 'latest', { logical_disks: 'all' }],
  ['PUT', raid, 'latest', { logical_disks: [{ raid_level: '1', size_gb: 1 }], extra: 1 }],
  ['PUT', raid, 'latest', disk({ size_gb: -1 })],
  ['PUT', raid, 'latest', disk({ size_gb: 'ALL' })],
  ['PUT', raid, 'latest', disk({ is_root_volume: 'yes' })],
  ['PUT', raid, 'latest', disk({ number_of_physical_disks: 0 })],
  ['PUT', raid, 'latest', disk({ disk_type: 'nvme' })],
  ['PUT', raid, 'latest', disk({ physical_disks: 'D0' })],
  ['PUT', raid, 'latest', disk({ physical_disks: 'D0', controller: 'c' })],
  ['PUT', raid, 'latest', disk({ physical_disks: [{ a: 1 }], controller: 'c' })],
  ['PUT', raid, 'latest', disk({ physical_disks: [{ a: 1 }, { b: 2 }], controller: 'c' })],
  ['PUT', raid, 'latest', disk({ size_gb: 1.5 })],
  ['PUT', raid, 'latest', disk({ size_gb: true })],
  ['PUT', raid, 'latest', disk({ raid_level: 1 })],
  ['PUT', raid, 'latest', disk({ volume_name: 5 })],
  ['PUT', raid, 'latest', disk({ number_of_physical_disks: '2' })],
  ['PUT', raid, 'latest', { logical_disks: ['x'] }],
  ['PUT', raid, 'latest', ['not', 'a', 'dict']],
  ['PUT', raid, 'latest', disk({ bogus: 1 })],
  ['PUT', raid, 'latest', { logical_disks: [{ raid_level: '1', size_gb: 1, is_root_volume: true }, { raid_level: '0', size_gb: 1, is_root_volume: true }] }],
  ['PUT', raid, 'latest', disk({ interface_type: 'scsi' })],
  ['PUT', raid, 'latest', {}],
  ['GET', `/v1/nodes/${N}?fields=target_raid_config`, 'latest'],
  ['PUT', `/v1/nodes/${NO}/states/raid`, 'latest', disk({})],
  ['PUT', '/v1/nodes/no-such-node/states/raid', 'latest', disk({})],
];

let w: World;
const sqlite = testEngines().find((e) => e.engine === 'sqlite')!;
before(async () => {
  if (IRONIC) w = await startWorld(sqlite, 115);
});
after(() => w?.close());

test('PUT states/raid: good and bad target RAID configurations answer as Ironic 39', async () => {
  const diffs = await diffSteps(w.url, IRONIC!, STEPS);
  assert.equal(diffs.length, 0, diffs.join('\n'));
});
