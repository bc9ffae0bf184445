/** FAT directory entries (32 bytes each): short entries, VFAT long-name entries, DOS dates. */
import { InvalidConfigDrive } from '../errors.ts';
import { type ShortName, lfnChecksum } from './short-names.ts';

export const ATTR_READ_ONLY = 0x01;
export const ATTR_VOLUME_ID = 0x08;
export const ATTR_DIRECTORY = 0x10;
export const ATTR_ARCHIVE = 0x20;
export const ATTR_LFN = 0x0f;
export const LFN_MAX = 255;

export function dosDate(d: Date): number {
  const y = Math.min(Math.max(d.getUTCFullYear(), 1980), 2107);
  return ((y - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate();
}

export function dosTime(d: Date): number {
  return (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2);
}

export interface ShortEntry {
  raw: Buffer;
  ntFlags?: number;
  attr: number;
  cluster: number;
  size: number;
  time: Date;
}

export function shortEntry(e: ShortEntry): Buffer {
  const b = Buffer.alloc(32);
  e.raw.copy(b, 0, 0, 11);
  b[11] = e.attr;
  b[12] = e.ntFlags ?? 0;
  b[13] = 0; // creation time, tenths
  const t = dosTime(e.time);
  const d = dosDate(e.time);
  b.writeUInt16LE(t, 14);
  b.writeUInt16LE(d, 16);
  b.writeUInt16LE(d, 18); // last access date
  b.writeUInt16LE((e.cluster >>> 16) & 0xffff, 20);
  b.writeUInt16LE(t, 22);
  b.writeUInt16LE(d, 24);
  b.writeUInt16LE(e.cluster & 0xffff, 26);
  b.writeUInt32LE(e.size, 28);
  return b;
}

/** Number of long-name entries a name needs. */
export function lfnCount(name: string): number {
  return Math.ceil(name.length / 13);
}

/** Long-name entries for `name`, in on-disk order (last part first, flagged 0x40). */
export function lfnEntries(name: string, short: ShortName, path: string): Buffer[] {
  if (name.length > LFN_MAX) throw new InvalidConfigDrive(`file name '${path}' does not fit: VFAT names are at most ${LFN_MAX} characters`);
  const units: number[] = [];
  for (let i = 0; i < name.length; i++) units.push(name.charCodeAt(i));
  const count = lfnCount(name);
  if (units.length < count * 13) units.push(0);
  while (units.length < count * 13) units.push(0xffff);
  const sum = lfnChecksum(short.raw);
  const out: Buffer[] = [];
  for (let seq = count; seq >= 1; seq--) {
    const b = Buffer.alloc(32);
    b[0] = seq | (seq === count ? 0x40 : 0);
    const part = units.slice((seq - 1) * 13, seq * 13);
    for (let i = 0; i < 5; i++) b.writeUInt16LE(part[i], 1 + i * 2);
    b[11] = ATTR_LFN;
    b[12] = 0;
    b[13] = sum;
    for (let i = 0; i < 6; i++) b.writeUInt16LE(part[5 + i], 14 + i * 2);
    b.writeUInt16LE(0, 26);
    for (let i = 0; i < 2; i++) b.writeUInt16LE(part[11 + i], 28 + i * 2);
    out.push(b);
  }
  return out;
}
