/** Settings the agent-based interfaces read (plugin settings overlaid by the task's), with Ironic's defaults. */
import { optionDefaults, type Task } from '@anvil/sdk';
import OPTIONS from './options.ts';

export interface AgentSettings {
  commandWaitMs: number; // [agent]command_wait_interval
  commandTimeoutMs: number; // [agent]command_timeout
  powerOffRetryMs: number; // [agent]post_deploy_get_power_state_retry_interval
  powerOffRetries: number; // [agent]post_deploy_get_power_state_retries
  logsCollect: 'never' | 'on_failure' | 'always'; // [agent]deploy_logs_collect
  logsDir: string; // [agent]deploy_logs_local_path
  eraseDevicesPriority: number; // [deploy]erase_devices_priority
  eraseMetadataPriority: number; // [deploy]erase_devices_metadata_priority
}

/** defaults from the one declaration (options.ts) */
const D = optionDefaults(OPTIONS);
const num = (v: unknown, d: number) => (v === undefined || v === null || v === '' || !Number.isFinite(Number(v)) ? d : Number(v));

export function agentSettings(base: Readonly<Record<string, unknown>>, task?: Task): AgentSettings {
  const c = { ...base, ...(task?.config ?? {}) } as Record<string, unknown>;
  const collect = String(c.deploy_logs_collect ?? 'on_failure');
  return {
    commandWaitMs: num(c.agent_command_wait_interval, D.agent_command_wait_interval as number) * 1000,
    commandTimeoutMs: num(c.agent_command_timeout, D.agent_command_timeout as number) * 1000,
    powerOffRetryMs: num(c.post_deploy_get_power_state_retry_interval, D.post_deploy_get_power_state_retry_interval as number) * 1000,
    powerOffRetries: num(c.post_deploy_get_power_state_retries, D.post_deploy_get_power_state_retries as number),
    logsCollect: collect === 'never' || collect === 'always' ? collect : 'on_failure',
    logsDir: String(c.deploy_logs_local_path ?? `${String(c.data_dir ?? './data')}/deploy-logs`),
    eraseDevicesPriority: num(c.erase_devices_priority, D.erase_devices_priority as number),
    eraseMetadataPriority: num(c.erase_devices_metadata_priority, D.erase_devices_metadata_priority as number),
  };
}
