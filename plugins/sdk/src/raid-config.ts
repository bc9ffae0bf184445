/**
 * Target RAID configuration (pure): the rules of Ironic's raid_config_schema.json plus its one-root-volume check
 * (ironic.common.raid.validate_configuration) — what PUT /v1/nodes/{node}/states/raid and every RAID interface's
 * validate_raid_config apply.
 */
import { InvalidParameterValue } from './errors.ts';
import type { JsonObject } from './objects.ts';
import { pyRepr } from './pyrepr.ts';

export const RAID_LEVELS: readonly string[] = ['JBOD', '0', '1', '2', '5', '6', '1+0', '5+0', '6+0'];

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const oneOf = (values: readonly string[]) => (v: unknown) =>
  typeof v !== 'string' ? `${pyRepr(v)} is not of type 'string'` : values.includes(v) ? null : `${pyRepr(v)} is not one of [${values.map((x) => pyRepr(x)).join(', ')}]`;
const ofType = (type: 'string' | 'boolean') => (v: unknown) => (typeof v === type ? null : `${pyRepr(v)} is not of type '${type}'`);

/** Each logical disk property: null when valid, else jsonschema's message (its best match where anyOf). */
const KEYS: Record<string, (v: unknown) => string | null> = {
  raid_level: oneOf(RAID_LEVELS),
  size_gb: (v) => {
    if (typeof v === 'string') return v === 'MAX' ? null : `${pyRepr(v)} is not one of ['MAX']`;
    if (isInt(v)) return v >= 0 ? null : `${v} is less than the minimum of 0`;
    return `${pyRepr(v)} is not valid under any of the given schemas`;
  },
  volume_name: ofType('string'),
  is_root_volume: ofType('boolean'),
  share_physical_disks: ofType('boolean'),
  disk_type: oneOf(['hdd', 'ssd']),
  interface_type: oneOf(['sata', 'scsi', 'sas']),
  number_of_physical_disks: (v) => (!isInt(v) ? `${pyRepr(v)} is not of type 'integer'` : v > 0 ? null : `${v} is less than or equal to the minimum of 0`),
  controller: ofType('string'),
  physical_disks: (v) => {
    if (!Array.isArray(v)) return `${pyRepr(v)} is not valid under any of the given schemas`;
    if (v.every((x) => typeof x === 'string')) return null;
    if (v.length >= 2 && v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) return null;
    // neither list: jsonschema's best match is the first branch's error, on the first item that is no string
    return `${pyRepr(v.find((x) => typeof x !== 'string'))} is not of type 'string'`;
  },
};

const fail = (msg: string): never => {
  throw new InvalidParameterValue(`RAID config validation error: ${msg}`);
};

/** {} (clear) or {"logical_disks": [ {raid_level, size_gb, ...}, ... ]} with no other keys. */
export function checkRaidConfig(config: JsonObject): void {
  if (Object.keys(config).length === 0) return;
  // jsonschema's best match as Ironic 39 reports it: the missing key before the unexpected ones
  if (!('logical_disks' in config)) fail("'logical_disks' is a required property");
  for (const k of Object.keys(config)) if (k !== 'logical_disks') fail(`Additional properties are not allowed ('${k}' was unexpected)`);
  const disks = config.logical_disks;
  if (!Array.isArray(disks)) fail(`${pyRepr(disks)} is not of type 'array'`);
  if ((disks as unknown[]).length === 0) fail('[] should be non-empty');
  for (const d of disks as unknown[]) {
    if (d === null || typeof d !== 'object' || Array.isArray(d)) fail(`${pyRepr(d)} is not of type 'object'`);
    const disk = d as Record<string, unknown>;
    for (const req of ['raid_level', 'size_gb']) if (!(req in disk)) fail(`'${req}' is a required property`);
    for (const k of Object.keys(disk)) if (!KEYS[k]) fail(`Additional properties are not allowed ('${k}' was unexpected)`);
    if ('physical_disks' in disk && !('controller' in disk)) fail("'controller' is a dependency of 'physical_disks'");
    for (const [k, v] of Object.entries(disk)) {
      const err = KEYS[k](v);
      if (err) fail(err);
    }
  }
  const roots = (disks as Record<string, unknown>[]).filter((d) => d.is_root_volume === true).length;
  if (roots > 1) throw new InvalidParameterValue(`Raid config cannot have more than one root volume. ${roots} root volumes were specified`);
}
