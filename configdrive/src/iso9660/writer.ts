/**
 * Turns an IsoPlan into bytes. `isoChunks` yields the image in order without holding file data twice
 * (metadata area first, then each file followed by its sector padding), so callers can stream it to a
 * disk or a gzip stream; `buildIso` concatenates it.
 */
import { MAX_CONFIG_DRIVE_BYTES } from '../errors.ts';
import { type DriveFile, buildTree } from '../paths.ts';
import { SECTOR } from './bytes.ts';
import { type DescriptorFields, type VolumeIds, checkVolumeIds, jolietDescriptor, primaryDescriptor, terminator } from './descriptors.ts';
import { bootCatalog, bootRecordDescriptor } from './el-torito.ts';
import { type DirPlan, type IsoPlan, type LayoutOptions, planIso } from './layout.ts';
import { pathTableRecord, recordDate, recordLength, writeDirRecord } from './records.ts';
import { RR_NM, RR_PX, RR_TF, S_IFDIR, S_IFREG, ce, er, nm, px, rr, sp, tf } from './rock-ridge.ts';

export interface IsoOptions extends LayoutOptions, Partial<VolumeIds> {
  /** Timestamp of every record and the volume; fix it for byte-identical output. Default: now. */
  time?: Date;
  /** Directories to create even when empty. */
  dirs?: string[];
}

const DIR_MODE = 0o555;

function writePathTable(out: Buffer, off: number, dirs: DirPlan[], bigEndian: boolean): void {
  for (const d of dirs) off += pathTableRecord(d.id, d.extent, d.parent.number, bigEndian).copy(out, off);
}

/** System use entries that repeat across records, built once per image. */
class SuCache {
  readonly tf: Buffer;
  readonly rrDir = rr(RR_PX | RR_TF);
  readonly rrEntry = rr(RR_PX | RR_TF | RR_NM);
  readonly sp = sp();
  readonly ce: Buffer;
  private readonly px = new Map<number, Buffer>();
  constructor(plan: IsoPlan, time: Date) {
    this.tf = tf(time);
    this.ce = ce(plan.ceExtent, 0, er().length);
  }
  pxFor(mode: number, nlink: number): Buffer {
    const key = mode * 65536 + nlink;
    let b = this.px.get(key);
    if (!b) this.px.set(key, (b = px(mode, nlink)));
    return b;
  }
}

function suFor(d: DirPlan, plan: IsoPlan, c: SuCache, kind: 'self' | 'parent' | DirPlan['entries'][number]): Buffer[] | undefined {
  if (!plan.rockRidge || d.ns !== 'primary') return undefined;
  if (kind === 'self') {
    const own = [c.rrDir, c.pxFor(S_IFDIR | DIR_MODE, 2 + d.subdirs), c.tf];
    return d.parent === d ? [c.sp, ...own, c.ce] : own;
  }
  if (kind === 'parent') return [c.rrDir, c.pxFor(S_IFDIR | DIR_MODE, 2 + d.parent.subdirs), c.tf];
  const px = kind.dir ? c.pxFor(S_IFDIR | DIR_MODE, 2 + kind.dir.subdirs) : c.pxFor(S_IFREG | ((kind.node.kind === 'file' ? kind.node.mode : 0o444) & 0o7777), 1);
  return [c.rrEntry, px, c.tf, nm(kind.rrName)];
}

const DOT = Buffer.from([0]);
const DOTDOT = Buffer.from([1]);

