/** The redfish interfaces' settings, declared once (Ironic [redfish] names, prefixed); read by settings.ts. */
import { floatOpt, intOpt, type OptionSpec, strOpt } from '@anvil/sdk';

const sec = (name: string, def: number, help: string) => floatOpt(name, def, `${help} (seconds)`, { min: 0 });
const OPTIONS: OptionSpec[] = [
  intOpt('redfish_connection_attempts', 5, '[redfish]connection_attempts', { min: 1 }),
  sec('redfish_connection_retry_interval', 4, '[redfish]connection_retry_interval'),
  sec('redfish_connect_timeout', 30, '[redfish]connect_timeout'),
  sec('redfish_read_timeout', 60, '[redfish]read_timeout'),
  intOpt('redfish_connection_cache_size', 1000, '[redfish]connection_cache_size', { min: 0 }),
  strOpt('redfish_auth_type', 'auto', '[redfish]auth_type', { choices: ['basic', 'session', 'auto'] }),
  strOpt('redfish_verify_ca', null, '[redfish]verify_ca: CA bundle file or directory'),
  intOpt('redfish_post_boot_retry_attempts', 6, '[redfish]post_boot_retry_attempts', { min: 0 }),
  sec('redfish_post_boot_retry_delay', 5, '[redfish]post_boot_retry_delay'),
  intOpt('redfish_power_on_conflict_retry_attempts', 6, '[redfish]power_on_conflict_retry_attempts', { min: 0 }),
  sec('redfish_power_on_conflict_retry_interval', 10, '[redfish]power_on_conflict_retry_interval'),
  sec('redfish_power_poll_interval', 1, 'between power state reads while waiting'),
  strOpt('redfish_kernel_append_params', 'nofb vga=normal', '[redfish]kernel_append_params'),
  sec('redfish_firmware_update_status_interval', 60, '[redfish]firmware_update_status_interval'),
  sec('redfish_boot_mode_config_timeout', 900, '[redfish]boot_mode_config_timeout'),
];
export default OPTIONS;
