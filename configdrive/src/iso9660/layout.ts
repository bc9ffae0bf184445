/**
 * Pure layout of an ISO9660 image: names every record in both namespaces (primary with Rock Ridge, Joliet),
 * orders directories as the path tables want them, sizes every directory and hands out sectors.
 *
 * Sector map: 0-15 system area | 16 PVD | [El Torito boot record] | Joliet SVD | terminator | L, M path tables |
 * Joliet L, M | primary directories | Joliet directories | Rock Ridge continuation area (ER) | [boot catalog] |
 * file data.
 * The continuation area comes after the directories: sequential readers (libarchive) refuse a CE that
 * points backwards from the record that holds it.
 * File extents are shared by both namespaces.
 */
import { ConfigDriveTooLarge, InvalidConfigDrive, MAX_CONFIG_DRIVE_BYTES } from '../errors.ts';
import { type DirNode, type FileNode, type TreeNode, pathOf } from '../paths.ts';
import { SECTOR, sectorsFor, ucs2be } from './bytes.ts';
import { compareKeys, idKey, jolietNames, primaryNames } from './names.ts';
import type { ElToritoOptions } from './el-torito.ts';
import { recordLength } from './records.ts';
import { RRIP_DESCRIPTOR, RRIP_ID, RRIP_SOURCE } from './rock-ridge.ts';

export type Namespace = 'primary' | 'joliet';

const NO_NAME = Buffer.alloc(0);

export interface FilePlan {
  node: FileNode;
  extent: number;
}

export interface EntryPlan {
  node: TreeNode;
  id: Buffer;
  /** The real name as UTF-8, for the Rock Ridge NM entry (primary namespace only). */
  rrName: Buffer;
  dir?: DirPlan;
  file?: FilePlan;
}

export interface DirPlan {
  node: DirNode;
  ns: Namespace;
  number: number;
  parent: DirPlan;
  id: Buffer;
  entries: EntryPlan[];
  extent: number;
  size: number;
  /** Number of subdirectories (Rock Ridge link count = 2 + this). */
  subdirs: number;
}

export interface IsoPlan {
  rockRidge: boolean;
  /** El Torito: boot catalog sector, boot image extent/size and platform; null for a plain image */
  elTorito: { catalog: number; image: FilePlan; platform: 'efi' | 'x86' } | null;
  joliet: boolean;
  primary: DirPlan[];
  jolietDirs: DirPlan[];
  files: FilePlan[];
  pathTable: { size: number; lba: number; mba: number };
  jolietPathTable: { size: number; lba: number; mba: number };
  ceExtent: number;
  firstDataSector: number;
  totalSectors: number;
}

/** SU bytes per record kind (see rock-ridge.ts): RR 5 + PX 36 + TF 26; root "." adds SP 7 + CE 28; NM 5 + name. */
export const SU_BASE = 5 + 36 + 26;
export const SU_ROOT_EXTRA = 7 + 28;
export const ER_LENGTH = 8 + RRIP_ID.length + RRIP_DESCRIPTOR.length + RRIP_SOURCE.length;

function orderDirs(root: DirNode, ns: Namespace): DirPlan[] {
  const out: DirPlan[] = [];
  const rootPlan: DirPlan = { node: root, ns, number: 1, parent: undefined as unknown as DirPlan, id: Buffer.from([0]), entries: [], extent: 0, size: 0, subdirs: 0 };
  rootPlan.parent = rootPlan;
  const queue: DirPlan[] = [rootPlan];
  while (queue.length) {
    const d = queue.shift()!;
    out.push(d);
    d.number = out.length;
    const kids = [...d.node.children.values()];
    const meta = kids.map((k) => ({ name: k.name, isDir: k.kind === 'dir' }));
    const ids = ns === 'primary' ? primaryNames(meta) : jolietNames(meta, (i) => pathOf(kids[i]));
    const keyed = kids.map((node, i) => ({
      key: idKey(ids[i]),
      entry: { node, id: ns === 'primary' ? Buffer.from(ids[i], 'latin1') : ucs2be(ids[i]), rrName: ns === 'primary' ? Buffer.from(node.name, 'utf8') : NO_NAME } as EntryPlan,
    }));
    keyed.sort((a, b) => compareKeys(a.key, b.key));
    const entries = keyed.map((k) => k.entry);
    d.entries = entries;
    for (const e of entries) {
      if (e.node.kind !== 'dir') continue;
      d.subdirs++;
      const sub: DirPlan = { node: e.node, ns, number: 0, parent: d, id: e.id, entries: [], extent: 0, size: 0, subdirs: 0 };
      e.dir = sub;
      queue.push(sub);
    }
  }
  return out;
}

