/**
 * TFTP packets (RFC 1350) with option negotiation (RFC 2347 OACK, RFC 2348 blksize, RFC 2349 timeout/tsize). Pure.
 */
export const OP = { RRQ: 1, WRQ: 2, DATA: 3, ACK: 4, ERROR: 5, OACK: 6 } as const;
export const ERR = { NOT_DEFINED: 0, NOT_FOUND: 1, ACCESS: 2, DISK_FULL: 3, ILLEGAL_OP: 4, UNKNOWN_TID: 5, EXISTS: 6, NO_USER: 7, OPTION: 8 } as const;

export type Packet =
  | { op: 1 | 2; filename: string; mode: string; options: Record<string, string> }
  | { op: 3; block: number; data: Buffer }
  | { op: 4; block: number }
  | { op: 5; code: number; message: string }
  | { op: 6; options: Record<string, string> };

export class TftpDecodeError extends Error {}

function strings(buf: Buffer, from: number): string[] {
  const out: string[] = [];
  let start = from;
  for (let i = from; i < buf.length; i++) {
    if (buf[i] === 0) {
      out.push(buf.subarray(start, i).toString('latin1'));
      start = i + 1;
    }
  }
  if (start !== buf.length) throw new TftpDecodeError('unterminated string');
  return out;
}

export function decode(buf: Buffer): Packet {
  if (buf.length < 4) throw new TftpDecodeError('packet too short');
  const op = buf.readUInt16BE(0);
  switch (op) {
    case OP.RRQ:
    case OP.WRQ: {
      const s = strings(buf, 2);
      if (s.length < 2 || s.length % 2 !== 0) throw new TftpDecodeError('malformed request');
      const options: Record<string, string> = {};
      for (let i = 2; i < s.length; i += 2) options[s[i].toLowerCase()] = s[i + 1];
      return { op, filename: s[0], mode: s[1].toLowerCase(), options };
    }
    case OP.DATA:
      return { op, block: buf.readUInt16BE(2), data: buf.subarray(4) };
    case OP.ACK:
      return { op, block: buf.readUInt16BE(2) };
    case OP.ERROR: {
      const end = buf.indexOf(0, 4);
      return { op, code: buf.readUInt16BE(2), message: buf.subarray(4, end < 0 ? buf.length : end).toString('latin1') };
    }
    case OP.OACK: {
      const s = strings(buf, 2);
      const options: Record<string, string> = {};
      for (let i = 0; i + 1 < s.length; i += 2) options[s[i].toLowerCase()] = s[i + 1];
      return { op, options };
    }
    default:
      throw new TftpDecodeError(`unknown opcode ${op}`);
  }
}

const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
const z = (s: string) => Buffer.concat([Buffer.from(s, 'latin1'), Buffer.alloc(1)]);

export const encodeData = (block: number, data: Buffer) => Buffer.concat([u16(OP.DATA), u16(block & 0xffff), data]);
export const encodeAck = (block: number) => Buffer.concat([u16(OP.ACK), u16(block & 0xffff)]);
export const encodeError = (code: number, message: string) => Buffer.concat([u16(OP.ERROR), u16(code), z(message)]);
export const encodeOack = (options: Record<string, string>) =>
  Buffer.concat([u16(OP.OACK), ...Object.entries(options).flatMap(([k, v]) => [z(k), z(v)])]);
export const encodeRrq = (filename: string, mode = 'octet', options: Record<string, string> = {}) =>
  Buffer.concat([u16(OP.RRQ), z(filename), z(mode), ...Object.entries(options).flatMap(([k, v]) => [z(k), z(v)])]);

/** Options the server accepts for a read of `size` bytes (RFC 2348 blksize 8..65464, RFC 2349 timeout 1..255, tsize). */
export function negotiate(requested: Record<string, string>, size: number): { accepted: Record<string, string>; blksize: number; timeoutSec: number | null } {
  const accepted: Record<string, string> = {};
  let blksize = 512;
  let timeoutSec: number | null = null;
  if (requested.blksize !== undefined) {
    const n = Number.parseInt(requested.blksize, 10);
    if (Number.isFinite(n) && n >= 8) {
      blksize = Math.min(n, 65464);
      accepted.blksize = String(blksize);
    }
  }
  if (requested.timeout !== undefined) {
    const n = Number.parseInt(requested.timeout, 10);
    if (Number.isFinite(n) && n >= 1 && n <= 255) {
      timeoutSec = n;
      accepted.timeout = String(n);
    }
  }
  if (requested.tsize !== undefined) accepted.tsize = String(size);
  return { accepted, blksize, timeoutSec };
}
