/**
 * FAT12/FAT16 geometry and boot sector (BPB) for a config drive image: 512-byte sectors, one reserved
 * sector, two FATs, a 512-entry root directory, cluster size chosen so the cluster count fits FAT16.
 */
import { InvalidConfigDrive } from '../errors.ts';

export const SECTOR = 512;
export const RESERVED = 1;
export const NUM_FATS = 2;
export const ROOT_ENTRIES = 512;
export const ROOT_SECTORS = (ROOT_ENTRIES * 32) / SECTOR;
export const MEDIA = 0xf8;

export interface Geometry {
  totalSectors: number;
  sectorsPerCluster: number;
  fatSectors: number;
  fatBits: 12 | 16;
  clusters: number;
  rootStart: number;
  dataStart: number;
  clusterBytes: number;
}

export function computeGeometry(sizeBytes: number): Geometry {
  const totalSectors = Math.floor(sizeBytes / SECTOR);
  if (totalSectors < 64) throw new InvalidConfigDrive(`VFAT image of ${sizeBytes} bytes is too small`);
  for (let spc = 1; spc <= 64; spc *= 2) {
    let fatSectors = 1;
    for (;;) {
      const clusters = Math.floor((totalSectors - RESERVED - ROOT_SECTORS - NUM_FATS * fatSectors) / spc);
      const fatBits = clusters < 4085 ? 12 : 16;
      const need = Math.ceil(((clusters + 2) * fatBits) / 8 / SECTOR);
      if (need <= fatSectors) {
        if (clusters >= 65525) break; // would be FAT32: try a bigger cluster
        const rootStart = RESERVED + NUM_FATS * fatSectors;
        return { totalSectors, sectorsPerCluster: spc, fatSectors, fatBits, clusters, rootStart, dataStart: rootStart + ROOT_SECTORS, clusterBytes: spc * SECTOR };
      }
      fatSectors = need;
    }
  }
  throw new InvalidConfigDrive(`VFAT image of ${sizeBytes} bytes is too large for FAT16`);
}

/** 11-byte label field: the label as given (mkfs.vfat -n keeps lower case), space padded. */
export function labelField(label: string): Buffer {
  if (label.length > 11 || !/^[\x20-\x7e]*$/.test(label)) throw new InvalidConfigDrive(`VFAT label '${label}' does not fit: at most 11 printable ASCII characters`);
  const b = Buffer.alloc(11, 0x20);
  b.write(label, 0, 'latin1');
  return b;
}

export function bootSector(g: Geometry, label: string, serial: number): Buffer {
  const b = Buffer.alloc(SECTOR);
  b[0] = 0xeb;
  b[1] = 0x3c;
  b[2] = 0x90;
  b.write('MSWIN4.1', 3, 'latin1');
  b.writeUInt16LE(SECTOR, 11);
  b[13] = g.sectorsPerCluster;
  b.writeUInt16LE(RESERVED, 14);
  b[16] = NUM_FATS;
  b.writeUInt16LE(ROOT_ENTRIES, 17);
  b.writeUInt16LE(g.totalSectors < 0x10000 ? g.totalSectors : 0, 19);
  b[21] = MEDIA;
  b.writeUInt16LE(g.fatSectors, 22);
  b.writeUInt16LE(32, 24); // sectors per track
  b.writeUInt16LE(64, 26); // heads
  b.writeUInt32LE(0, 28); // hidden sectors
  b.writeUInt32LE(g.totalSectors < 0x10000 ? 0 : g.totalSectors, 32);
  b[36] = 0x80; // drive number
  b[38] = 0x29; // extended boot signature
  b.writeUInt32LE(serial >>> 0, 39);
  labelField(label).copy(b, 43);
  b.write(g.fatBits === 12 ? 'FAT12   ' : 'FAT16   ', 54, 'latin1');
  b[62] = 0xf4; // hlt: not bootable
  b[63] = 0xeb;
  b[64] = 0xfd; // jmp back to hlt
  b[510] = 0x55;
  b[511] = 0xaa;
  return b;
}

/** Writes FAT entry `n` = `value` into one FAT. */
export function setFat(fat: Buffer, bits: 12 | 16, n: number, value: number): void {
  if (bits === 16) {
    fat.writeUInt16LE(value & 0xffff, n * 2);
    return;
  }
  const off = Math.floor((n * 3) / 2);
  const v = value & 0xfff;
  if (n % 2 === 0) {
    fat[off] = v & 0xff;
    fat[off + 1] = (fat[off + 1] & 0xf0) | (v >> 8);
  } else {
    fat[off] = (fat[off] & 0x0f) | ((v & 0x0f) << 4);
    fat[off + 1] = v >> 4;
  }
}
