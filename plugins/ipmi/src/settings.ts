/** Settings the ipmi interfaces read (task.config first, then the settings given at load), with defaults. */
import { optionDefaults, type Task } from '@anvil/sdk';
import OPTIONS from './options.ts';
import type { PoolSettings } from './bmc-pool.ts';

export interface IpmiSettings extends PoolSettings {
  /** seconds to wait for a hard power change to show (Ironic [conductor]power_state_change_timeout) */
  powerStateChangeTimeout: number;
  /** seconds to wait for a soft power off before forcing it (Ironic [conductor]soft_power_off_timeout) */
  softPowerOffTimeout: number;
  /** seconds between power state polls while waiting */
  pollInterval: number;
  /** Ironic [ipmi]disable_boot_timeout; driver_info ipmi_disable_boot_timeout overrides */
  disableBootTimeout: boolean;
  /** Ironic [deploy]default_boot_mode */
  defaultBootMode: 'uefi' | 'bios';
}

/** defaults from the one declaration (options.ts) */
const D = optionDefaults(OPTIONS);
const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : d);
const bool = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : typeof v === 'string' ? ['1', 'true', 'yes', 'on'].includes(v.toLowerCase()) : d);

export function ipmiSettings(base: Readonly<Record<string, unknown>>, task?: Task): IpmiSettings {
  const c = { ...base, ...(task?.config ?? {}) };
  return {
    attemptTimeout: num(c.ipmi_attempt_timeout, D.ipmi_attempt_timeout as number),
    retries: num(c.ipmi_retries, D.ipmi_retries as number),
    keepAlive: num(c.ipmi_keep_alive, D.ipmi_keep_alive as number),
    powerStateChangeTimeout: num(c.power_state_change_timeout, 60),
    softPowerOffTimeout: num(c.soft_power_off_timeout, 600),
    pollInterval: num(c.ipmi_power_poll_interval, D.ipmi_power_poll_interval as number),
    disableBootTimeout: bool(c.ipmi_disable_boot_timeout, D.ipmi_disable_boot_timeout as boolean),
    defaultBootMode: c.default_boot_mode === 'bios' ? 'bios' : 'uefi',
  };
}
