/**
 * The virtual media boot ISO (Ironic's image_utils.prepare_deploy_iso, UEFI): /vmlinuz, /initrd, a GRUB config
 * (/boot/grub/grub.cfg and EFI/BOOT/grub.cfg) whose kernel line carries the agent parameters, and an El Torito
 * UEFI boot image: the operator's ESP (`bootloader` in driver_info) or, without one, an ESP holding only the GRUB
 * config (enough for firmware that brings its own loader, e.g. the simulated machine; real UEFI needs `bootloader`).
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { buildVfat, type DriveFile, streamIso } from 'cloud-config-drive';

export interface BootIsoInput {
  kernel: Uint8Array;
  ramdisk: Uint8Array;
  /** the kernel command line (kernel_append_params + ipa-api-url + ramdisk parameters) */
  cmdline: string;
  /** an EFI system partition image (FAT) with the UEFI loader; null → one holding grub.cfg only */
  esp: Uint8Array | null;
  label?: string;
}

export function grubCfg(cmdline: string): string {
  return ['set default=boot', 'set timeout=5', 'set hidden_timeout_quiet=false', '', 'menuentry "boot_partition" {', `    linuxefi /vmlinuz ${cmdline}`, '    initrdefi /initrd', '}', ''].join('\n');
}

/** Kernel command line from its parts; values with spaces are refused (they would split the line). */
export function kernelCmdline(append: string, params: Record<string, string>): string {
  const kv = Object.entries(params).map(([k, v]) => {
    if (/\s/.test(v) || /\s/.test(k)) throw new TypeError(`kernel parameter ${k} has white space`);
    return `${k}=${v}`;
  });
  return [append.trim(), ...kv].filter(Boolean).join(' ');
}

/** Files and options of the ISO (pure). */
export function bootIsoPlan(i: BootIsoInput): { files: DriveFile[]; label: string } {
  const cfg = grubCfg(i.cmdline);
  const esp = i.esp ?? buildVfat([{ path: 'EFI/BOOT/grub.cfg', data: cfg }], { label: 'ESP', sizeBytes: 1024 * 1024 });
  return {
    label: i.label ?? 'VMEDIA_BOOT_ISO',
    files: [
      { path: 'vmlinuz', data: i.kernel },
      { path: 'initrd', data: i.ramdisk },
      { path: 'boot/grub/grub.cfg', data: cfg },
      { path: 'EFI/BOOT/grub.cfg', data: cfg },
      { path: 'EFI/BOOT/efiboot.img', data: esp },
    ],
  };
}

/** Write the ISO to `path` (atomically: a temp file renamed), streaming it sector run by sector run. */
export async function writeBootIso(path: string, i: BootIsoInput): Promise<number> {
  const { files, label } = bootIsoPlan(i);
  const iso = streamIso(files, { volumeId: label, elTorito: { bootImage: 'EFI/BOOT/efiboot.img', platform: 'efi' }, maxBytes: 8 * 1024 ** 3, publisher: 'Anvil' });
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.part${process.pid}`;
  await pipeline(Readable.from(iso.chunks()), createWriteStream(tmp));
  await rename(tmp, path);
  return iso.size;
}
