/**
 * A file-backed disk (sparse file) and what IPA does to it: write a whole-disk image at offset 0, or lay out a
 * partition image (root, swap, ephemeral), add a config drive as the last partition at the end of the disk
 * (like IPA's create_config_drive_partition), erase metadata / devices.
 */
import { closeSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { diskId, newMbr, readPartitions, SECTOR, writePartition } from './mbr.ts';

const MiB = 1024 * 1024;

export class FileDisk {
  constructor(
    readonly path: string,
    readonly sizeBytes: number,
  ) {
    const fd = openSync(path, 'a+');
    try {
      ftruncateSync(fd, sizeBytes);
    } finally {
      closeSync(fd);
    }
  }

  read(offset: number, length: number): Buffer {
    const fd = openSync(this.path, 'r');
    try {
      const b = Buffer.alloc(length);
      readSync(fd, b, 0, length, offset);
      return b;
    } finally {
      closeSync(fd);
    }
  }

  write(offset: number, data: Buffer): void {
    if (offset + data.length > this.sizeBytes) throw new Error(`image of ${data.length} bytes does not fit the ${this.sizeBytes}-byte disk at ${offset}`);
    const fd = openSync(this.path, 'r+');
    try {
      for (let done = 0; done < data.length; ) done += writeSync(fd, data, done, Math.min(data.length - done, 4 * MiB), offset + done);
    } finally {
      closeSync(fd);
    }
  }

  zero(offset: number, length: number): void {
    const chunk = Buffer.alloc(Math.min(length, 4 * MiB));
    for (let done = 0; done < length; done += chunk.length) this.write(offset + done, chunk.subarray(0, Math.min(chunk.length, length - done)));
  }

  writeWholeDisk(image: Buffer): string {
    this.write(0, image);
    return diskId(this.read(0, SECTOR));
  }

  /** Partition image: p1 root (root_mb), p2 swap, p3 ephemeral; the root image goes into p1. Returns a root "uuid". */
  writePartitionImage(image: Buffer, layout: { root_mb: number; swap_mb?: number; ephemeral_mb?: number }): string {
    const mbr = newMbr(Number.parseInt(createHash('md5').update(this.path).digest('hex').slice(0, 8), 16));
    let lba = 2048;
    const add = (index: number, type: number, mb: number) => {
      const sectors = (mb * MiB) / SECTOR;
      writePartition(mbr, { index, type, startLba: lba, sectors });
      const start = lba;
      lba += sectors;
      return start;
    };
    const rootStart = add(0, 0x83, layout.root_mb);
    if (layout.swap_mb) add(1, 0x82, layout.swap_mb);
    if (layout.ephemeral_mb) add(2, 0x83, layout.ephemeral_mb);
    if (lba * SECTOR > this.sizeBytes) throw new Error('the partition layout does not fit the disk');
    this.write(0, mbr);
    this.write(rootStart * SECTOR, image);
    const h = createHash('sha256').update(image).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  }

  /** Config drive as the last primary partition, at the end of the disk (≤ 64 MiB). Returns its partition number. */
  writeConfigDrive(iso: Buffer): number {
    const mbr = this.read(0, SECTOR);
    const used = readPartitions(mbr);
    const free = [0, 1, 2, 3].find((i) => !used.some((p) => p.index === i) && used.every((p) => p.index < i));
    if (free === undefined) throw new Error('no free primary partition slot for the config drive');
    const sectors = Math.ceil(Math.max(iso.length, 64 * SECTOR) / SECTOR);
    const startLba = Math.floor(this.sizeBytes / SECTOR) - sectors - 2048;
    const end = used.reduce((m, p) => Math.max(m, p.startLba + p.sectors), 0);
    if (startLba < end) throw new Error('no room at the end of the disk for the config drive');
    if (mbr[510] !== 0x55) mbr.set(newMbr(0x12345678));
    writePartition(mbr, { index: free, type: 0x83, startLba, sectors });
    this.write(0, mbr);
    this.zero(startLba * SECTOR, sectors * SECTOR);
    this.write(startLba * SECTOR, iso);
    return free + 1;
  }

  /** erase_devices_metadata: wipe the partition table and the first/last MiB (signatures). */
  eraseMetadata(): void {
    this.zero(0, MiB);
    this.zero(this.sizeBytes - MiB, MiB);
  }
}
