/**
 * PXE configs (pure), in the shape of Ironic's pxe_config.template (pxelinux, BIOS), pxe_grub_config.template
 * (GRUB, UEFI) and ipxe_config.template (iPXE), plus the iPXE master boot script that chain-loads the per-MAC config.
 */
export interface PxeParams {
  label: 'deploy' | 'rescue';
  kernel: string; // path relative to the tftp root, or an http URL (iPXE)
  ramdisk: string;
  apiUrl: string;
  appendParams: string; // [pxe]kernel_append_params
  requestId?: string;
  /** ramdisk parameters the caller adds (e.g. ipa-inspection-callback-url for in-band inspection) */
  ramdiskParams?: Record<string, string>;
}

const extra = (params: Record<string, string> = {}) => Object.entries(params).map(([k, v]) => (v === '' ? k : `${k}=${v}`));

const cmdline = (p: PxeParams) =>
  [p.appendParams, `ipa-api-url=${p.apiUrl}`, ...extra(p.ramdiskParams), p.requestId ? `ipa-global-request-id=${p.requestId}` : '', 'coreos.configdrive=0'].filter(Boolean).join(' ');

export function pxelinuxConfig(p: PxeParams): string {
  return [
    `default ${p.label}`,
    '',
    `label ${p.label}`,
    `kernel ${p.kernel}`,
    `append initrd=${p.ramdisk} ${cmdline(p)}`,
    'ipappend 2',
    '',
    'label boot_whole_disk',
    'COM32 chain.c32',
    'append mbr:{{ DISK_IDENTIFIER }}',
    '',
  ].join('\n');
}

export function grubConfig(p: PxeParams): string {
  return [
    `set default=${p.label}`,
    'set timeout=5',
    'set hidden_timeout_quiet=false',
    '',
    `menuentry "${p.label}"  {`,
    `    linuxefi ${p.kernel} ${cmdline(p)} text`,
    `    initrdefi ${p.ramdisk}`,
    '}',
    '',
  ].join('\n');
}

export function ipxeConfig(p: PxeParams): string {
  const initrdName = p.ramdisk.split('/').pop();
  return [
    '#!ipxe',
    '',
    'set attempts:int32 10',
    'set i:int32 0',
    '',
    `goto ${p.label}`,
    '',
    `:${p.label}`,
    `imgfree`,
    `kernel --timeout 60000 ${p.kernel} ${cmdline(p)} initrd=${initrdName} BOOTIF=\${mac} || goto retry`,
    `initrd --timeout 60000 ${p.ramdisk} || goto retry`,
    'boot',
    '',
    ':retry',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: iPXE variables, not JavaScript
    'iseq ${i} ${attempts} && goto fail ||',
    'inc i',
    'sleep 1',
    `goto ${p.label}`,
    '',
    ':fail',
    'echo Failed to boot',
    'sleep 30',
    'reboot',
    '',
  ].join('\n');
}

/** boot.ipxe: chain to pxelinux.cfg/<mac with colons> (Ironic's boot.ipxe looks up ${mac} then ${mac:hexhyp}). */
export function ipxeBootScript(httpUrl: string): string {
  const base = httpUrl.replace(/\/+$/, '');
  return [
    '#!ipxe',
    '',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: iPXE variables, not JavaScript
    'isset ${net0/mac} && goto boot_net0 || goto boot_fail',
    '',
    ':boot_net0',
    `chain ${base}/pxelinux.cfg/\${net0/mac:hexhyp} || goto boot_fail`,
    '',
    ':boot_fail',
    'echo PXE boot failed! No configuration found for any of the present NICs.',
    'shell',
    '',
  ].join('\n');
}

/** pxelinux.cfg file name for a MAC: "01-" + lower-case hyphenated (ARP type 1). */
export const pxelinuxMacName = (mac: string) => `01-${mac.toLowerCase().replace(/:/g, '-')}`;
/** GRUB looks up grub.cfg-01-<mac hyphenated> in the same way. */
export const grubMacName = (mac: string) => `grub.cfg-${pxelinuxMacName(mac)}`;
/** iPXE ${mac:hexhyp} = lower-case hyphenated, no "01-". */
export const ipxeMacName = (mac: string) => mac.toLowerCase().replace(/:/g, '-');
