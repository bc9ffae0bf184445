/** ECMA-119 directory records (§9.1) and path table records (§9.4). */
import { both16, both32, dirDate } from './bytes.ts';

export const FLAG_DIRECTORY = 0x02;

/** Byte length of a directory record with an identifier of `idLen` bytes and `suLen` bytes of system use. */
export function recordLength(idLen: number, suLen: number): number {
  const n = 33 + idLen + (idLen % 2 === 0 ? 1 : 0) + suLen;
  return n + (n % 2);
}

export interface RecordFields {
  id: Buffer; // 0x00 for ".", 0x01 for ".."
  extent: number;
  size: number;
  date: Date;
  isDir: boolean;
  su?: Buffer;
}

export function dirRecord(f: RecordFields): Buffer {
  const su = f.su ?? Buffer.alloc(0);
  const len = recordLength(f.id.length, su.length);
  if (len > 255) throw new RangeError(`directory record of ${len} bytes exceeds 255`);
  const b = Buffer.alloc(len);
  b[0] = len;
  b[1] = 0; // extended attribute record length
  both32(b, 2, f.extent);
  both32(b, 10, f.size);
  dirDate(b, 18, f.date);
  b[25] = f.isDir ? FLAG_DIRECTORY : 0;
  b[26] = 0; // file unit size
  b[27] = 0; // interleave gap
  both16(b, 28, 1); // volume sequence number
  b[32] = f.id.length;
  f.id.copy(b, 33);
  su.copy(b, 33 + f.id.length + (f.id.length % 2 === 0 ? 1 : 0));
  return b;
}

/** One path table record; `bigEndian` selects the M-type table. */
export function pathTableRecord(id: Buffer, extent: number, parent: number, bigEndian: boolean): Buffer {
  const b = Buffer.alloc(8 + id.length + (id.length % 2));
  b[0] = id.length;
  b[1] = 0;
  if (bigEndian) {
    b.writeUInt32BE(extent, 2);
    b.writeUInt16BE(parent, 6);
  } else {
    b.writeUInt32LE(extent, 2);
    b.writeUInt16LE(parent, 6);
  }
  id.copy(b, 8);
  return b;
}
