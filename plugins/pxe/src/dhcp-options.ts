/** DHCP options for PXE/iPXE (Ironic pxe_utils.dhcp_options_for_instance), pure. */
export interface DhcpOpt {
  opt_name: string;
  opt_value: string;
  ip_version: 4 | 6;
}

export function dhcpOptions(opts: { ipxe: boolean; bootfile: string; ipxeScriptUrl?: string; tftpServer: string; tftpRootPrefix: string }): DhcpOpt[] {
  const o = (opt_name: string, opt_value: string): DhcpOpt => ({ opt_name, opt_value, ip_version: 4 });
  const out: DhcpOpt[] = [];
  if (opts.ipxe) {
    out.push(o('tag:!ipxe,67', opts.bootfile));
    out.push(o('tag:ipxe,67', opts.ipxeScriptUrl ?? ''));
  } else {
    out.push(o('67', opts.bootfile));
  }
  out.push(o('210', opts.tftpRootPrefix));
  out.push(o('66', opts.tftpServer));
  out.push(o('150', opts.tftpServer));
  out.push(o('server-ip-address', opts.tftpServer));
  return out;
}

/** dnsmasq dhcp-optsdir lines for one tag (each line is a --dhcp-option argument). */
export function dnsmasqOptLines(tag: string, options: DhcpOpt[]): string[] {
  const lines: string[] = [];
  for (const opt of options) {
    // siaddr is dnsmasq's dhcp-boot/--dhcp-option tftp-server business, not an option line: 66/150 carry the address
    if (opt.opt_name === 'server-ip-address') continue;
    lines.push(`tag:${tag},${opt.opt_name},${opt.opt_value}`);
  }
  return lines;
}

/** dnsmasq dhcp-hostsdir line: the MAC gets the port's tag plus "ironic". */
export const dnsmasqHostLine = (mac: string, tag: string) => `${mac.toLowerCase()},set:${tag},set:ironic`;
