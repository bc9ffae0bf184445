/**
 * Anvil's redfish raid and firmware interfaces against the REAL Ironic 39's (the ironic==39.0.0 package that
 * scripts/services/ironic39.sh installs, run through test/contract/redfish_39.py): the clean, deploy and service
 * steps each declares (names, priorities, abortable, argsinfo, requires_ramdisk), the RAID plans made from the same
 * drives and target_raid_config (volumes, sizes, drives and controllers chosen, or the error text), the
 * validate_raid_config answers, and the firmware `update` settings check (first line of Ironic's message).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { findConfiguration, parseFirmwareSettings, RedfishFirmware, RedfishRaid, toLogicalDisks } from '@anvil/plugin-redfish';
import type { JsonObject, StepDeclaration, Task } from '@anvil/sdk';
import { failWithout } from '../prereq.ts';

const root = new URL('../../', import.meta.url).pathname;
const PY = join(process.env.ANVIL_TMP ?? join(root, '.tmp'), 'ironic39-venv', 'bin', 'python');
failWithout(existsSync(PY) ? null : `Ironic 39 is not installed (${PY}): bash scripts/services/ironic39.sh start`);

const GiB = 1024 ** 3;
const drive = (id: string, gib: number, protocol = 'SATA', mediaType = 'HDD', storage = '1') => ({ id, path: `/redfish/v1/Systems/1/Storage/${storage}/Drives/${id}`, capacityBytes: gib * GiB, mediaType, protocol, storage });
const four = ['D0', 'D1', 'D2', 'D3'].map((id) => drive(id, 20));
const eight = ['D0', 'D1', 'D2', 'D3', 'D4', 'D5', 'D6', 'D7'].map((id) => drive(id, 20));
const mixed = [drive('S0', 10, 'SAS', 'SSD', 'A'), drive('S1', 10, 'SAS', 'SSD', 'A'), drive('H0', 20, 'SATA', 'HDD', 'B'), drive('H1', 20, 'SATA', 'HDD', 'B')];

const PLANS: { drives: ReturnType<typeof drive>[]; logical_disks: JsonObject[] }[] = [
  { drives: four, logical_disks: [{ raid_level: '1', size_gb: 10, is_root_volume: true }, { raid_level: '0', size_gb: 'MAX', physical_disks: ['D2', 'D3'] }] },
  { drives: four, logical_disks: [{ raid_level: '5', size_gb: 100 }] },
  { drives: four, logical_disks: [{ raid_level: '1+0', size_gb: 30 }] },
  { drives: four, logical_disks: [{ raid_level: '5', size_gb: 20, number_of_physical_disks: 4 }] },
  { drives: four, logical_disks: [{ raid_level: '1', size_gb: 5, share_physical_disks: true }, { raid_level: '0', size_gb: 5, share_physical_disks: true }] },
  { drives: four, logical_disks: [{ raid_level: '0', size_gb: 'MAX' }] },
  { drives: four, logical_disks: [{ raid_level: '6+0', size_gb: 10 }] },
  { drives: four, logical_disks: [{ raid_level: '1', size_gb: 10, controller: 'X', physical_disks: ['D0', 'D1'], volume_name: 'v' }] },
  { drives: four, logical_disks: [{ raid_level: '1', size_gb: 30, physical_disks: ['D0', 'D1'] }] },
  { drives: eight, logical_disks: [{ raid_level: '5+0', size_gb: 50 }, { raid_level: '1', size_gb: 'MAX', physical_disks: ['D6', 'D7'] }] },
  { drives: eight, logical_disks: [{ raid_level: '6', size_gb: 30 }, { raid_level: '1', size_gb: 15 }, { raid_level: '0', size_gb: 10 }] },
  { drives: mixed, logical_disks: [{ raid_level: '1', size_gb: 15 }, { raid_level: '1', size_gb: 5, interface_type: 'sas' }] },
  { drives: mixed, logical_disks: [{ raid_level: '0', size_gb: 8, disk_type: 'ssd' }, { raid_level: '0', size_gb: 30, disk_type: 'hdd' }] },
  { drives: mixed, logical_disks: [{ raid_level: '1', size_gb: 12, disk_type: 'ssd' }] },
];
const RAID_CONFIGS: JsonObject[] = [
  { logical_disks: [{ raid_level: '1', size_gb: 10 }] },
  { logical_disks: [{ raid_level: '1', size_gb: 10, interface_type: 'scsi' }] },
  { logical_disks: [{ raid_level: '7', size_gb: 10 }] },
  { logical_disks: [{ raid_level: '1' }] },
  { logical_disks: [] },
  { logical_disks: [{ raid_level: '1', size_gb: 10, bogus: 1 }] },
  { logical_disks: [{ raid_level: '1', size_gb: 1, is_root_volume: true }, { raid_level: '0', size_gb: 1, is_root_volume: true }] },
];
const FW_SETTINGS: unknown[] = [
  [{ component: 'bios', url: 'http://x/bios.bin' }],
  [{ component: 'bmc', url: 'http://x/bmc.bin', wait: 30 }, { component: 'nic:NIC.1', url: 'https://x/nic.bin' }],
  [{ component: 'cpu', url: 'http://x/fw.bin' }],
  [{ url: 'http://x/fw.bin' }],
  [{ component: 'bios' }],
  [{ component: 'bios', url: '' }],
  [{ component: 'bios', url: 'http://x', wait: 0 }],
  [{ component: 'bios', url: 'http://x', wait: '5' }],
  [{ component: 'bios', url: 'http://x', checksum: 'abc' }],
  [],
  {},
];

let ironic: { steps: JsonObject[]; plans: JsonObject[]; raid_configs: (string | null)[]; firmware_settings: (string | null)[] };
before(() => {
  if (!existsSync(PY)) return;
  const input = JSON.stringify({ plans: PLANS, raid_configs: RAID_CONFIGS, firmware_settings: FW_SETTINGS });
  ironic = JSON.parse(execFileSync(PY, [join(root, 'test/contract/redfish_39.py')], { input, timeout: 120_000, stdio: ['pipe', 'pipe', 'ignore'] }).toString());
});

const message = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (err) {
    return (err as Error).message;
  }
};

test("the steps the redfish raid and firmware interfaces declare are Ironic 39's", () => {
  const ours: JsonObject[] = [];
  for (const [name, iface] of [
    ['raid', new RedfishRaid()],
    ['firmware', new RedfishFirmware()],
  ] as const) {
    for (const kind of ['clean', 'deploy', 'service'] as const) {
      const list = (kind === 'clean' ? iface.cleanSteps : kind === 'deploy' ? iface.deploySteps : iface.serviceSteps) as StepDeclaration[];
      for (const s of list) {
        ours.push({ kind, interface: name, step: s.step, priority: s.priority, abortable: s.abortable ?? kind === 'deploy', argsinfo: (s.argsinfo ?? null) as unknown as JsonObject, requires_ramdisk: s.requires_ramdisk ?? null });
      }
    }
  }
  const theirs = ironic.steps.map((s) => ({ ...s, argsinfo: s.argsinfo ?? null, requires_ramdisk: s.requires_ramdisk ?? null }));
  const key = (s: JsonObject) => `${s.kind} ${s.interface} ${s.step}`;
  assert.deepEqual([...ours].sort((a, b) => key(a).localeCompare(key(b))), [...theirs].sort((a, b) => key(a).localeCompare(key(b))));
});

test("RAID plans from the same drives: Ironic 39's volumes, drives and controllers, or its error", () => {
  const results = PLANS.map((p) => {
    let ours: JsonObject;
    try {
      ours = { volumes: findConfiguration(toLogicalDisks({ logical_disks: p.logical_disks }, 'raid-node'), p.drives) as unknown as JsonObject[] };
    } catch (err) {
      const e = err as Error;
      ours = { error: e.constructor.name === 'RaidPlanError' ? `Redfish exception occurred. Error: ${e.message}` : e.message };
    }
    return JSON.parse(JSON.stringify(ours));
  });
  assert.deepEqual(results, ironic.plans);
  // the cases reach both outcomes
  assert.ok(results.filter((r) => r.error).length >= 3 && results.filter((r) => r.volumes).length >= 6);
});

test("validate_raid_config and the firmware update settings check answer as Ironic 39's", async () => {
  const raid = new RedfishRaid();
  const answers: (string | null)[] = [];
  for (const c of RAID_CONFIGS) answers.push(await raid.validateRaidConfig({} as Task, c).then(() => null, (e: Error) => e.message));
  assert.deepEqual(answers, ironic.raid_configs);
  assert.deepEqual(
    FW_SETTINGS.map((s) => message(() => parseFirmwareSettings(s))),
    ironic.firmware_settings,
  );
});
