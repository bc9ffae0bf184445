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
  /** 7-byte recording date (bytes.dirDate). */
  date: Buffer;
  isDir: boolean;
  /** System use entries, written one after the other. */
  su?: readonly Buffer[];
}

/** Writes a directory record at `off` in `out` (which must be zeroed there); returns its length. */
export function writeDirRecord(out: Buffer, off: number, f: RecordFields): number {
  let suLen = 0;
  if (f.su) for (const e of f.su) suLen += e.length;
  const len = recordLength(f.id.length, suLen);
  if (len > 255) throw new RangeError(`directory record of ${len} bytes exceeds 255`);
  out[off] = len;
  both32(out, off + 2, f.extent);
  both32(out, off + 10, f.size);
  f.date.copy(out, off + 18);
  out[off + 25] = f.isDir ? FLAG_DIRECTORY : 0;
  both16(out, off + 28, 1); // volume sequence number
  out[off + 32] = f.id.length;
  f.id.copy(out, off + 33);
  let p = off + 33 + f.id.length + (f.id.length % 2 === 0 ? 1 : 0);
  if (f.su) for (const e of f.su) p += e.copy(out, p);
  return len;
}

export function dirRecord(f: RecordFields): Buffer {
  let suLen = 0;
  if (f.su) for (const e of f.su) suLen += e.length;
  const b = Buffer.alloc(recordLength(f.id.length, suLen));
  writeDirRecord(b, 0, f);
  return b;
}

/** The 7-byte recording date of `d`. */
export function recordDate(d: Date): Buffer {
  const b = Buffer.alloc(7);
  dirDate(b, 0, d);
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
