/**
 * Ironic's redfish RAID planning (pure): target_raid_config logical disks → volumes to create, each with RAID type,
 * size and the physical drives backing it, the way Ironic 39's redfish raid interface matches them — predefined
 * `physical_disks` first, then disks chosen by type (MediaType, Protocol, capacity) with a backtracking search over
 * disk counts, then predefined `size_gb: "MAX"` volumes; 64 MiB stripes for the space accounting. Also the Volume
 * POST payload, the apply time to ask for, and the node's raid_config read back from the BMC's volumes.
 */
import { InvalidParameterValue, type JsonObject, pyRepr } from '@anvil/sdk';

const GiB = 1024 ** 3;
const STRIPE_KB = 64 * 1024;

interface LevelInfo {
  raidType: string;
  minDisks?: number;
  maxDisks?: number;
  overhead?: number;
  spanOf?: string;
}

/** Ironic's redfish RAID levels: the Redfish RAIDType of each, disks bounds and parity/mirror overhead. */
export const REDFISH_RAID_LEVELS: Readonly<Record<string, LevelInfo>> = {
  '0': { raidType: 'RAID0', minDisks: 1, maxDisks: 1000, overhead: 0 },
  '1': { raidType: 'RAID1', minDisks: 2, maxDisks: 2, overhead: 1 },
  '5': { raidType: 'RAID5', minDisks: 3, maxDisks: 1000, overhead: 1 },
  '6': { raidType: 'RAID6', minDisks: 4, maxDisks: 1000, overhead: 2 },
  '1+0': { raidType: 'RAID10', spanOf: '1' },
  '5+0': { raidType: 'RAID50', spanOf: '5' },
  '6+0': { raidType: 'RAID60', spanOf: '6' },
};

const PROTOCOLS: Record<string, string> = { SAS: 'sas', SATA: 'sata' };

/** A plan that cannot be made from the BMC's drives (Ironic raises RedfishError for these). */
export class RaidPlanError extends Error {}

export interface PhysicalDisk {
  /** the Drive's Id (what `physical_disks` hints name) */
  id: string;
  /** the Drive's @odata.id */
  path: string;
  capacityBytes: number;
  mediaType: string | null;
  protocol: string | null;
  /** Id of the Storage holding it (the `controller` of a logical disk) */
  storage: string;
}

export interface LogicalDisk {
  raid_level: string;
  size_bytes: number | 'MAX';
  physical_disks?: string[];
  controller?: string;
  volume_name?: string;
  is_root_volume?: boolean;
  share_physical_disks?: boolean;
  disk_type?: string;
  interface_type?: string;
  number_of_physical_disks?: number;
}

type Free = Map<PhysicalDisk, number>;

function level(raidLevel: string, spans = 1): Required<Pick<LevelInfo, 'minDisks' | 'maxDisks' | 'overhead'>> & { spans: number } {
  const info = REDFISH_RAID_LEVELS[raidLevel];
  if (!info) throw new RaidPlanError(`RAID level ${raidLevel} is not supported by the driver. Supported RAID levels: ${Object.keys(REDFISH_RAID_LEVELS).join(', ')}`);
  if (!info.spanOf) return { minDisks: info.minDisks!, maxDisks: info.maxDisks!, overhead: info.overhead!, spans: 1 };
  if (spans <= 1) throw new RaidPlanError('Spanned RAID volumes cannot contain a single span');
  const base = REDFISH_RAID_LEVELS[info.spanOf];
  return { minDisks: base.minDisks! * spans, maxDisks: base.maxDisks! * spans, overhead: base.overhead! * spans, spans };
}

export function spansFor(raidLevel: string, disks: number): number {
  if (['0', '1', '5', '6'].includes(raidLevel)) return 1;
  if (['5+0', '6+0'].includes(raidLevel)) return 2;
  if (raidLevel === '1+0') return disks >> 1;
  throw new RaidPlanError(`Cannot calculate spans for RAID level "${raidLevel}"`);
}

function usableDisks(raidLevel: string, disks: number): number {
  if (['0', '1', '5', '6'].includes(raidLevel)) return disks;
  if (['5+0', '6+0', '1+0'].includes(raidLevel)) return (disks >> 1) << 1;
  return level(raidLevel).minDisks; // throws: not supported
}

/** Largest volume the disks can hold at this level (whole stripes of the smallest free space). */
export function maxVolumeBytes(raidLevel: string, free: number[], spans = 1): number {
  const { overhead } = level(raidLevel, spans);
  if (free.length <= overhead) throw new RaidPlanError(`The number of physical drives (${free.length}) is too few for the required number of overhead drives (${overhead})`);
  const stripesPerDisk = Math.floor(Math.floor(Math.min(...free) / 1024) / STRIPE_KB);
  return stripesPerDisk * STRIPE_KB * (free.length - overhead) * 1024;
}

