/** Settings the redfish interfaces read (task.config first, then the settings given at load); Ironic [redfish] names, prefixed. */
import { optionDefaults, type Task } from '@anvil/sdk';
import OPTIONS from './options.ts';

export interface RedfishSettings {
  connectionAttempts: number; // [redfish]connection_attempts
  connectionRetryInterval: number; // [redfish]connection_retry_interval (s)
  connectTimeout: number; // [redfish]connect_timeout (s)
  readTimeout: number; // [redfish]read_timeout (s)
  connectionCacheSize: number; // [redfish]connection_cache_size
  authType: string; // [redfish]auth_type
  verifyCa: string | null; // [redfish]verify_ca
  postBootRetryAttempts: number; // [redfish]post_boot_retry_attempts
  postBootRetryDelay: number; // [redfish]post_boot_retry_delay (s)
  powerOnConflictRetryAttempts: number; // [redfish]power_on_conflict_retry_attempts
  powerOnConflictRetryInterval: number; // [redfish]power_on_conflict_retry_interval (s)
  powerStateChangeTimeout: number; // [conductor]power_state_change_timeout (s)
  softPowerOffTimeout: number; // [conductor]soft_power_off_timeout (s)
  pollInterval: number; // seconds between power state reads while waiting
  kernelAppendParams: string; // [redfish]kernel_append_params
  firmwareUpdateStatusInterval: number; // [redfish]firmware_update_status_interval (s)
  bootModeConfigTimeout: number; // [redfish]boot_mode_config_timeout (s)
  defaultBootMode: 'uefi' | 'bios'; // [deploy]default_boot_mode
}

/** defaults from the one declaration (options.ts) */
const D = optionDefaults(OPTIONS);
const num = (v: unknown, d: number) => (v === undefined || v === null || v === '' || !Number.isFinite(Number(v)) ? d : Number(v));
const str = (v: unknown, d: string) => (typeof v === 'string' && v !== '' ? v : d);

export function redfishSettings(base: Readonly<Record<string, unknown>>, task?: Task): RedfishSettings {
  const c = { ...base, ...(task?.config ?? {}) } as Record<string, unknown>;
  return {
    connectionAttempts: num(c.redfish_connection_attempts, D.redfish_connection_attempts as number),
    connectionRetryInterval: num(c.redfish_connection_retry_interval, D.redfish_connection_retry_interval as number),
    connectTimeout: num(c.redfish_connect_timeout, D.redfish_connect_timeout as number),
    readTimeout: num(c.redfish_read_timeout, D.redfish_read_timeout as number),
    connectionCacheSize: num(c.redfish_connection_cache_size, D.redfish_connection_cache_size as number),
    authType: str(c.redfish_auth_type, D.redfish_auth_type as string),
    verifyCa: typeof c.redfish_verify_ca === 'string' && c.redfish_verify_ca ? c.redfish_verify_ca : null,
    postBootRetryAttempts: num(c.redfish_post_boot_retry_attempts, D.redfish_post_boot_retry_attempts as number),
    postBootRetryDelay: num(c.redfish_post_boot_retry_delay, D.redfish_post_boot_retry_delay as number),
    powerOnConflictRetryAttempts: num(c.redfish_power_on_conflict_retry_attempts, D.redfish_power_on_conflict_retry_attempts as number),
    powerOnConflictRetryInterval: num(c.redfish_power_on_conflict_retry_interval, D.redfish_power_on_conflict_retry_interval as number),
    powerStateChangeTimeout: num(c.power_state_change_timeout, 60),
    softPowerOffTimeout: num(c.soft_power_off_timeout, 600),
    pollInterval: num(c.redfish_power_poll_interval, D.redfish_power_poll_interval as number),
    kernelAppendParams: str(c.redfish_kernel_append_params, D.redfish_kernel_append_params as string),
    firmwareUpdateStatusInterval: num(c.redfish_firmware_update_status_interval, D.redfish_firmware_update_status_interval as number),
    bootModeConfigTimeout: num(c.redfish_boot_mode_config_timeout, D.redfish_boot_mode_config_timeout as number),
    defaultBootMode: str(c.default_boot_mode, 'uefi') === 'bios' ? 'bios' : 'uefi',
  };
}
