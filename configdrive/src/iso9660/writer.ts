/**
 * Turns an IsoPlan into bytes. `isoChunks` yields the image in order without holding file data twice
 * (metadata area first, then each file followed by its sector padding), so callers can stream it to a
 * disk or a gzip stream; `buildIso` concatenates it.
 */
import { MAX_CONFIG_DRIVE_BYTES } from '../errors.ts';
import { type DriveFile, buildTree } from '../paths.ts';
import { SECTOR } from './bytes.ts';
import { type DescriptorFields, type VolumeIds, checkVolumeIds, jolietDescriptor, primaryDescriptor, terminator } from './descriptors.ts';
import { type DirPlan, type IsoPlan, type LayoutOptions, planIso } from './layout.ts';
import { dirRecord, pathTableRecord } from './records.ts';
import { RR_NM, RR_PX, RR_TF, S_IFDIR, S_IFREG, ce, er, nm, px, rr, sp, tf } from './rock-ridge.ts';

export interface IsoOptions extends LayoutOptions, Partial<VolumeIds> {
  /** Timestamp of every record and the volume; fix it for byte-identical output. Default: now. */
  time?: Date;
  /** Directories to create even when empty. */
  dirs?: string[];
}

const DIR_MODE = 0o555;

function pathTable(dirs: DirPlan[], size: number, bigEndian: boolean): Buffer {
  const out = Buffer.alloc(Math.ceil(size / SECTOR) * SECTOR);
  let off = 0;
  for (const d of dirs) off += pathTableRecord(d.id, d.extent, d.parent.number, bigEndian).copy(out, off);
  return out;
}

function suFor(d: DirPlan, plan: IsoPlan, time: Date, kind: 'self' | 'parent' | DirPlan['entries'][number]): Buffer | undefined {
  if (!plan.rockRidge || d.ns !== 'primary') return undefined;
  const parts: Buffer[] = [];
  if (kind === 'self') {
    const isRoot = d.parent === d;
    if (isRoot) parts.push(sp());
    parts.push(rr(RR_PX | RR_TF), px(S_IFDIR | DIR_MODE, 2 + d.subdirs), tf(time));
    if (isRoot) parts.push(ce(plan.ceExtent, 0, er().length));
  } else if (kind === 'parent') {
    parts.push(rr(RR_PX | RR_TF), px(S_IFDIR | DIR_MODE, 2 + d.parent.subdirs), tf(time));
  } else if (kind.dir) {
    parts.push(rr(RR_PX | RR_TF | RR_NM), px(S_IFDIR | DIR_MODE, 2 + kind.dir.subdirs), tf(time), nm(kind.rrName));
  } else {
    const mode = kind.node.kind === 'file' ? kind.node.mode : 0o444;
    parts.push(rr(RR_PX | RR_TF | RR_NM), px(S_IFREG | (mode & 0o7777), 1), tf(time), nm(kind.rrName));
  }
  return Buffer.concat(parts);
}

/** Encodes one directory extent: ".", "..", then the sorted entries; no record crosses a sector. */
export function directoryExtent(d: DirPlan, plan: IsoPlan, time: Date): Buffer {
  const out = Buffer.alloc(d.size);
  const records: Buffer[] = [
    dirRecord({ id: Buffer.from([0]), extent: d.extent, size: d.size, date: time, isDir: true, su: suFor(d, plan, time, 'self') }),
    dirRecord({ id: Buffer.from([1]), extent: d.parent.extent, size: d.parent.size, date: time, isDir: true, su: suFor(d, plan, time, 'parent') }),
  ];
  for (const e of d.entries) {
    const isDir = e.dir !== undefined;
    records.push(
      dirRecord({
        id: e.id,
        extent: isDir ? e.dir!.extent : e.file!.extent,
        size: isDir ? e.dir!.size : e.file!.node.data.length,
        date: time,
        isDir,
        su: suFor(d, plan, time, e),
      }),
    );
  }
  let off = 0;
  for (const r of records) {
    if ((off % SECTOR) + r.length > SECTOR) off = Math.ceil(off / SECTOR) * SECTOR;
    off += r.copy(out, off);
  }
  return out;
}