function usagePerDisk(raidLevel: string, sizeBytes: number, disks: number, spans: number): number {
  const { overhead } = level(raidLevel, spans);
  const stripes = Math.ceil(Math.floor(sizeBytes / 1024) / STRIPE_KB);
  return Math.ceil(stripes / (disks - overhead)) * STRIPE_KB * 1024;
}

/** size_gb → size_bytes; "MAX" needs physical_disks (Ironic's convert_drive_units). */
export function toLogicalDisks(config: JsonObject, nodeUuid: string): LogicalDisk[] {
  const list = (Array.isArray(config.logical_disks) ? config.logical_disks : []) as JsonObject[];
  return list.map((d) => {
    const { size_gb, ...rest } = d;
    if (size_gb === 'MAX' && !('physical_disks' in d)) {
      throw new InvalidParameterValue(
        `create_configuration called with invalid target_raid_configuration for node ${nodeUuid}. 'physical_disks' is missing from logical_disk while 'size_gb'='MAX' was requested: ${pyRepr(d)}`,
      );
    }
    return { ...(rest as unknown as LogicalDisk), size_bytes: size_gb === 'MAX' ? 'MAX' : Number(size_gb) * GiB };
  });
}

/** Check the volume fits the disks it names and take its space from them (Ironic's _calculate_volume_props). */
function placeVolume(ld: LogicalDisk, disks: PhysicalDisk[], free: Free): void {
  const names = ld.physical_disks ?? [];
  const selected = disks.filter((d) => names.includes(d.id));
  if (!selected.length) throw new RaidPlanError(`None of the physical disks ${JSON.stringify(names)} was found`);
  const spans = spansFor(ld.raid_level, selected.length);
  if (spans === 0 || selected.length % spans !== 0) {
    throw new RaidPlanError(`For RAID level ${ld.raid_level}, the number of physical disks provided (${selected.length}) must be a multiple of the spans count (${spans})`);
  }
  const max = maxVolumeBytes(ld.raid_level, selected.map((d) => free.get(d) ?? 0), spans);
  let size: number;
  if (ld.size_bytes === 'MAX') {
    if (max === 0) throw new RaidPlanError("size set to 'MAX' but could not allocate physical disk space");
    size = max;
  } else {
    if (max < ld.size_bytes) throw new RaidPlanError(`The physical disk space (${max} bytes) is not enough for the size of the logical disk (${ld.size_bytes} bytes)`);
    size = ld.size_bytes;
  }
  const usage = usagePerDisk(ld.raid_level, size, selected.length, spans);
  for (const d of selected) {
    const left = free.get(d) ?? 0;
    if (left < usage) throw new RaidPlanError(`The free space of a disk (${left} bytes) is not enough for the per-disk size of the logical disk (${usage} bytes)`);
    free.set(d, left - usage);
  }
  if (ld.controller === undefined) ld.controller = selected[0].storage;
}

type ByType = Map<string, PhysicalDisk[]>;
const typeKey = (d: PhysicalDisk) => JSON.stringify([d.mediaType, d.protocol, d.capacityBytes]);

/** Backtracking search: the first logical disk gets the fewest fitting disks of one type that leave room for the rest. */
function assign(lds: LogicalDisk[], byType: ByType, free: Free): [boolean, Free] {
  const ld = lds.shift()!;
  for (const candidates of byType.values()) {
    const sample = candidates[0];
    if (!sample) continue;
    if (ld.disk_type && ld.disk_type.toLowerCase() !== String(sample.mediaType).toLowerCase()) continue;
    if (ld.interface_type && ld.interface_type.toLowerCase() !== PROTOCOLS[String(sample.protocol)]) continue;
    let disks = candidates.filter((d) => (free.get(d) ?? 0) > 0).sort((a, b) => (free.get(a) ?? 0) - (free.get(b) ?? 0));
    if (!ld.share_physical_disks) disks = disks.filter((d) => d.capacityBytes === free.get(d));
    const maxSpans = spansFor(ld.raid_level, disks.length);
    const minDisks = level(ld.raid_level, Math.min(2, maxSpans)).minDisks;
    const maxDisks = Math.min(level(ld.raid_level, maxSpans).maxDisks, disks.length);
    for (let count = minDisks; count <= maxDisks; count++) {
      if (ld.number_of_physical_disks !== undefined && ld.number_of_physical_disks !== count) continue;
      if (count !== usableDisks(ld.raid_level, count)) continue;
      const candidate: LogicalDisk = { ...ld, physical_disks: disks.slice(0, count).map((d) => d.id) };
      let next: Free = new Map(free);
      try {
        placeVolume(candidate, disks.slice(0, count), next);
        if (lds.length) {
          const [ok, after] = assign(lds, byType, next);
          if (!ok) continue;
          next = after;
        }
      } catch (err) {
        if (err instanceof RaidPlanError) continue;
        throw err;
      }
      lds.push(candidate);
      return [true, next];
    }
  }
  lds.unshift(ld);
  return [false, free];
}

