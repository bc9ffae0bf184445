/**
 * Target RAID configuration (pure): the rules of Ironic's raid_config_schema.json plus its one-root-volume check
 * (ironic.common.raid.validate_configuration) — what PUT /v1/nodes/{node}/states/raid and every RAID interface's
 * validate_raid_config apply.
 */
import { InvalidParameterValue } from './errors.ts';
import type { JsonObject } from './objects.ts';

export const RAID_LEVELS: readonly string[] = ['JBOD', '0', '1', '2', '5', '6', '1+0', '5+0', '6+0'];
const KEYS: Record<string, (v: unknown) => boolean> = {
  raid_level: (v) => typeof v === 'string' && RAID_LEVELS.includes(v),
  size_gb: (v) => v === 'MAX' || (typeof v === 'number' && Number.isInteger(v) && v >= 0),
  volume_name: (v) => typeof v === 'string',
  is_root_volume: (v) => typeof v === 'boolean',
  share_physical_disks: (v) => typeof v === 'boolean',
  disk_type: (v) => v === 'hdd' || v === 'ssd',
  interface_type: (v) => v === 'sata' || v === 'scsi' || v === 'sas',
  number_of_physical_disks: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 1,
  controller: (v) => typeof v === 'string',
  physical_disks: (v) => Array.isArray(v),
};

const fail = (msg: string): never => {
  throw new InvalidParameterValue(`RAID config validation error: ${msg}`);
};

/** {} (clear) or {"logical_disks": [ {raid_level, size_gb, ...}, ... ]} with no other keys. */
export function checkRaidConfig(config: JsonObject): void {
  if (Object.keys(config).length === 0) return;
  for (const k of Object.keys(config)) if (k !== 'logical_disks') fail(`Additional properties are not allowed ('${k}' was unexpected)`);
  const disks = config.logical_disks;
  if (!Array.isArray(disks)) fail("'logical_disks' is a required property and must be an array");
  if ((disks as unknown[]).length === 0) fail('[] should be non-empty');
  for (const d of disks as unknown[]) {
    if (d === null || typeof d !== 'object' || Array.isArray(d)) fail(`${JSON.stringify(d)} is not of type 'object'`);
    const disk = d as Record<string, unknown>;
    for (const req of ['raid_level', 'size_gb']) if (!(req in disk)) fail(`'${req}' is a required property`);
    for (const [k, v] of Object.entries(disk)) {
      const ok = KEYS[k];
      if (!ok) fail(`Additional properties are not allowed ('${k}' was unexpected)`);
      else if (!ok(v))
        fail(k === 'raid_level' && typeof v === 'string' ? `'${v}' is not one of [${RAID_LEVELS.map((l) => `'${l}'`).join(', ')}]` : `${JSON.stringify(v)} is not valid for '${k}'`);
    }
  }
  const roots = (disks as Record<string, unknown>[]).filter((d) => d.is_root_volume === true).length;
  if (roots > 1) throw new InvalidParameterValue(`Raid config cannot have more than one root volume. ${roots} root volumes were specified`);
}
