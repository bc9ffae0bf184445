/** The ipmi interfaces' settings, declared once (Ironic [ipmi] names, prefixed); read by settings.ts. */
import { boolOpt, floatOpt, intOpt, type OptionSpec } from '@anvil/sdk';

const OPTIONS: OptionSpec[] = [
  floatOpt('ipmi_attempt_timeout', 1, 'seconds one IPMI request waits for its answer before a retry', { min: 0 }),
  intOpt('ipmi_retries', 3, 'retries of an unanswered IPMI request', { min: 0 }),
  floatOpt('ipmi_keep_alive', 30, 'seconds an idle IPMI session is kept open', { min: 0 }),
  floatOpt('ipmi_power_poll_interval', 1, 'seconds between power state reads while waiting for a change', { min: 0 }),
  boolOpt('ipmi_disable_boot_timeout', true, "[ipmi]disable_boot_timeout (driver_info ipmi_disable_boot_timeout wins)"),
];
export default OPTIONS;