/** Writes one directory extent at `base`: ".", "..", then the sorted entries; no record crosses a sector. */
function writeDirectory(out: Buffer, base: number, d: DirPlan, plan: IsoPlan, c: SuCache, date: Buffer): void {
  let off = 0;
  const put = (f: Parameters<typeof writeDirRecord>[2], len: number) => {
    if ((off % SECTOR) + len > SECTOR) off = Math.ceil(off / SECTOR) * SECTOR;
    off += writeDirRecord(out, base + off, f);
  };
  const recLen = (id: Buffer, su: Buffer[] | undefined) => recordLength(id.length, su ? su.reduce((n, b) => n + b.length, 0) : 0);
  const self = suFor(d, plan, c, 'self');
  put({ id: DOT, extent: d.extent, size: d.size, date, isDir: true, su: self }, recLen(DOT, self));
  const parent = suFor(d, plan, c, 'parent');
  put({ id: DOTDOT, extent: d.parent.extent, size: d.parent.size, date, isDir: true, su: parent }, recLen(DOTDOT, parent));
  for (const e of d.entries) {
    const su = suFor(d, plan, c, e);
    const isDir = e.dir !== undefined;
    put({ id: e.id, extent: isDir ? e.dir!.extent : e.file!.extent, size: isDir ? e.dir!.size : e.file!.node.data.length, date, isDir, su }, recLen(e.id, su));
  }
}

/** Exported for tests: one directory extent as its own buffer. */
export function directoryExtent(d: DirPlan, plan: IsoPlan, time: Date): Buffer {
  const out = Buffer.alloc(d.size);
  writeDirectory(out, 0, d, plan, new SuCache(plan, time), recordDate(time));
  return out;
}

/**
 * Writes everything before the first file (system area, descriptors, path tables, directories, CE area)
 * into `out`, which must be zeroed over that range.
 */
export function writeMetadataArea(out: Buffer, plan: IsoPlan, ids: VolumeIds, time: Date): void {
  const base = { ids, time, totalSectors: plan.totalSectors };
  const proot = plan.primary[0];
  const pvd: DescriptorFields = { ...base, pathTableSize: plan.pathTable.size, lPathTable: plan.pathTable.lba, mPathTable: plan.pathTable.mba, rootExtent: proot.extent, rootSize: proot.size };
  let sector = 16;
  primaryDescriptor(pvd).copy(out, sector++ * SECTOR);
  if (plan.elTorito) {
    bootRecordDescriptor(plan.elTorito.catalog).copy(out, sector++ * SECTOR);
    bootCatalog(plan.elTorito.platform, plan.elTorito.image.extent, plan.elTorito.image.node.data.length).copy(out, plan.elTorito.catalog * SECTOR);
  }
  if (plan.joliet) {
    const jroot = plan.jolietDirs[0];
    const jt = plan.jolietPathTable;
    jolietDescriptor({ ...base, pathTableSize: jt.size, lPathTable: jt.lba, mPathTable: jt.mba, rootExtent: jroot.extent, rootSize: jroot.size }).copy(out, sector++ * SECTOR);
  }
  terminator().copy(out, sector * SECTOR);
  writePathTable(out, plan.pathTable.lba * SECTOR, plan.primary, false);
  writePathTable(out, plan.pathTable.mba * SECTOR, plan.primary, true);
  if (plan.joliet) {
    writePathTable(out, plan.jolietPathTable.lba * SECTOR, plan.jolietDirs, false);
    writePathTable(out, plan.jolietPathTable.mba * SECTOR, plan.jolietDirs, true);
  }
  const cache = new SuCache(plan, time);
  const date = recordDate(time);
  for (const d of plan.primary) writeDirectory(out, d.extent * SECTOR, d, plan, cache, date);
  for (const d of plan.jolietDirs) writeDirectory(out, d.extent * SECTOR, d, plan, cache, date);
  if (plan.rockRidge) er().copy(out, plan.ceExtent * SECTOR);
}

export function metadataArea(plan: IsoPlan, ids: VolumeIds, time: Date): Buffer {
  const out = Buffer.alloc(plan.firstDataSector * SECTOR);
  writeMetadataArea(out, plan, ids, time);
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
  const ids = volumeIds(opts);
  const time = opts.time ?? new Date();
  const plan = planIso(buildTree(files, opts.dirs, opts.maxBytes ?? MAX_CONFIG_DRIVE_BYTES), opts);
  const out = Buffer.alloc(plan.totalSectors * SECTOR);
  writeMetadataArea(out, plan, ids, time);
  for (const f of plan.files) if (f.node.data.length) out.set(f.node.data, f.extent * SECTOR);
  return out;
}
