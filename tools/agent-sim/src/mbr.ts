/** MBR (DOS label) partition tables, pure: read entries and the disk id, add a primary partition. */
export interface MbrPartition {
  index: number; // 0..3
  type: number;
  startLba: number;
  sectors: number;
}

export const SECTOR = 512;

export function hasMbr(disk: Buffer): boolean {
  return disk.length >= SECTOR && disk[510] === 0x55 && disk[511] === 0xaa;
}

export function diskId(disk: Buffer): string {
  return `0x${disk.readUInt32LE(440).toString(16).padStart(8, '0')}`;
}

export function readPartitions(disk: Buffer): MbrPartition[] {
  if (!hasMbr(disk)) return [];
  const out: MbrPartition[] = [];
  for (let i = 0; i < 4; i++) {
    const off = 446 + i * 16;
    const type = disk[off + 4];
    const sectors = disk.readUInt32LE(off + 12);
    if (type === 0 || sectors === 0) continue;
    out.push({ index: i, type, startLba: disk.readUInt32LE(off + 8), sectors });
  }
  return out;
}

/** Write a partition entry into the first 512 bytes (CHS fields set to the LBA-only marker). */
export function writePartition(mbr: Buffer, p: MbrPartition): void {
  const off = 446 + p.index * 16;
  mbr[off] = 0x00;
  mbr.set([0xfe, 0xff, 0xff], off + 1);
  mbr[off + 4] = p.type;
  mbr.set([0xfe, 0xff, 0xff], off + 5);
  mbr.writeUInt32LE(p.startLba, off + 8);
  mbr.writeUInt32LE(p.sectors, off + 12);
  mbr[510] = 0x55;
  mbr[511] = 0xaa;
}

/** A fresh label with a random disk id. */
export function newMbr(id: number): Buffer {
  const b = Buffer.alloc(SECTOR);
  b.writeUInt32LE(id >>> 0, 440);
  b[510] = 0x55;
  b[511] = 0xaa;
  return b;
}
