/**
 * El Torito (bootable CD-ROM format specification 1.0): the boot record volume descriptor that points at the boot
 * catalog, and the catalog itself (validation entry + default entry, no emulation). Platform 0xEF is UEFI (the boot
 * image is an EFI system partition image), 0 is x86 BIOS (the boot image is a no-emulation loader). Pure.
 */
import { InvalidConfigDrive } from '../errors.ts';
import { SECTOR } from './bytes.ts';

export interface ElToritoOptions {
  /** path inside the image of the boot image (e.g. 'EFI/BOOT/efiboot.img' or 'isolinux/isolinux.bin') */
  bootImage: string;
  /** 'efi' (platform 0xEF, the default) or 'x86' */
  platform?: 'efi' | 'x86';
}

export const PLATFORM = { x86: 0, efi: 0xef } as const;

export function bootRecordDescriptor(catalogLba: number): Buffer {
  const b = Buffer.alloc(SECTOR);
  b[0] = 0;
  b.write('CD001', 1, 'latin1');
  b[6] = 1;
  b.write('EL TORITO SPECIFICATION', 7, 'latin1');
  b.writeUInt32LE(catalogLba, 0x47);
  return b;
}

/** The boot catalog sector: validation entry (checksummed) then the bootable default entry. */
export function bootCatalog(platform: 'efi' | 'x86', imageLba: number, imageBytes: number): Buffer {
  if (imageBytes <= 0) throw new InvalidConfigDrive('El Torito boot image is empty');
  const b = Buffer.alloc(SECTOR);
  b[0] = 1; // header id
  b[1] = PLATFORM[platform];
  b.write('ANVIL', 4, 'latin1');
  b[30] = 0x55;
  b[31] = 0xaa;
  let sum = 0;
  for (let i = 0; i < 32; i += 2) sum = (sum + b.readUInt16LE(i)) & 0xffff;
  b.writeUInt16LE((0x10000 - sum) & 0xffff, 28);
  const e = 32;
  b[e] = 0x88; // bootable
  b[e + 1] = 0; // no emulation
  b.writeUInt16LE(0, e + 2); // load segment: default 0x7c0
  b[e + 4] = 0;
  // sectors (512 bytes) to load; firmware reading an EFI image takes the whole image, capped by the field
  b.writeUInt16LE(Math.min(0xffff, Math.ceil(imageBytes / 512)), e + 6);
  b.writeUInt32LE(imageLba, e + 8);
  return b;
}
