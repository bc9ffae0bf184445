/** Our VFAT drives against dosfstools (fsck.vfat), mtools (mdir, mcopy) and blkid. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildVfat, novaDriveFiles } from 'cloud-config-drive';
import { SAMPLE_META, SAMPLE_NETWORK, expectedTree, needTools, ok, readTree, run, scratch, sortedEntries } from './peers.ts';

const T = new Date('2024-05-06T07:08:10Z');
const files = novaDriveFiles({
  metaData: SAMPLE_META,
  userData: '#cloud-config\nhostname: web-1\n',
  networkData: SAMPLE_NETWORK,
  files: [{ path: '/etc/motd', contents: 'welcome\n' }, { path: '/root/blob', contents: Buffer.alloc(70000, 0x5a) }],
  randomSeed: Buffer.alloc(512, 4),
});
const extra = [
  { path: 'long/A name with spaces and ÜTF-8 é.txt', data: 'x' },
  { path: 'long/MiXeD.Case', data: 'y' },
  { path: 'long/README.TXT', data: 'z' },
  { path: 'long/empty', data: '' },
];
const all = [...files, ...extra];
const expected = expectedTree(all);

for (const [what, sizeBytes] of [['compact FAT12', undefined], ['64 MiB FAT16', 64 * 1048576]] as const) {
  test(`fsck.vfat -n accepts the ${what} image; blkid sees LABEL="config-2" TYPE="vfat"`, (t) => {
    if (!needTools(t, 'fsck.vfat', 'blkid')) return;
    const img = join(scratch(t), 'd.img');
    writeFileSync(img, buildVfat(all, { time: T, sizeBytes }));
    const r = run('fsck.vfat', ['-n', '-V', img]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const dirs = new Set([...expected.keys()].flatMap((p) => p.split('/').slice(0, -1).map((_, i, a) => a.slice(0, i + 1).join('/'))));
    assert.match(r.stdout, new RegExp(`: ${expected.size + dirs.size + 1} files`), 'every file and directory, plus the volume label entry');
    const b = ok('blkid', ['-p', img]);
    assert.match(b, /LABEL="config-2"/);
    assert.match(b, /TYPE="vfat"/);
  });

  test(`mdir lists and mcopy extracts the ${what} image byte for byte`, (t) => {
    if (!needTools(t, 'mdir', 'mcopy')) return;
    const dir = scratch(t);
    const img = join(dir, 'd.img');
    writeFileSync(img, buildVfat(all, { time: T, sizeBytes }));
    const listing = ok('mdir', ['-i', img, '-/', '-b', '::']);
    const listed = new Set(listing.split('\n').filter((l) => l && !l.endsWith('/')).map((l) => l.replace(/^::\//, '')));
    assert.deepEqual([...listed].sort(), [...expected.keys()].sort());
    assert.match(ok('mdir', ['-i', img, '::']), /Volume in drive : is config-2/);
    ok('mkdir', ['-p', join(dir, 'x')]);
    ok('mcopy', ['-s', '-n', '-i', img, '::/ec2', '::/openstack', '::/long', join(dir, 'x')]);
    assert.deepEqual(sortedEntries(readTree(join(dir, 'x'))), sortedEntries(expected));
  });
}
