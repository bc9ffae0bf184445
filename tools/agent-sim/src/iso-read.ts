/**
 * Reads files out of an ISO9660 image the way firmware booting a CD finds them (pure): the primary volume
 * descriptor's root, then directory records down the path. Names compare without the ";1" version, a trailing
 * "." and case, so a primary-namespace "VMLINUZ.;1" is "vmlinuz". Also tells whether the image has an El Torito
 * boot record. Enough for the simulated machine; not a general ISO reader.
 */
const SECTOR = 2048;

function norm(id: string): string {
  return id.replace(/;\d+$/, '').replace(/\.$/, '').toLowerCase();
}

interface Rec {
  name: string;
  extent: number;
  size: number;
  dir: boolean;
}

function records(iso: Buffer, extent: number, size: number): Rec[] {
  const out: Rec[] = [];
  for (let s = 0; s * SECTOR < size; s++) {
    const base = (extent + s) * SECTOR;
    for (let o = 0; o < SECTOR && base + o < iso.length; ) {
      const len = iso[base + o];
      if (len === 0) break;
      const idLen = iso[base + o + 32];
      const id = iso.subarray(base + o + 33, base + o + 33 + idLen);
      if (!(idLen === 1 && (id[0] === 0 || id[0] === 1))) {
        out.push({ name: norm(id.toString('latin1')), extent: iso.readUInt32LE(base + o + 2), size: iso.readUInt32LE(base + o + 10), dir: (iso[base + o + 25] & 2) !== 0 });
      }
      o += len;
    }
  }
  return out;
}

/** A file's bytes by path ('boot/grub/grub.cfg'), or null. */
export function isoFile(iso: Buffer, path: string): Buffer | null {
  if (iso.length < 17 * SECTOR || iso.subarray(16 * SECTOR + 1, 16 * SECTOR + 6).toString('latin1') !== 'CD001') return null;
  const pvd = 16 * SECTOR;
  let cur: Rec = { name: '', extent: iso.readUInt32LE(pvd + 156 + 2), size: iso.readUInt32LE(pvd + 156 + 10), dir: true };
  for (const part of path.split('/').filter(Boolean)) {
    if (!cur.dir) return null;
    const next = records(iso, cur.extent, cur.size).find((r) => r.name === part.toLowerCase());
    if (!next) return null;
    cur = next;
  }
  return cur.dir ? null : iso.subarray(cur.extent * SECTOR, cur.extent * SECTOR + cur.size);
}

/** Whether a boot record volume descriptor ("EL TORITO SPECIFICATION") follows the primary one. */
export function isElTorito(iso: Buffer): boolean {
  for (let s = 17; s < 32 && (s + 1) * SECTOR <= iso.length; s++) {
    const b = iso.subarray(s * SECTOR, (s + 1) * SECTOR);
    if (b.subarray(1, 6).toString('latin1') !== 'CD001') return false;
    if (b[0] === 255) return false;
    if (b[0] === 0 && b.subarray(7, 30).toString('latin1') === 'EL TORITO SPECIFICATION') return true;
  }
  return false;
}