/** Everything before the first file: system area, descriptors, path tables, directories, CE area. */
export function metadataArea(plan: IsoPlan, ids: VolumeIds, time: Date): Buffer {
  const parts: Buffer[] = [Buffer.alloc(16 * SECTOR)];
  const base = { ids, time, totalSectors: plan.totalSectors };
  const proot = plan.primary[0];
  const pvd: DescriptorFields = { ...base, pathTableSize: plan.pathTable.size, lPathTable: plan.pathTable.lba, mPathTable: plan.pathTable.mba, rootExtent: proot.extent, rootSize: proot.size };
  parts.push(primaryDescriptor(pvd));
  if (plan.joliet) {
    const jroot = plan.jolietDirs[0];
    const jt = plan.jolietPathTable;
    parts.push(jolietDescriptor({ ...base, pathTableSize: jt.size, lPathTable: jt.lba, mPathTable: jt.mba, rootExtent: jroot.extent, rootSize: jroot.size }));
  }
  parts.push(terminator());
  parts.push(pathTable(plan.primary, plan.pathTable.size, false), pathTable(plan.primary, plan.pathTable.size, true));
  if (plan.joliet) {
    parts.push(pathTable(plan.jolietDirs, plan.jolietPathTable.size, false), pathTable(plan.jolietDirs, plan.jolietPathTable.size, true));
  }
  for (const d of [...plan.primary, ...plan.jolietDirs]) parts.push(directoryExtent(d, plan, time));
  if (plan.rockRidge) {
    const area = Buffer.alloc(SECTOR);
    er().copy(area);
    parts.push(area);
  }
  const out = Buffer.concat(parts);
  if (out.length !== plan.firstDataSector * SECTOR) throw new Error(`iso layout mismatch: ${out.length} != ${plan.firstDataSector * SECTOR}`);
  return out;
}

const ZEROS = Buffer.alloc(SECTOR);

export function* isoChunks(plan: IsoPlan, ids: VolumeIds, time: Date): Generator<Uint8Array> {
  yield metadataArea(plan, ids, time);
  for (const f of plan.files) {
    const n = f.node.data.length;
    if (n === 0) continue;
    yield f.node.data;
    const pad = (SECTOR - (n % SECTOR)) % SECTOR;
    if (pad) yield ZEROS.subarray(0, pad);
  }
}

export function volumeIds(opts: IsoOptions): VolumeIds {
  const ids: VolumeIds = {
    systemId: opts.systemId ?? 'LINUX',
    volumeId: opts.volumeId ?? 'config-2',
    volumeSetId: opts.volumeSetId ?? '',
    publisher: opts.publisher ?? '',
    preparer: opts.preparer ?? '',
    applicationId: opts.applicationId ?? 'CLOUD-CONFIG-DRIVE',
  };
  checkVolumeIds(ids);
  return ids;
}

/** Validates and lays out a drive; returns its byte size and a chunk iterator (nothing is built until iterated). */
export function streamIso(files: readonly DriveFile[], opts: IsoOptions = {}): { size: number; chunks: () => Generator<Uint8Array> } {
  const ids = volumeIds(opts);
  const time = opts.time ?? new Date();
  const root = buildTree(files, opts.dirs, opts.maxBytes ?? MAX_CONFIG_DRIVE_BYTES);
  const plan = planIso(root, opts);
  return { size: plan.totalSectors * SECTOR, chunks: () => isoChunks(plan, ids, time) };
}

/** Builds a whole ISO9660 image (Rock Ridge + Joliet, label `config-2` by default) in memory. */
export function buildIso(files: readonly DriveFile[], opts: IsoOptions = {}): Buffer {
  const { size, chunks } = streamIso(files, opts);
  const out = Buffer.allocUnsafe(size);
  let off = 0;
  for (const c of chunks()) {
    out.set(c, off);
    off += c.length;
  }
  if (off !== size) throw new Error(`iso size mismatch: wrote ${off} of ${size}`);
  return out;
}
