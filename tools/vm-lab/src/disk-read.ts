/**
 * Reading a powered-off VM's disk from the host: its partition table (util-linux partx) and files of an ext4
 * partition (e2fsprogs debugfs, through a read-only loop device at the partition's offset; nothing is mounted).
 */
import { execFileSync } from 'node:child_process';

export interface Partition {
  nr: number;
  start: number; // sectors
  sectors: number;
  name: string;
  type: string;
}

export function partitions(disk: string): Partition[] {
  let out: string;
  try {
    out = execFileSync('partx', ['-g', '-o', 'NR,START,SECTORS,TYPE,NAME', disk], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } catch {
    return []; // no partition table
  }
  return out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [nr, start, sectors, type, ...name] = l.trim().split(/\s+/);
      return { nr: Number(nr), start: Number(start), sectors: Number(sectors), type, name: name.join(' ') };
    });
}

/** A file's content from the ext4 file system of partition `nr`, or null when it does not exist. */
export function readExt4File(disk: string, nr: number, path: string): string | null {
  const p = partitions(disk).find((x) => x.nr === nr);
  if (!p) return null;
  const loop = execFileSync('losetup', ['--show', '-r', '-f', '-o', String(p.start * 512), '--sizelimit', String(p.sectors * 512), disk]).toString().trim();
  try {
    const r = execFileSync('debugfs', ['-R', `cat ${path}`, loop], { stdio: ['ignore', 'pipe', 'pipe'] });
    return r.length ? r.toString() : null;
  } finally {
    execFileSync('losetup', ['-d', loop]);
  }
}
