import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildIso } from 'cloud-config-drive';
import { isElTorito, isoFile } from './iso-read.ts';

test('isoFile reads files by path from an image of the ISO writer; isElTorito sees the boot record', () => {
  const big = Buffer.alloc(5000, 9);
  const iso = buildIso([{ path: 'vmlinuz', data: 'kernel' }, { path: 'EFI/BOOT/grub.cfg', data: 'cfg' }, { path: 'EFI/BOOT/efiboot.img', data: big }], { volumeId: 'X', elTorito: { bootImage: 'EFI/BOOT/efiboot.img' } });
  assert.equal(isoFile(iso, 'vmlinuz')?.toString(), 'kernel');
  assert.equal(isoFile(iso, '/EFI/BOOT/grub.cfg')?.toString(), 'cfg');
  assert.ok(isoFile(iso, 'efi/boot/efiboot.img')?.equals(big));
  assert.equal(isoFile(iso, 'nope'), null);
  assert.equal(isoFile(iso, 'EFI'), null); // a directory
  assert.equal(isoFile(Buffer.alloc(100), 'vmlinuz'), null);
  assert.ok(isElTorito(iso));
  assert.ok(!isElTorito(buildIso([{ path: 'a', data: 'b' }])));
});
