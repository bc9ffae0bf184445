/** Reads files out of an ISO9660 image with the system's isoinfo (genisoimage), Rock Ridge names. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function readIso(image: Buffer) {
  const dir = mkdtempSync(join(tmpdir(), 'nova-iso-'));
  const file = join(dir, 'cd.iso');
  writeFileSync(file, image);
  return {
    file: (path: string) => execFileSync('isoinfo', ['-i', file, '-R', '-x', path]),
    label: () => /Volume id: (.*)/.exec(execFileSync('isoinfo', ['-d', '-i', file]).toString())?.[1].trim(),
    list: () => execFileSync('isoinfo', ['-i', file, '-R', '-f']).toString().split('\n').filter(Boolean),
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