/** Match every logical disk to physical disks (Ironic's _find_configuration); throws RaidPlanError when it cannot. */
export function findConfiguration(logical: LogicalDisk[], disks: PhysicalDisk[]): LogicalDisk[] {
  const named = (ld: LogicalDisk) => ld.physical_disks !== undefined;
  const reservedIds = new Set(logical.filter((v) => named(v) && v.size_bytes === 'MAX' && v.share_physical_disks).flatMap((v) => v.physical_disks!));
  const byType: ByType = new Map();
  const reservedByType: ByType = new Map();
  const free: Free = new Map();
  for (const d of disks) {
    free.set(d, d.capacityBytes);
    const k = typeKey(d);
    if (!byType.has(k)) {
      byType.set(k, []);
      reservedByType.set(k, []);
    }
    (reservedIds.has(d.id) ? reservedByType : byType).get(k)!.push(d);
  }
  // disks named by a volume that does not share them are not offered to the search
  for (const v of logical.filter((x) => named(x) && !x.share_physical_disks)) {
    for (const d of disks) {
      if (!v.physical_disks!.includes(d.id)) continue;
      const list = byType.get(typeKey(d))!;
      if (list.includes(d)) list.splice(list.indexOf(d), 1);
    }
  }
  const out: LogicalDisk[] = [];
  for (const v of logical.filter((x) => named(x) && x.size_bytes !== 'MAX')) {
    placeVolume(v, disks, free);
    out.push(v);
  }
  const unnamed = logical.filter((x) => !named(x));
  let current: Free = free;
  if (unnamed.length) {
    let [ok, after] = assign(unnamed, byType, current);
    if (!ok) {
      for (const [k, list] of byType) list.push(...(reservedByType.get(k) ?? []));
      [ok, after] = assign(unnamed, byType, current);
      if (!ok) throw new RaidPlanError('failed to find matching physical disks for all logical disks');
    }
    current = after;
  }
  out.push(...unnamed);
  for (const v of logical.filter((x) => named(x) && x.size_bytes === 'MAX')) {
    placeVolume(v, disks, current);
    out.push(v);
  }
  return out;
}

/** create_root_volume / create_nonroot_volumes filtering (Ironic's _filter_logical_disks). */
export function filterLogicalDisks(lds: LogicalDisk[], root: boolean, nonroot: boolean): LogicalDisk[] {
  return lds.filter((d) => (root && d.is_root_volume) || (nonroot && !d.is_root_volume));
}

/** The Volume POST body: RAIDType, CapacityBytes (left out for MAX: the controller sizes it), Links.Drives, Name. */
export function volumePayload(ld: LogicalDisk, drivePaths: string[], applyTime: string | null): JsonObject {
  const body: JsonObject = { RAIDType: REDFISH_RAID_LEVELS[ld.raid_level].raidType };
  if (ld.size_bytes !== 'MAX') body.CapacityBytes = ld.size_bytes;
  if (drivePaths.length) body.Links = { Drives: drivePaths.map((p) => ({ '@odata.id': p })) };
  if (ld.volume_name) body.Name = ld.volume_name;
  if (applyTime) body['@Redfish.OperationApplyTime'] = applyTime;
  return body;
}

/** Immediate when the collection supports it, else OnReset, else none (Ironic's _get_apply_time). */
export function applyTimeOf(collection: JsonObject): string | null {
  const support = collection['@Redfish.OperationApplyTimeSupport'] as JsonObject | undefined;
  const values = Array.isArray(support?.SupportedValues) ? (support.SupportedValues as string[]) : [];
  if (values.includes('Immediate')) return 'Immediate';
  if (values.includes('OnReset')) return 'OnReset';
  return null;
}

export interface VolumeInfo {
  id: string;
  name: string | null;
  controller: string;
  capacityBytes: number;
  raidType: string | null;
}

/** The node's raid_config from the BMC's volumes: those with a RAIDType (Ironic's update_raid_config). */
export function raidConfigFrom(volumes: VolumeInfo[], now = new Date()): JsonObject {
  const logical_disks = volumes
    .map((v) => ({ v, level: Object.entries(REDFISH_RAID_LEVELS).find(([, info]) => info.raidType === v.raidType)?.[0] }))
    .filter((x) => x.level)
    .map(({ v, level: raid_level }) => ({ id: v.id, name: v.name, controller: v.controller, size_gb: Math.floor(v.capacityBytes / GiB), raid_level: raid_level! }));
  // Ironic stores str(utcnow()): "2026-01-02 03:04:05.678901"
  const last_updated = `${now.toISOString().replace('T', ' ').replace('Z', '')}000`;
  return { logical_disks, last_updated };
}
