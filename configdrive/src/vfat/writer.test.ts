import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lfnEntries } from './dirents.ts';
import { computeGeometry, setFat } from './geometry.ts';
import { exactShortName, generateShortName, lfnChecksum } from './short-names.ts';
import { buildVfat } from './writer.ts';

const T = new Date('2024-01-02T03:04:06Z');
const files = [
  { path: 'openstack/latest/meta_data.json', data: '{"uuid": "u"}' },
  { path: 'ec2/latest/user-data', data: 'hi\n' },
];

test('boot sector: BPB fields, label config-2, FAT type, signature', () => {
  const img = buildVfat(files, { time: T, serial: 0x12345678 });
  assert.equal(img.length, 1048576, 'default: smallest whole MiB');
  assert.deepEqual([...img.subarray(0, 3)], [0xeb, 0x3c, 0x90]);
  assert.equal(img.readUInt16LE(11), 512);
  assert.equal(img[16], 2, 'two FATs');
  assert.equal(img.readUInt16LE(17), 512, 'root entries');
  assert.equal(img.readUInt16LE(19), 2048, 'total sectors');
  assert.equal(img[21], 0xf8);
  assert.equal(img[38], 0x29);
  assert.equal(img.readUInt32LE(39), 0x12345678);
  assert.equal(img.toString('latin1', 43, 54), 'config-2   ');
  assert.equal(img.toString('latin1', 54, 62), 'FAT12   ');
  assert.deepEqual([...img.subarray(510, 512)], [0x55, 0xaa]);
});

test('FATs: media entry, both copies equal, chains end with EOC', () => {
  const img = buildVfat(files, { time: T });
  const fatSectors = img.readUInt16LE(22);
  const fat1 = img.subarray(512, 512 + fatSectors * 512);
  const fat2 = img.subarray(512 + fatSectors * 512, 512 + 2 * fatSectors * 512);
  assert.deepEqual(fat1, fat2);
  assert.deepEqual([...fat1.subarray(0, 3)], [0xf8, 0xff, 0xff]);
});

test('root directory: volume label entry first, then directories', () => {
  const img = buildVfat(files, { time: T });
  const fatSectors = img.readUInt16LE(22);
  const root = img.subarray((1 + 2 * fatSectors) * 512);
  assert.equal(root.toString('latin1', 0, 11), 'config-2   ');
  assert.equal(root[11], 0x08);
  assert.equal(root.toString('latin1', 32, 43), 'EC2        ');
  assert.equal(root[32 + 11], 0x10);
  assert.equal(root[32 + 12], 0x08, 'NT lower-case base flag instead of LFN');
  assert.equal(root.readUInt16LE(32 + 24), ((2024 - 1980) << 9) | (1 << 5) | 2, 'DOS date');
  assert.equal(root.readUInt16LE(32 + 22), (3 << 11) | (4 << 5) | 3, 'DOS time');
  assert.equal(root[64 + 11], 0x0f, 'openstack needs a long name');
});

test('FAT16 for a 64 MiB image (as Nova sizes it)', () => {
  const img = buildVfat(files, { time: T, sizeBytes: 64 * 1048576 });
  assert.equal(img.toString('latin1', 54, 62), 'FAT16   ');
  assert.equal(img.readUInt16LE(19), 0);
  assert.equal(img.readUInt32LE(32), 131072);
  const g = computeGeometry(64 * 1048576);
  assert.ok(g.clusters >= 4085 && g.clusters < 65525);
});

test('short names: exact 8.3, lower-case flags, ~N basis names', () => {
  assert.equal(exactShortName('README.TXT')!.raw.toString('latin1'), 'README  TXT');
  assert.equal(exactShortName('latest')!.ntFlags, 0x08);
  assert.equal(exactShortName('a.txt')!.ntFlags, 0x18);
  assert.equal(exactShortName('Mixed'), null);
  assert.equal(exactShortName('meta_data.json'), null);
  const used = new Set<string>();
  const a = generateShortName('meta_data.json', used);
  used.add(a.raw.toString('latin1'));
  const b = generateShortName('meta_data.jsonx', used);
  assert.equal(a.raw.toString('latin1'), 'META_D~1JSO');
  assert.equal(b.raw.toString('latin1'), 'META_D~2JSO');
  assert.ok(a.needsLfn);
});

test('LFN entries: order, sequence flags, checksum, UCS-2 padding', () => {
  const short = generateShortName('network_data.json', new Set());
  const e = lfnEntries('network_data.json', short, 'x');
  assert.equal(e.length, 2);
  assert.equal(e[0][0], 0x42);
  assert.equal(e[1][0], 0x01);
  assert.equal(e[0][13], lfnChecksum(short.raw));
  assert.equal(e[1].toString('utf16le', 1, 11), 'netwo');
  assert.equal(e[0].readUInt16LE(1 + 8), 0, 'terminator after the 17th character');
  assert.equal(e[0].readUInt16LE(30), 0xffff, 'then 0xFFFF padding');
  // checksum of "FOO     BAR" computed by hand with the rotate-right-and-add rule.
  let sum = 0;
  for (const c of Buffer.from('FOO     BAR')) sum = (((sum & 1) << 7) + (sum >> 1) + c) & 0xff;
  assert.equal(lfnChecksum(Buffer.from('FOO     BAR')), sum);
});

test('FAT12 packing of odd and even entries', () => {
  const fat = Buffer.alloc(8);
  setFat(fat, 12, 2, 0xabc);
  setFat(fat, 12, 3, 0x123);
  assert.deepEqual([...fat.subarray(3, 6)], [0xbc, 0x3a, 0x12]);
});

test('deterministic with fixed time; rejects oversize and bad labels', () => {
  assert.deepEqual(buildVfat(files, { time: T }), buildVfat(files, { time: T }));
  assert.throws(() => buildVfat(files, { time: T, sizeBytes: 65 * 1048576 }), /maximum of 64 MiB/);
  assert.throws(() => buildVfat(files, { time: T, label: 'a-label-too-long' }), /does not fit/);
});
