/** Settings the agent-based interfaces read (plugin settings overlaid by the task's), with Ironic's defaults. */
import type { Task } from '@anvil/sdk';

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

const num = (v: unknown, d: number) => (v === undefined || v === null || v === '' || !Number.isFinite(Number(v)) ? d : Number(v));

export function agentSettings(base: Readonly<Record<string, unknown>>, task?: Task): AgentSettings {
  const c = { ...base, ...(task?.config ?? {}) } as Record<string, unknown>;
  const collect = String(c.deploy_logs_collect ?? 'on_failure');
  return {
    commandWaitMs: num(c.agent_command_wait_interval, 2) * 1000,
    commandTimeoutMs: num(c.agent_command_timeout, 60) * 1000,
    powerOffRetryMs: num(c.post_deploy_get_power_state_retry_interval, 5) * 1000,
    powerOffRetries: num(c.post_deploy_get_power_state_retries, 7),
    logsCollect: collect === 'never' || collect === 'always' ? collect : 'on_failure',
    logsDir: String(c.deploy_logs_local_path ?? `${String(c.data_dir ?? './data')}/deploy-logs`),
    eraseDevicesPriority: num(c.erase_devices_priority, 10),
    eraseMetadataPriority: num(c.erase_devices_metadata_priority, 99),
  };
}
