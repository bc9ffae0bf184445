/**
 * VFAT (FAT12/16) image writer for config drives: label `config-2`, long file names, deterministic with a
 * fixed time. Directories and files get contiguous cluster runs, allocated breadth first.
 */
import { InvalidConfigDrive, MAX_CONFIG_DRIVE_BYTES, ConfigDriveTooLarge } from '../errors.ts';
import { type DirNode, type DriveFile, type FileNode, buildTree, pathOf } from '../paths.ts';
import { ATTR_ARCHIVE, ATTR_DIRECTORY, ATTR_VOLUME_ID, lfnCount, lfnEntries, shortEntry } from './dirents.ts';
import { type Geometry, ROOT_ENTRIES, SECTOR, bootSector, computeGeometry, labelField, setFat } from './geometry.ts';
import { type ShortName, generateShortName } from './short-names.ts';

export interface VfatOptions {
  label?: string;
  /** Image size; default: the smallest whole MiB (at least 1) that holds the content. Max 64 MiB. */
  sizeBytes?: number;
  time?: Date;
  /** Volume serial number; default derived from `time`. */
  serial?: number;
  dirs?: string[];
  maxBytes?: number;
}

interface DirLayout {
  node: DirNode;
  children: { node: DirNode | FileNode; short: ShortName }[];
  entryCount: number;
  cluster: number; // 0 for root
  clusters: number;
}

function layoutDirs(root: DirNode): DirLayout[] {
  const out: DirLayout[] = [];
  const queue: DirNode[] = [root];
  while (queue.length) {
    const node = queue.shift()!;
    const used = new Set<string>();
    const kids = [...node.children.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const children = kids.map((k) => {
      const short = generateShortName(k.name, used);
      used.add(short.raw.toString('latin1'));
      return { node: k, short };
    });
    const isRoot = node.parent === null;
    const entryCount = (isRoot ? 1 : 2) + children.reduce((n, c) => n + 1 + (c.short.needsLfn ? lfnCount(c.node.name) : 0), 0);
    if (isRoot && entryCount > ROOT_ENTRIES) throw new InvalidConfigDrive(`too many names in the VFAT root directory (${entryCount} entries, at most ${ROOT_ENTRIES})`);
    out.push({ node, children, entryCount, cluster: 0, clusters: 0 });
    for (const k of kids) if (k.kind === 'dir') queue.push(k);
  }
  return out;
}

function clustersFor(bytes: number, g: Geometry): number {
  return Math.ceil(bytes / g.clusterBytes);
}

function neededClusters(dirs: DirLayout[], g: Geometry): number {
  let n = 0;
  for (const d of dirs) {
    if (d.node.parent !== null) n += Math.max(1, clustersFor(d.entryCount * 32, g));
    for (const c of d.children) if (c.node.kind === 'file') n += clustersFor(c.node.data.length, g);
  }
  return n;
}

function encodeDir(d: DirLayout, byNode: Map<DirNode, DirLayout>, fileCluster: Map<FileNode, number>, label: string, time: Date): Buffer {
  const parts: Buffer[] = [];
  if (d.node.parent === null) {
    parts.push(shortEntry({ raw: labelField(label), attr: ATTR_VOLUME_ID, cluster: 0, size: 0, time }));
  } else {
    const parentCluster = byNode.get(d.node.parent)!.cluster;
    parts.push(shortEntry({ raw: Buffer.from('.          ', 'latin1'), attr: ATTR_DIRECTORY, cluster: d.cluster, size: 0, time }));
    parts.push(shortEntry({ raw: Buffer.from('..         ', 'latin1'), attr: ATTR_DIRECTORY, cluster: parentCluster, size: 0, time }));
  }
  for (const c of d.children) {
    if (c.short.needsLfn) parts.push(...lfnEntries(c.node.name, c.short, pathOf(c.node)));
    const isDir = c.node.kind === 'dir';
    parts.push(
      shortEntry({
        raw: c.short.raw,
        ntFlags: c.short.ntFlags,
        attr: isDir ? ATTR_DIRECTORY : ATTR_ARCHIVE,
        cluster: isDir ? byNode.get(c.node as DirNode)!.cluster : fileCluster.get(c.node as FileNode)!,
        size: isDir ? 0 : (c.node as FileNode).data.length,
        time,
      }),
    );
  }
  return Buffer.concat(parts);
}

function defaultSize(dirs: DirLayout[], max: number): number {
  for (let mib = 1; mib * 1048576 <= max; mib++) {
    const g = computeGeometry(mib * 1048576);
    if (neededClusters(dirs, g) <= g.clusters) return mib * 1048576;
  }
  throw new ConfigDriveTooLarge(`config drive content does not fit a ${max / 1048576} MiB VFAT image`);
}

/** Builds a whole VFAT image with the given files. */
export function buildVfat(files: readonly DriveFile[], opts: VfatOptions = {}): Buffer {
  const maxBytes = opts.maxBytes ?? MAX_CONFIG_DRIVE_BYTES;
  const label = opts.label ?? 'config-2';
  labelField(label);
  const time = opts.time ?? new Date();
  const root = buildTree(files, opts.dirs, maxBytes);
  const dirs = layoutDirs(root);
  const size = opts.sizeBytes ?? defaultSize(dirs, maxBytes);
  if (size > maxBytes) throw new ConfigDriveTooLarge(`VFAT image of ${size} bytes is over the maximum of ${maxBytes / 1048576} MiB`);
  const g = computeGeometry(size);
  const need = neededClusters(dirs, g);
  if (need > g.clusters) throw new ConfigDriveTooLarge(`content needs ${need} clusters but a ${size}-byte VFAT image has ${g.clusters}`);

  const img = Buffer.alloc(g.totalSectors * SECTOR);
  const fat = Buffer.alloc(g.fatSectors * SECTOR);
  const eoc = g.fatBits === 12 ? 0xfff : 0xffff;
  setFat(fat, g.fatBits, 0, (g.fatBits === 12 ? 0xf00 : 0xff00) | 0xf8);
  setFat(fat, g.fatBits, 1, eoc);
  let next = 2;
  const chain = (count: number): number => {
    if (count === 0) return 0;
    const first = next;
    for (let i = 0; i < count; i++) setFat(fat, g.fatBits, first + i, i === count - 1 ? eoc : first + i + 1);
    next += count;
    return first;
  };
  const byNode = new Map<DirNode, DirLayout>();
  for (const d of dirs) {
    byNode.set(d.node, d);
    if (d.node.parent !== null) {
      d.clusters = Math.max(1, clustersFor(d.entryCount * 32, g));
      d.cluster = chain(d.clusters);
    }
  }
  const fileCluster = new Map<FileNode, number>();
  const at = (cluster: number) => (g.dataStart + (cluster - 2) * g.sectorsPerCluster) * SECTOR;
  for (const d of dirs) {
    for (const c of d.children) {
      if (c.node.kind !== 'file') continue;
      const first = chain(clustersFor(c.node.data.length, g));
      fileCluster.set(c.node, first);
      if (first) img.set(c.node.data, at(first));
    }
  }
  for (const d of dirs) {
    const bytes = encodeDir(d, byNode, fileCluster, label, time);
    bytes.copy(img, d.node.parent === null ? g.rootStart * SECTOR : at(d.cluster));
  }
  const serial = opts.serial ?? (Math.floor(time.getTime() / 1000) ^ 0x5a5a5a5a) >>> 0;
  bootSector(g, label, serial).copy(img, 0);
  for (let i = 0; i < 2; i++) fat.copy(img, (1 + i * g.fatSectors) * SECTOR);
  return img;
}


