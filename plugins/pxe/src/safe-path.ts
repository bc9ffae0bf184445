/** Resolve a client-supplied path inside a root; null when it escapes (.., absolute elsewhere, symlink out). Pure but for realpath. */
import { realpathSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';

export function resolveInside(root: string, requested: string): string | null {
  if (requested.includes('\0')) return null;
  const rootAbs = resolve(root);
  let p = requested.replace(/\\/g, '/');
  // clients may send the full path under the root (pxelinux prefix), like tftpd's map file strips it
  if (p.startsWith(`${rootAbs}/`)) p = p.slice(rootAbs.length + 1);
  p = p.replace(/^\/+/, '');
  const target = normalize(join(rootAbs, p));
  const rel = relative(rootAbs, target);
  if (rel.startsWith('..') || isAbsolute(rel)) return null;
  try {
    const real = realpathSync(target);
    const realRoot = realpathSync(rootAbs);
    if (real !== realRoot && !real.startsWith(realRoot + sep)) return null;
    return real;
  } catch {
    return target; // not there: the caller answers "File not found"
  }
}
