/**
 * File identifiers for the two ISO9660 namespaces:
 *  - primary (ECMA-119) names as `genisoimage -l -allow-lowercase -allow-multidot -ldots` writes them
 *    (what Nova and openstacksdk ask for): up to 31 characters of [A-Za-z0-9_.], files always carry a
 *    `.` separator and `;1`;
 *  - Joliet names: the real name in UCS-2, at most 64 characters, files get `;1`.
 * Rock Ridge NM entries carry the real UTF-8 name, so these only matter to readers without RR/Joliet.
 */
import { InvalidConfigDrive } from '../errors.ts';

export const PRIMARY_MAX = 31;
export const JOLIET_MAX = 64;

function splitExt(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? [name.slice(0, dot), name.slice(dot + 1)] : [name, ''];
}

/** Replaces every character outside [A-Za-z0-9_.] with one '_' per UTF-8 byte, as genisoimage does. */
function cleanPrimary(s: string): string {
  return s.replace(/[^A-Za-z0-9_.]/gu, (c) => '_'.repeat(Buffer.byteLength(c)));
}

/**
 * Primary identifiers for the children of one directory, unique within it. Names are assigned in
 * descending name order, so on a clash the later name keeps the plain form and the earlier one gets a
 * numbered one, as genisoimage resolves it.
 */
export function primaryNames(children: readonly { name: string; isDir: boolean }[]): string[] {
  const used = new Set<string>();
  const out: string[] = new Array(children.length);
  const order = children.map((_, i) => i).sort((a, b) => (children[a].name < children[b].name ? 1 : children[a].name > children[b].name ? -1 : 0));
  for (const i of order) {
    const { name, isDir } = children[i];
    let base: string;
    let ext = '';
    if (isDir) {
      base = cleanPrimary(name);
    } else {
      const dot = name.lastIndexOf('.');
      base = cleanPrimary(dot >= 0 ? name.slice(0, dot) : name);
      ext = cleanPrimary(dot >= 0 ? name.slice(dot + 1) : '').slice(0, PRIMARY_MAX - 2);
    }
    const room = isDir ? PRIMARY_MAX : PRIMARY_MAX - 1 - ext.length;
    const fit = (b: string) => (isDir ? b.slice(0, room) : `${b.slice(0, room)}.${ext}`);
    let id = fit(base);
    for (let n = 0; used.has(id.toUpperCase()); n++) {
      const tag = String(n).padStart(3, '0');
      id = fit(base.slice(0, Math.max(0, Math.min(base.length, room - tag.length))) + tag);
    }
    used.add(id.toUpperCase());
    out[i] = isDir ? id : `${id};1`;
  }
  return out;
}

/** Joliet identifiers; a name longer than 64 UCS-2 characters does not fit and is an error. */
export function jolietNames(children: readonly { name: string }[], pathAt: (i: number) => string): string[] {
  const used = new Set<string>();
  return children.map(({ name }, i) => {
    const path = name.length > JOLIET_MAX || /[*/:;?\\]/.test(name) ? pathAt(i) : name;
    if (name.length > JOLIET_MAX) {
      throw new InvalidConfigDrive(`file name '${path}' does not fit: Joliet names are at most ${JOLIET_MAX} characters, this one has ${name.length}`);
    }
    const id = name.replace(/[*/:;?\\]/g, '_');
    if (used.has(id)) throw new InvalidConfigDrive(`file name '${path}' clashes with another name in its directory once mapped to Joliet ('${id}')`);
    used.add(id);
    return id;
  });
}

/** Sort key for ECMA-119 9.3 ordering: name part, extension, version (descending). */
export interface IdKey {
  base: string;
  ext: string;
  version: number;
}

export function idKey(id: string): IdKey {
  const semi = id.indexOf(';');
  const name = semi < 0 ? id : id.slice(0, semi);
  const [base, ext] = splitExt(name);
  return { base, ext, version: semi < 0 ? 0 : Number(id.slice(semi + 1)) };
}

/**
 * ECMA-119 9.3 ordering. The standard pads the shorter part with spaces; every character we emit sorts
 * above the space, so that is plain ordinal comparison of name part, then extension.
 */
export function compareKeys(a: IdKey, b: IdKey): number {
  if (a.base !== b.base) return a.base < b.base ? -1 : 1;
  if (a.ext !== b.ext) return a.ext < b.ext ? -1 : 1;
  return b.version - a.version;
}

export function compareIds(a: string, b: string): number {
  return compareKeys(idKey(a), idKey(b));
}
