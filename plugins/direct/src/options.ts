/** The agent-based interfaces' settings, declared once (Ironic [agent]/[deploy] names); read by settings.ts. */
import { floatOpt, intOpt, type OptionSpec, strOpt } from '@anvil/sdk';

const OPTIONS: OptionSpec[] = [
  floatOpt('agent_command_wait_interval', 2, '[agent]command_wait_interval: seconds between agent command polls', { min: 0 }),
  strOpt('agent_verify_ca', 'True', "[agent]verify_ca: how an https agent's certificate is checked when neither driver_internal_info nor driver_info names one (True: the system CAs, False: not checked, or a CA file)"),
  floatOpt('agent_command_timeout', 60, '[agent]command_timeout: seconds an agent command may take', { min: 0 }),
  floatOpt('post_deploy_get_power_state_retry_interval', 5, 'seconds between power reads after the soft power off', { min: 0 }),
  intOpt('post_deploy_get_power_state_retries', 7, 'power reads after the soft power off', { min: 0 }),
  strOpt('deploy_logs_collect', 'on_failure', "[agent]deploy_logs_collect: when the agent's logs are kept", { choices: ['never', 'on_failure', 'always'] }),
  strOpt('deploy_logs_local_path', null, 'where they go (default <data_dir>/deploy-logs)'),
  intOpt('erase_devices_priority', 10, '[deploy]erase_devices_priority'),
  intOpt('erase_devices_metadata_priority', 99, '[deploy]erase_devices_metadata_priority'),
];
export default OPTIONS;
