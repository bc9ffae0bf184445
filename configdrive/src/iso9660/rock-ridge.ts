/**
 * System Use Sharing Protocol (IEEE P1281) and Rock Ridge (IEEE P1282, RRIP_1991A as genisoimage writes it)
 * entries: SP, CE, ER, RR, PX, TF, NM. Each function returns the encoded entry.
 */
import { both32, dirDate } from './bytes.ts';

function entry(sig: string, body: number): Buffer {
  const b = Buffer.alloc(4 + body);
  b.write(sig, 0, 'latin1');
  b[2] = 4 + body;
  b[3] = 1; // entry version
  return b;
}

/** SP: SUSP indicator, first entry of the root directory's "." record. */
export function sp(): Buffer {
  const b = entry('SP', 3);
  b[4] = 0xbe;
  b[5] = 0xef;
  b[6] = 0; // LEN_SKP
  return b;
}

/** CE: continuation area (block, offset inside block, length). */
export function ce(block: number, offset: number, length: number): Buffer {
  const b = entry('CE', 24);
  both32(b, 4, block);
  both32(b, 12, offset);
  both32(b, 20, length);
  return b;
}

export const RRIP_ID = 'RRIP_1991A';
export const RRIP_DESCRIPTOR = 'THE ROCK RIDGE INTERCHANGE PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICS';
export const RRIP_SOURCE =
  'PLEASE CONTACT DISC PUBLISHER FOR SPECIFICATION SOURCE.  SEE PUBLISHER IDENTIFIER IN PRIMARY VOLUME DESCRIPTOR FOR CONTACT INFORMATION.';

/** ER: extensions reference naming the Rock Ridge protocol. Lives in the continuation area of the root ".". */
export function er(): Buffer {
  const b = entry('ER', 4 + RRIP_ID.length + RRIP_DESCRIPTOR.length + RRIP_SOURCE.length);
  b[4] = RRIP_ID.length;
  b[5] = RRIP_DESCRIPTOR.length;
  b[6] = RRIP_SOURCE.length;
  b[7] = 1; // extension version
  b.write(RRIP_ID + RRIP_DESCRIPTOR + RRIP_SOURCE, 8, 'latin1');
  return b;
}

/** RR flags (RRIP 1.09): which Rock Ridge entries this record carries. */
export const RR_PX = 0x01;
export const RR_NM = 0x08;
export const RR_TF = 0x80;

export function rr(flags: number): Buffer {
  const b = entry('RR', 1);
  b[4] = flags;
  return b;
}

/** PX: POSIX mode, links, uid, gid (RRIP_1991A form, 36 bytes, no serial number). */
export function px(mode: number, nlink: number, uid = 0, gid = 0): Buffer {
  const b = entry('PX', 32);
  both32(b, 4, mode);
  both32(b, 12, nlink);
  both32(b, 20, uid);
  both32(b, 28, gid);
  return b;
}

/** TF: modify, access and attribute-change times in the 7-byte form. */
export function tf(t: Date): Buffer {
  const b = entry('TF', 1 + 21);
  b[4] = 0x02 | 0x04 | 0x08;
  for (let i = 0; i < 3; i++) dirDate(b, 5 + i * 7, t);
  return b;
}

/** NM: the real (UTF-8) name. */
export function nm(name: Buffer): Buffer {
  const b = entry('NM', 1 + name.length);
  b[4] = 0;
  name.copy(b, 5);
  return b;
}

export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
