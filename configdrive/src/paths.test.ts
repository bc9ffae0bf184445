import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigDriveTooLarge, InvalidConfigDrive } from './errors.ts';
import { buildIso } from './iso9660/writer.ts';
import { buildTree } from './paths.ts';
import { buildVfat } from './vfat/writer.ts';

const bad = (files: Parameters<typeof buildTree>[0], re: RegExp, type: Function = InvalidConfigDrive) =>
  assert.throws(() => buildTree(files), (e: Error) => e instanceof type && re.test(e.message) && (e as InvalidConfigDrive).status === 400);

test('non-UTF-8 names are rejected (bytes and lone surrogates)', () => {
  bad([{ path: Buffer.from([0x61, 0xff, 0x62]), data: '' }], /not valid UTF-8: bytes 61ff62/);
  bad([{ path: 'a\ud800b', data: '' }], /not valid UTF-8/);
});

test('duplicate paths and file/directory clashes are rejected', () => {
  bad([{ path: 'a/b', data: '1' }, { path: '/a/b', data: '2' }], /duplicate path 'a\/b'/);
  bad([{ path: 'a', data: '1' }, { path: 'a/b', data: '2' }], /conflicts with file 'a'/);
  bad([{ path: 'a/b', data: '1' }, { path: 'a', data: '2' }], /conflicts with a directory/);
});

test('empty, dot and control-character components are rejected', () => {
  bad([{ path: '', data: '' }], /empty file path/);
  bad([{ path: 'a//b', data: '' }], /empty, '\.' or '\.\.'/);
  bad([{ path: 'a/../b', data: '' }], /empty, '\.' or '\.\.'/);
  bad([{ path: 'a\nb', data: '' }], /control character/);
});

test('content over 64 MiB is rejected before anything is built', () => {
  const big = Buffer.alloc(33 * 1048576);
  bad([{ path: 'a', data: big }, { path: 'b', data: big }], /exceeds the maximum of 64 MiB/, ConfigDriveTooLarge);
});

test('names that do not fit: over 64 Joliet characters, over one directory record, VFAT root full', () => {
  assert.throws(() => buildIso([{ path: `${'x'.repeat(65)}`, data: '' }]), /does not fit: Joliet names are at most 64/);
  assert.throws(() => buildIso([{ path: `${'é'.repeat(64)}`, data: '' }]), /does not fit in an ISO9660 directory record/);
  assert.ok(buildIso([{ path: `${'x'.repeat(64)}`, data: '' }]).length > 0);
  assert.throws(() => buildVfat([{ path: 'x'.repeat(256), data: '' }]), /VFAT names are at most 255/);
  const many = Array.from({ length: 600 }, (_, i) => ({ path: `f${i}`, data: '' }));
  assert.throws(() => buildVfat(many), /too many names in the VFAT root/);
});

test('an image over 64 MiB is refused (ISO)', () => {
  const f = Buffer.alloc(64 * 1048576 - 1000);
  assert.throws(() => buildIso([{ path: 'a', data: f }]), (e: Error) => e instanceof ConfigDriveTooLarge && /over the maximum of 64 MiB/.test(e.message));
});