function pathTableSize(dirs: DirPlan[]): number {
  return dirs.reduce((n, d) => n + 8 + d.id.length + (d.id.length % 2), 0);
}

/** Record lengths of one directory in order: ".", "..", then entries. */
export function recordLengths(d: DirPlan, rockRidge: boolean): number[] {
  const rr = rockRidge && d.ns === 'primary';
  const isRoot = d.parent === d;
  const lens = [recordLength(1, rr ? SU_BASE + (isRoot ? SU_ROOT_EXTRA : 0) : 0), recordLength(1, rr ? SU_BASE : 0)];
  for (const e of d.entries) {
    const len = recordLength(e.id.length, rr ? SU_BASE + 5 + e.rrName.length : 0);
    if (len > 255) {
      throw new InvalidConfigDrive(`file name '${pathOf(e.node)}' does not fit in an ISO9660 directory record (${e.rrName.length} bytes of UTF-8; at most ${255 - (len - e.rrName.length)})`);
    }
    lens.push(len);
  }
  return lens;
}

/** Bytes of a directory extent: records never straddle a sector boundary. */
export function dirExtentSize(lens: number[]): number {
  let sectors = 1;
  let used = 0;
  for (const l of lens) {
    if (used + l > SECTOR) {
      sectors++;
      used = 0;
    }
    used += l;
  }
  return sectors * SECTOR;
}

export interface LayoutOptions {
  rockRidge?: boolean;
  /** make the image bootable (El Torito): boot record descriptor after the PVD, one catalog sector before the data */
  elTorito?: ElToritoOptions;
  joliet?: boolean;
  maxBytes?: number;
}

export function planIso(root: DirNode, opts: LayoutOptions = {}): IsoPlan {
  const rockRidge = opts.rockRidge ?? true;
  const joliet = opts.joliet ?? true;
  const maxBytes = opts.maxBytes ?? MAX_CONFIG_DRIVE_BYTES;
  const primary = orderDirs(root, 'primary');
  const jolietDirs = joliet ? orderDirs(root, 'joliet') : [];
  for (const d of [...primary, ...jolietDirs]) d.size = dirExtentSize(recordLengths(d, rockRidge));

  let next = 16 + 1 + (opts.elTorito ? 1 : 0) + (joliet ? 1 : 0) + 1;
  const ptSize = pathTableSize(primary);
  const pathTable = { size: ptSize, lba: next, mba: next + sectorsFor(ptSize) };
  next = pathTable.mba + sectorsFor(ptSize);
  const jptSize = joliet ? pathTableSize(jolietDirs) : 0;
  const jolietPathTable = { size: jptSize, lba: joliet ? next : 0, mba: joliet ? next + sectorsFor(jptSize) : 0 };
  if (joliet) next = jolietPathTable.mba + sectorsFor(jptSize);
  for (const d of [...primary, ...jolietDirs]) {
    d.extent = next;
    next += d.size / SECTOR;
  }
  const ceExtent = rockRidge ? next++ : 0;
  const catalog = opts.elTorito ? next++ : 0;
  const firstDataSector = next;
  const files: FilePlan[] = [];
  const byNode = new Map<FileNode, FilePlan>();
  for (const d of primary) {
    for (const e of d.entries) {
      if (e.node.kind !== 'file') continue;
      const fp: FilePlan = { node: e.node, extent: e.node.data.length ? next : 0 };
      next += sectorsFor(e.node.data.length);
      files.push(fp);
      byNode.set(e.node, fp);
      e.file = fp;
    }
  }
  for (const d of jolietDirs) for (const e of d.entries) if (e.node.kind === 'file') e.file = byNode.get(e.node);
  const totalSectors = next;
  let elTorito: IsoPlan['elTorito'] = null;
  if (opts.elTorito) {
    const want = opts.elTorito.bootImage.replace(/^\/+/, '');
    const image = files.find((f) => pathOf(f.node) === want);
    if (!image || image.node.data.length === 0) throw new InvalidConfigDrive(`El Torito boot image '${want}' is not a non-empty file of the image`);
    elTorito = { catalog, image, platform: opts.elTorito.platform ?? 'efi' };
  }
  if (totalSectors * SECTOR > maxBytes) {
    throw new ConfigDriveTooLarge(`config drive image would be ${(totalSectors * SECTOR / 1048576).toFixed(1)} MiB, over the maximum of ${maxBytes / 1048576} MiB`);
  }
  return { rockRidge, elTorito, joliet, primary, jolietDirs, files, pathTable, jolietPathTable, ceExtent, firstDataSector, totalSectors };
}
