/**
 * FAT 8.3 short names for long names (the Windows/Linux "basis name + ~N" scheme), the NT lower-case
 * flags that let an all-lower-case 8.3 name go without long-name entries, and the LFN checksum.
 */
const SHORT_OK = /^[A-Z0-9!#$%&'()\-@^_`{}~]$/;

export const NT_LOWER_BASE = 0x08;
export const NT_LOWER_EXT = 0x10;

export interface ShortName {
  /** 11 bytes: 8 name + 3 extension, space padded. */
  raw: Buffer;
  /** Byte 12 of the entry (NT case flags). */
  ntFlags: number;
  /** Whether long-name entries are needed to carry the real name. */
  needsLfn: boolean;
}

function pad83(base: string, ext: string): Buffer {
  const b = Buffer.alloc(11, 0x20);
  b.write(base, 0, 'latin1');
  b.write(ext, 8, 'latin1');
  if (b[0] === 0xe5) b[0] = 0x05;
  return b;
}

function validPart(s: string, max: number): boolean {
  return s.length > 0 && s.length <= max && [...s].every((c) => SHORT_OK.test(c.toUpperCase()));
}

function caseOf(s: string): 'upper' | 'lower' | 'mixed' | 'none' {
  const up = s !== s.toLowerCase();
  const low = s !== s.toUpperCase();
  return up && low ? 'mixed' : up ? 'upper' : low ? 'lower' : 'none';
}

/** If `name` is already a valid 8.3 name (each part in one case), its short form without LFN entries. */
export function exactShortName(name: string): ShortName | null {
  const dot = name.lastIndexOf('.');
  const base = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot + 1) : '';
  if (dot === 0 || (dot > 0 && ext === '') || !validPart(base, 8) || (ext !== '' && !validPart(ext, 3))) return null;
  const bc = caseOf(base);
  const ec = caseOf(ext);
  if (bc === 'mixed' || ec === 'mixed') return null;
  const ntFlags = (bc === 'lower' ? NT_LOWER_BASE : 0) | (ec === 'lower' ? NT_LOWER_EXT : 0);
  return { raw: pad83(base.toUpperCase(), ext.toUpperCase()), ntFlags, needsLfn: false };
}

function clean(s: string): string {
  return [...s.toUpperCase()]
    .filter((c) => c !== ' ' && c !== '.')
    .map((c) => (SHORT_OK.test(c) ? c : '_'))
    .join('');
}

/** A unique short name for `name` in a directory whose used short names (11-byte latin1 strings) are `used`. */
export function generateShortName(name: string, used: Set<string>): ShortName {
  const exact = exactShortName(name);
  if (exact && !used.has(exact.raw.toString('latin1'))) return exact;
  const dot = name.lastIndexOf('.');
  const base = clean(dot > 0 ? name.slice(0, dot) : name) || '_';
  const ext = dot > 0 ? clean(name.slice(dot + 1)).slice(0, 3) : '';
  for (let n = 1; n < 1_000_000; n++) {
    const tail = `~${n}`;
    const raw = pad83(base.slice(0, 8 - tail.length) + tail, ext);
    if (!used.has(raw.toString('latin1'))) return { raw, ntFlags: 0, needsLfn: true };
  }
  throw new Error('no free short name');
}

/** Checksum of an 11-byte short name, stored in each of its long-name entries. */
export function lfnChecksum(raw: Buffer): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum = (((sum & 1) << 7) + (sum >> 1) + raw[i]) & 0xff;
  return sum;
}
