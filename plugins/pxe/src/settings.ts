/** Settings of the pxe/ipxe boot interfaces (Ironic [pxe], [deploy], [dhcp] names where they exist), with defaults. */
import { join } from 'node:path';
import { optionDefaults, type Task } from '@anvil/sdk';
import OPTIONS from './options.ts';

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

/** defaults from the one declaration (options.ts) */
const D = optionDefaults(OPTIONS);
const num = (v: unknown, d: number) => (v === undefined || v === null || v === '' || !Number.isFinite(Number(v)) ? d : Number(v));
const bool = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : typeof v === 'string' ? ['1', 'true', 'yes', 'on'].includes(v.toLowerCase()) : d);
const s = (v: unknown, d: string) => (typeof v === 'string' && v !== '' ? v : d);

export function pxeSettings(base: Readonly<Record<string, unknown>>, task?: Task): PxeSettings {
  const c = { ...base, ...(task?.config ?? {}) } as Record<string, unknown>;
  const dataDir = s(c.data_dir, './data');
  const host = s(c.host, '127.0.0.1');
  const tftpHost = s(c.tftp_server, host === '0.0.0.0' ? '127.0.0.1' : host);
  const httpPort = num(c.pxe_http_port, D.pxe_http_port as number);
  const provider = s(c.dhcp_provider, D.dhcp_provider as string);
  return {
    tftpRoot: s(c.tftp_root, join(dataDir, 'tftpboot')),
    httpRoot: s(c.http_root, join(dataDir, 'httpboot')),
    cacheDir: s(c.tftp_master_path, join(dataDir, 'tftpboot', 'master_images')),
    tftpServer: bool(c.pxe_tftp_server, D.pxe_tftp_server as boolean),
    tftpHost,
    tftpPort: num(c.pxe_tftp_port, D.pxe_tftp_port as number),
    httpServer: bool(c.pxe_http_server, D.pxe_http_server as boolean),
    httpPort,
    httpUrl: s(c.http_url, `http://${tftpHost}:${httpPort}`),
    apiUrl: s(c.pxe_api_url, s(c.public_url, `http://${tftpHost}:${num(c.port, 6385)}`)),
    appendParams: s(c.kernel_append_params, D.kernel_append_params as string),
    defaultBootMode: s(c.default_boot_mode, 'uefi') === 'bios' ? 'bios' : 'uefi',
    dhcpProvider: provider === 'dnsmasq' || provider === 'neutron' ? provider : 'none',
    dnsmasqHostsDir: s(c.dnsmasq_dhcp_hostsdir, join(dataDir, 'dnsmasq', 'hostsdir')),
    dnsmasqOptsDir: s(c.dnsmasq_dhcp_optsdir, join(dataDir, 'dnsmasq', 'optsdir')),
    neutronUrl: typeof c.neutron_url === 'string' && c.neutron_url ? c.neutron_url : null,
    pxeBootfile: { bios: s(c.pxe_bootfile_name, D.pxe_bootfile_name as string), uefi: s(c.uefi_pxe_bootfile_name, D.uefi_pxe_bootfile_name as string) },
    ipxeBootfile: { bios: s(c.ipxe_bootfile_name, D.ipxe_bootfile_name as string), uefi: s(c.uefi_ipxe_bootfile_name, D.uefi_ipxe_bootfile_name as string) },
  };
}
