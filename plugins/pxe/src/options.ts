/** The pxe/ipxe boot interfaces' settings, declared once (Ironic [pxe], [deploy], [dhcp] names); read by settings.ts. */
import { boolOpt, intOpt, type OptionSpec, strOpt } from '@anvil/sdk';

const OPTIONS: OptionSpec[] = [
  strOpt('tftp_root', null, 'TFTP root (default <data_dir>/tftpboot)'),
  strOpt('http_root', null, 'iPXE HTTP root (default <data_dir>/httpboot)'),
  strOpt('tftp_master_path', null, 'kernel/ramdisk cache (default <tftp_root>/master_images)'),
  boolOpt('pxe_tftp_server', true, 'run the built-in TFTP server'),
  strOpt('tftp_server', null, 'address machines reach TFTP at (default host, or 127.0.0.1 for 0.0.0.0)'),
  intOpt('pxe_tftp_port', 69, 'built-in TFTP server port', { min: 0 }),
  boolOpt('pxe_http_server', true, 'run the built-in HTTP server for iPXE'),
  intOpt('pxe_http_port', 8088, 'built-in HTTP server port', { min: 0 }),
  strOpt('http_url', null, 'URL machines reach http_root at (default http://<tftp_server>:<pxe_http_port>)'),
  strOpt('pxe_api_url', null, 'API URL given to the agent (default public_url)'),
  strOpt('kernel_append_params', 'nofb nomodeset vga=normal', '[pxe]kernel_append_params'),
  strOpt('dhcp_provider', 'none', '[dhcp]dhcp_provider', { choices: ['none', 'dnsmasq', 'neutron'] }),
  strOpt('dnsmasq_dhcp_hostsdir', null, 'dnsmasq --dhcp-hostsdir (default <data_dir>/dnsmasq/hostsdir)'),
  strOpt('dnsmasq_dhcp_optsdir', null, 'dnsmasq --dhcp-optsdir (default <data_dir>/dnsmasq/optsdir)'),
  strOpt('pxe_bootfile_name', 'pxelinux.0', '[pxe]pxe_bootfile_name'),
  strOpt('uefi_pxe_bootfile_name', 'bootx64.efi', '[pxe]uefi_pxe_bootfile_name'),
  strOpt('ipxe_bootfile_name', 'undionly.kpxe', '[pxe]ipxe_bootfile_name'),
  strOpt('uefi_ipxe_bootfile_name', 'snponly.efi', '[pxe]uefi_ipxe_bootfile_name'),
];
export default OPTIONS;
