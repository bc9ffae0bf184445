/** Settings of the pxe/ipxe boot interfaces (Ironic [pxe], [deploy], [dhcp] names where they exist), with defaults. */
import { join } from 'node:path';
import type { Task } from '@anvil/sdk';

export interface PxeSettings {
  tftpRoot: string;
  httpRoot: string;
  cacheDir: string;
  tftpServer: boolean; // run the built-in TFTP server
  tftpHost: string;
  tftpPort: number;
  httpServer: boolean; // run the built-in HTTP server for iPXE
  httpPort: number;
  httpUrl: string;
  apiUrl: string;
  appendParams: string;
  defaultBootMode: 'uefi' | 'bios';
  dhcpProvider: 'dnsmasq' | 'neutron' | 'none';
  dnsmasqHostsDir: string;
  dnsmasqOptsDir: string;
  neutronUrl: string | null;
  pxeBootfile: { bios: string; uefi: string };
  ipxeBootfile: { bios: string; uefi: string };
}

const num = (v: unknown, d: number) => (v === undefined || v === null || v === '' || !Number.isFinite(Number(v)) ? d : Number(v));
const bool = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : typeof v === 'string' ? ['1', 'true', 'yes', 'on'].includes(v.toLowerCase()) : d);
const s = (v: unknown, d: string) => (typeof v === 'string' && v !== '' ? v : d);

export function pxeSettings(base: Readonly<Record<string, unknown>>, task?: Task): PxeSettings {
  const c = { ...base, ...(task?.config ?? {}) } as Record<string, unknown>;
  const dataDir = s(c.data_dir, './data');
  const host = s(c.host, '127.0.0.1');
  const tftpHost = s(c.tftp_server, host === '0.0.0.0' ? '127.0.0.1' : host);
  const httpPort = num(c.pxe_http_port, 8088);
  const provider = s(c.dhcp_provider, 'none');
  return {
    tftpRoot: s(c.tftp_root, join(dataDir, 'tftpboot')),
    httpRoot: s(c.http_root, join(dataDir, 'httpboot')),
    cacheDir: s(c.tftp_master_path, join(dataDir, 'tftpboot', 'master_images')),
    tftpServer: bool(c.pxe_tftp_server, true),
    tftpHost,
    tftpPort: num(c.pxe_tftp_port, 69),
    httpServer: bool(c.pxe_http_server, true),
    httpPort,
    httpUrl: s(c.http_url, `http://${tftpHost}:${httpPort}`),
    apiUrl: s(c.pxe_api_url, s(c.public_url, `http://${tftpHost}:${num(c.port, 6385)}`)),
    appendParams: s(c.kernel_append_params, 'nofb nomodeset vga=normal'),
    defaultBootMode: s(c.default_boot_mode, 'uefi') === 'bios' ? 'bios' : 'uefi',
    dhcpProvider: provider === 'dnsmasq' || provider === 'neutron' ? provider : 'none',
    dnsmasqHostsDir: s(c.dnsmasq_dhcp_hostsdir, join(dataDir, 'dnsmasq', 'hostsdir')),
    dnsmasqOptsDir: s(c.dnsmasq_dhcp_optsdir, join(dataDir, 'dnsmasq', 'optsdir')),
    neutronUrl: typeof c.neutron_url === 'string' && c.neutron_url ? c.neutron_url : null,
    pxeBootfile: { bios: s(c.pxe_bootfile_name, 'pxelinux.0'), uefi: s(c.uefi_pxe_bootfile_name, 'bootx64.efi') },
    ipxeBootfile: { bios: s(c.ipxe_bootfile_name, 'undionly.kpxe'), uefi: s(c.uefi_ipxe_bootfile_name, 'snponly.efi') },
  };
}
