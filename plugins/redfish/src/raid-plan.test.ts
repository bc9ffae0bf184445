/**
 * The pure parts of the redfish raid interface and firmware update step. The planning itself is compared with the
 * real Ironic 39 in test/contract/redfish-raid-39.test.ts; these pin the Redfish bodies and the read-back.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFirmwareSettings } from './firmware-update.ts';
import { applyTimeOf, filterLogicalDisks, findConfiguration, maxVolumeBytes, raidConfigFrom, RaidPlanError, toLogicalDisks, volumePayload } from './raid-plan.ts';

const GiB = 1024 ** 3;

test('volumePayload: RAIDType, CapacityBytes unless MAX, the drives, Name, apply time', () => {
  const paths = ['/redfish/v1/Systems/1/Storage/1/Drives/D0', '/redfish/v1/Systems/1/Storage/1/Drives/D1'];
  assert.deepEqual(volumePayload({ raid_level: '1', size_bytes: 10 * GiB, volume_name: 'root' }, paths, 'OnReset'), {
    RAIDType: 'RAID1',
    CapacityBytes: 10 * GiB,
    Links: { Drives: paths.map((p) => ({ '@odata.id': p })) },
    Name: 'root',
    '@Redfish.OperationApplyTime': 'OnReset',
  });
  assert.deepEqual(volumePayload({ raid_level: '5+0', size_bytes: 'MAX' }, [], null), { RAIDType: 'RAID50' });
});

test('applyTimeOf: Immediate first, then OnReset, else none', () => {
  const coll = (v: string[]) => ({ '@Redfish.OperationApplyTimeSupport': { SupportedValues: v } });
  assert.equal(applyTimeOf(coll(['OnReset', 'Immediate'])), 'Immediate');
  assert.equal(applyTimeOf(coll(['OnReset', 'AtMaintenanceWindowStart'])), 'OnReset');
  assert.equal(applyTimeOf(coll(['AtMaintenanceWindowStart'])), null);
  assert.equal(applyTimeOf({}), null);
});

test('raidConfigFrom: volumes with a RAIDType, size in whole GiB, Ironic levels; a last_updated as str(utcnow())', () => {
  const rc = raidConfigFrom(
    [
      { id: 'v1', name: 'root', controller: 'RAID.1', capacityBytes: 10.5 * GiB, raidType: 'RAID10' },
      { id: 'v2', name: null, controller: 'RAID.1', capacityBytes: GiB, raidType: null },
    ],
    new Date('2026-12-06T08:00:01.234Z'),
  );
  assert.deepEqual(rc, { logical_disks: [{ id: 'v1', name: 'root', controller: 'RAID.1', size_gb: 10, raid_level: '1+0' }], last_updated: '2026-12-06 08:00:01.234000' });
});

test('planning: MAX without physical_disks is refused; too few drives for the overhead; root/non-root filtering', () => {
  assert.throws(() => toLogicalDisks({ logical_disks: [{ raid_level: '0', size_gb: 'MAX' }] }, 'n1'), /'physical_disks' is missing from logical_disk while 'size_gb'='MAX' was requested/);
  assert.throws(() => maxVolumeBytes('6', [GiB, GiB]), (e: Error) => e instanceof RaidPlanError && /drives \(2\) is too few for the required number of overhead drives \(2\)/.test(e.message));
  // 20 GiB drives in whole 64 MiB stripes: RAID1 holds one drive's worth
  assert.equal(maxVolumeBytes('1', [20 * GiB, 20 * GiB]), 20 * GiB);
  const drives = ['D0', 'D1'].map((id) => ({ id, path: `/d/${id}`, capacityBytes: 20 * GiB, mediaType: 'HDD', protocol: 'SATA', storage: '1' }));
  const planned = findConfiguration(toLogicalDisks({ logical_disks: [{ raid_level: '1', size_gb: 10, is_root_volume: true }] }, 'n1'), drives);
  assert.deepEqual(planned, [{ raid_level: '1', size_bytes: 10 * GiB, is_root_volume: true, physical_disks: ['D0', 'D1'], controller: '1' }]);
  assert.deepEqual(filterLogicalDisks(planned, false, true), []);
  assert.throws(() => findConfiguration(toLogicalDisks({ logical_disks: [{ raid_level: '1', size_gb: 30 }] }, 'n1'), drives), /failed to find matching physical disks/);
});

test("parseFirmwareSettings: components bios, bmc, nic:*, url, integer wait ≥ 1, nothing else (Ironic's schema)", () => {
  assert.deepEqual(parseFirmwareSettings([{ component: 'nic:NIC.1', url: 'http://x/n.bin', wait: 5 }]), [{ component: 'nic:NIC.1', url: 'http://x/n.bin', wait: 5 }]);
  assert.throws(() => parseFirmwareSettings([{ component: 'raid', url: 'http://x' }]), /Invalid firmware update \[\{'component': 'raid', 'url': 'http:\/\/x'\}\]. Errors: 'raid' is not valid under any of the given schemas/);
  assert.throws(() => parseFirmwareSettings([{ component: 'bios', url: 'http://x', checksum: 'c' }]), /Additional properties are not allowed \('checksum' was unexpected\)/);
  assert.throws(() => parseFirmwareSettings([{ component: 'bios', url: 'http://x', wait: 0 }]), /0 is less than the minimum of 1/);
});
