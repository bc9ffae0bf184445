/** Low-level field encoders used by the ISO9660 structures (ECMA-119 §7). */

/** ECMA-119 7.2.3: 16-bit both-byte-order (little endian then big endian). */
export function both16(buf: Buffer, off: number, v: number): void {
  buf.writeUInt16LE(v, off);
  buf.writeUInt16BE(v, off + 2);
}

/** ECMA-119 7.3.3: 32-bit both-byte-order. */
export function both32(buf: Buffer, off: number, v: number): void {
  buf.writeUInt32LE(v >>> 0, off);
  buf.writeUInt32BE(v >>> 0, off + 4);
}

/** Writes `s` as ASCII into a fixed field padded with spaces (a-/d-characters fields). */
export function asciiField(buf: Buffer, off: number, len: number, s: string): void {
  buf.fill(0x20, off, off + len);
  buf.write(s.slice(0, len), off, 'latin1');
}

/** Writes `s` as UCS-2 big endian into a fixed field padded with UCS-2 spaces (Joliet identifiers). */
export function ucs2Field(buf: Buffer, off: number, len: number, s: string): void {
  for (let i = 0; i + 1 < len; i += 2) buf.writeUInt16BE(0x0020, off + i);
  if (len % 2) buf[off + len - 1] = 0x20;
  const units = Math.min(s.length, Math.floor(len / 2));
  for (let i = 0; i < units; i++) buf.writeUInt16BE(s.charCodeAt(i), off + i * 2);
}

/** UCS-2 big endian bytes of a string (Joliet file identifiers). */
export function ucs2be(s: string): Buffer {
  const out = Buffer.alloc(s.length * 2);
  for (let i = 0; i < s.length; i++) out.writeUInt16BE(s.charCodeAt(i), i * 2);
  return out;
}

/** ECMA-119 9.1.5: 7-byte recording date/time (UTC, offset 0). Also Rock Ridge TF short form. */
export function dirDate(buf: Buffer, off: number, d: Date): void {
  buf[off] = d.getUTCFullYear() - 1900;
  buf[off + 1] = d.getUTCMonth() + 1;
  buf[off + 2] = d.getUTCDate();
  buf[off + 3] = d.getUTCHours();
  buf[off + 4] = d.getUTCMinutes();
  buf[off + 5] = d.getUTCSeconds();
  buf[off + 6] = 0;
}

/** ECMA-119 8.4.26.1: 17-byte volume date "YYYYMMDDHHMMSScc" + offset byte; null date = all '0' and 0. */
export function volDate(buf: Buffer, off: number, d: Date | null): void {
  if (!d) {
    buf.fill(0x30, off, off + 16);
    buf[off + 16] = 0;
    return;
  }
  const p = (n: number, w: number) => String(n).padStart(w, '0');
  const s =
    p(d.getUTCFullYear(), 4) +
    p(d.getUTCMonth() + 1, 2) +
    p(d.getUTCDate(), 2) +
    p(d.getUTCHours(), 2) +
    p(d.getUTCMinutes(), 2) +
    p(d.getUTCSeconds(), 2) +
    p(Math.floor(d.getUTCMilliseconds() / 10), 2);
  buf.write(s, off, 'latin1');
  buf[off + 16] = 0;
}

export const SECTOR = 2048;

export function sectorsFor(bytes: number): number {
  return Math.ceil(bytes / SECTOR);
}
