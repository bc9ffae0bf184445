/**
 * The source tree of a drive: validated file paths and contents, shared by the ISO9660 and VFAT writers.
 * Rejects what no writer can hold faithfully: names that are not UTF-8, empty/`.`/`..` components,
 * control characters, duplicate paths and file/directory clashes.
 */
import { ConfigDriveTooLarge, InvalidConfigDrive, MAX_CONFIG_DRIVE_BYTES } from './errors.ts';

export interface DriveFile {
  /** `/`-separated path relative to the drive root, e.g. `openstack/latest/meta_data.json`. Bytes must be UTF-8. */
  path: string | Uint8Array;
  data: Uint8Array | string;
  /** POSIX permission bits for Rock Ridge (default 0o444, like `genisoimage -r`). */
  mode?: number;
}

export interface FileNode {
  kind: 'file';
  name: string;
  data: Uint8Array;
  mode: number;
  parent: DirNode;
}

export interface DirNode {
  kind: 'dir';
  name: string;
  children: Map<string, TreeNode>;
  parent: DirNode | null;
}

export type TreeNode = FileNode | DirNode;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Decodes and checks one path; returns its components. */
export function splitPath(raw: string | Uint8Array): string[] {
  let path: string;
  if (typeof raw === 'string') {
    if (LONE_SURROGATE.test(raw)) throw new InvalidConfigDrive(`file name is not valid UTF-8 (lone surrogate): ${JSON.stringify(raw)}`);
    path = raw;
  } else {
    try {
      path = utf8.decode(raw);
    } catch {
      throw new InvalidConfigDrive(`file name is not valid UTF-8: bytes ${hex(raw)}`);
    }
  }
  const parts = path.replace(/^\/+/, '').split('/');
  if (parts.length === 1 && parts[0] === '') throw new InvalidConfigDrive('empty file path');
  for (const p of parts) {
    if (p === '' || p === '.' || p === '..') throw new InvalidConfigDrive(`invalid path '${path}': empty, '.' or '..' component`);
    if (/[\u0000-\u001f\u007f]/.test(p)) throw new InvalidConfigDrive(`invalid path ${JSON.stringify(path)}: control character in name`);
  }
  return parts;
}

export function newRoot(): DirNode {
  return { kind: 'dir', name: '', children: new Map(), parent: null };
}

function ensureDir(root: DirNode, parts: string[], full: string): DirNode {
  let dir = root;
  for (const p of parts) {
    const next = dir.children.get(p);
    if (next === undefined) {
      const d: DirNode = { kind: 'dir', name: p, children: new Map(), parent: dir };
      dir.children.set(p, d);
      dir = d;
    } else if (next.kind === 'dir') {
      dir = next;
    } else {
      throw new InvalidConfigDrive(`path '${full}' conflicts with file '${pathOf(next)}'`);
    }
  }
  return dir;
}

export function pathOf(node: TreeNode): string {
  const parts: string[] = [];
  for (let n: TreeNode | null = node; n?.parent; n = n.parent) parts.unshift(n.name);
  return parts.join('/');
}

/**
 * Builds and validates the tree. `dirs` adds (possibly empty) directories. Total content is limited to
 * `maxBytes` (64 MiB by default): nothing larger can fit the config drive partition.
 */
export function buildTree(files: readonly DriveFile[], dirs: readonly string[] = [], maxBytes = MAX_CONFIG_DRIVE_BYTES): DirNode {
  const root = newRoot();
  let total = 0;
  for (const d of dirs) ensureDir(root, splitPath(d), d);
  for (const f of files) {
    const parts = splitPath(f.path);
    const full = parts.join('/');
    const name = parts.pop()!;
    const dir = ensureDir(root, parts, full);
    const existing = dir.children.get(name);
    if (existing) {
      throw new InvalidConfigDrive(existing.kind === 'file' ? `duplicate path '${full}'` : `file '${full}' conflicts with a directory of the same name`);
    }
    const data = typeof f.data === 'string' ? Buffer.from(f.data, 'utf8') : f.data;
    total += data.length;
    if (total > maxBytes) {
      throw new ConfigDriveTooLarge(`config drive content exceeds the maximum of ${maxBytes / 1048576} MiB (at '${full}')`);
    }
    dir.children.set(name, { kind: 'file', name, data, mode: f.mode ?? 0o444, parent: dir });
  }
  return root;
}
