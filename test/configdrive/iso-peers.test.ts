/**
 * Our ISO9660 drives against the real tools: isoinfo, xorriso, bsdtar, blkid, genisoimage, and Python's
 * base64+gzip (the way ironic-lib unpacks the API string).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildIso, buildMimeMultipart, encodeForApi, novaDriveFiles } from 'cloud-config-drive';
import { PYTHON, SAMPLE_META, SAMPLE_NETWORK, expectedTree, needTools, ok, parseIsoinfoListing, readTree, scratch, sortedEntries, writeTree } from './peers.ts';

const T = new Date('2024-05-06T07:08:09Z');
const userData = buildMimeMultipart([{ content: '#cloud-config\nhostname: web-1\n' }, { content: '#!/bin/sh\necho hello > /tmp/hi\n' }]);
const files = novaDriveFiles({
  metaData: SAMPLE_META,
  userData,
  networkData: SAMPLE_NETWORK,
  vendorData: { motd: 'hi' },
  files: [{ path: '/etc/motd', contents: 'welcome\n' }, { path: '/root/blob', contents: Buffer.alloc(70000, 0xa5) }],
  randomSeed: Buffer.alloc(512, 3),
});
const expected = expectedTree(files);

function drive(dir: string): string {
  const p = join(dir, 'drive.iso');
  writeFileSync(p, buildIso(files, { time: T, publisher: 'Anvil' }));
  return p;
}

test('isoinfo -d: label config-2, Joliet and Rock Ridge present', (t) => {
  if (!needTools(t, 'isoinfo')) return;
  const out = ok('isoinfo', ['-d', '-i', drive(scratch(t))]);
  assert.match(out, /^Volume id: config-2$/m);
  assert.match(out, /^Publisher id: Anvil$/m);
  assert.match(out, /Joliet with UCS level 3 found/);
  assert.match(out, /Rock Ridge signatures version 1 found/);
});

test('isoinfo -R -l and -J -l list every file with its name and size', (t) => {
  if (!needTools(t, 'isoinfo')) return;
  const iso = drive(scratch(t));
  const want = new Map([...expected].map(([p, d]) => [p, d.length]));
  assert.deepEqual(parseIsoinfoListing(ok('isoinfo', ['-R', '-l', '-i', iso])), want);
  assert.deepEqual(parseIsoinfoListing(ok('isoinfo', ['-J', '-l', '-i', iso])), want);
});

test('xorriso -find lists every file with size; extraction is byte-identical', (t) => {
  if (!needTools(t, 'xorriso')) return;
  const dir = scratch(t);
  const iso = drive(dir);
  const out = ok('xorriso', ['-indev', iso, '-find', '/', '-type', 'f', '-exec', 'lsdl']);
  const listed = new Map<string, number>();
  for (const m of out.matchAll(/^-r--r--r--\s+1\s+0\s+0\s+(\d+)\s+.*'\/(.*)'$/gm)) listed.set(m[2], Number(m[1]));
  assert.deepEqual(listed, new Map([...expected].map(([p, d]) => [p, d.length])));
  const r = ok('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/', join(dir, 'x')]);
  assert.doesNotMatch(r, /SORRY|FAILURE/);
  assert.deepEqual(sortedEntries(readTree(join(dir, 'x'))), sortedEntries(expected));
});

test('bsdtar extraction is byte-identical', (t) => {
  if (!needTools(t, 'bsdtar')) return;
  const dir = scratch(t);
  const iso = drive(dir);
  ok('mkdir', ['-p', join(dir, 'b')]);
  ok('bsdtar', ['-x', '-f', iso, '-C', join(dir, 'b')]);
  assert.deepEqual(sortedEntries(readTree(join(dir, 'b'))), sortedEntries(expected));
});

test('blkid: LABEL="config-2" TYPE="iso9660"', (t) => {
  if (!needTools(t, 'blkid')) return;
  const out = ok('blkid', ['-p', drive(scratch(t))]);
  assert.match(out, /LABEL="config-2"/);
  assert.match(out, /TYPE="iso9660"/);
});

test('genisoimage (Nova flags) on the same tree: same files, contents, ISO9660 and Joliet names', (t) => {
  if (!needTools(t, 'genisoimage', 'isoinfo', 'bsdtar')) return;
  const dir = scratch(t);
  const ours = drive(dir);
  writeTree(join(dir, 'src'), files);
  const theirs = join(dir, 'g.iso');
  ok('genisoimage', ['-o', theirs, '-ldots', '-allow-lowercase', '-allow-multidot', '-l', '-publisher', 'Anvil', '-quiet', '-J', '-r', '-V', 'config-2', join(dir, 'src')]);
  for (const flag of ['-R', '-J', '']) {
    const args = (iso: string) => [...(flag ? [flag] : []), '-l', '-i', iso];
    assert.deepEqual(parseIsoinfoListing(ok('isoinfo', args(ours))), parseIsoinfoListing(ok('isoinfo', args(theirs))), `isoinfo ${flag || '(primary)'} -l`);
  }
  for (const [name, iso] of [['o', ours], ['g', theirs]]) {
    ok('mkdir', ['-p', join(dir, name)]);
    ok('bsdtar', ['-x', '-f', iso, '-C', join(dir, name)]);
  }
  assert.deepEqual(sortedEntries(readTree(join(dir, 'o'))), sortedEntries(readTree(join(dir, 'g'))));
});

test('API form: Python base64 + gzip (as ironic-lib) gives back our ISO byte for byte', (t) => {
  if (!needTools(t, PYTHON)) return;
  const iso = buildIso(files, { time: T });
  const out = ok(PYTHON, ['-c', 'import base64,gzip,sys,hashlib; print(hashlib.sha256(gzip.decompress(base64.b64decode(sys.stdin.read()))).hexdigest())'], { input: encodeForApi(iso) });
  assert.equal(out.trim(), createHash('sha256').update(iso).digest('hex'));
});

test('genisoimage and we name awkward files alike in all three namespaces', (t) => {
  if (!needTools(t, 'genisoimage', 'isoinfo')) return;
  const dir = scratch(t);
  const names = ['a.b.c.txt', '.hidden', 'noext', 'with space.txt', 'ünï.txt', 'UPPER.TXT', 'x.verylongextension', 'dir.with.dots/f', 'sp ace/g.json',
    'a-very-long-file-name-that-exceeds-thirty-one.json', 'a-very-long-file-name-that-exceeds-thirty-two.json', 'Mixed-Case_Name.Yaml', '0000', 'name;1', 'a*b'];
  const odd = names.map((p, i) => ({ path: p, data: `${i}\n` }));
  const ours = join(dir, 'o.iso');
  writeFileSync(ours, buildIso(odd, { time: T }));
  writeTree(join(dir, 'src'), odd);
  const theirs = join(dir, 'g.iso');
  ok('genisoimage', ['-o', theirs, '-ldots', '-allow-lowercase', '-allow-multidot', '-l', '-quiet', '-J', '-r', '-V', 'config-2', join(dir, 'src')]);
  for (const flag of ['-R', '-J', '']) {
    const args = (iso: string) => [...(flag ? [flag] : []), '-l', '-i', iso];
    assert.deepEqual(parseIsoinfoListing(ok('isoinfo', args(ours))), parseIsoinfoListing(ok('isoinfo', args(theirs))), `isoinfo ${flag || '(primary)'} -l`);
  }
});

test('El Torito (UEFI): xorriso reports the boot catalog and the EFI boot image; isoinfo still reads the tree', (t) => {
  if (!needTools(t, 'xorriso', 'isoinfo')) return;
  const dir = scratch(t);
  const iso = join(dir, 'boot.iso');
  const esp = Buffer.alloc(64 * 1024, 0x5a);
  writeFileSync(iso, buildIso([{ path: 'EFI/BOOT/efiboot.img', data: esp }, { path: 'vmlinuz', data: 'kernel' }], { time: T, volumeId: 'VMEDIA_BOOT_ISO', elTorito: { bootImage: 'EFI/BOOT/efiboot.img' } }));
  const out = ok('xorriso', ['-indev', iso, '-report_el_torito', 'plain']);
  assert.match(out, /El Torito catalog\s*:\s*\d+\s+1/);
  assert.match(out, /El Torito images\s*:\s*N\s+Pltf\s+B\s+Emul/);
  assert.match(out, /El Torito boot img\s*:\s*1\s+UEFI\s+y\s+none/);
  assert.match(ok('isoinfo', ['-d', '-i', iso]), /El Torito VD version 1 found/);
  assert.deepEqual(parseIsoinfoListing(ok('isoinfo', ['-R', '-l', '-i', iso])), new Map([['EFI/BOOT/efiboot.img', esp.length], ['vmlinuz', 6]]));
});
