/**
 * Deploy/clean log collection (Ironic driver_utils.collect_ramdisk_logs with the "local" storage backend): the agent's
 * log.collect_system_logs (wait=true) answers {system_logs: <base64 tar.gz>}, stored as
 * <deploy_logs_local_path>/<node>_<instance or "unknown">_<timestamp>.tar.gz. Failures are logged, never thrown.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Task } from '@anvil/sdk';
import { agentClient } from './agent-client.ts';
import type { AgentSettings } from './settings.ts';

export async function collectLogs(task: Task, s: AgentSettings, failed: boolean, label: string): Promise<string | null> {
  if (s.logsCollect === 'never' || (s.logsCollect === 'on_failure' && !failed)) return null;
  const info = task.node.driver_internal_info;
  if (typeof info.agent_url !== 'string') return null;
  try {
    const client = agentClient(task, s.commandTimeoutMs);
    const r = await client.command('log.collect_system_logs', {}, true);
    const logs = r.command_result?.system_logs;
    if (typeof logs !== 'string') throw new Error('no system_logs in the agent answer');
    mkdirSync(s.logsDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const file = join(s.logsDir, `${task.node.uuid}_${task.node.instance_uuid ?? 'unknown'}_${stamp}.tar.gz`);
    writeFileSync(file, Buffer.from(logs, 'base64'));
    task.log.info(`Collected ${label} logs of node ${task.node.uuid} into ${file}`);
    return file;
  } catch (err) {
    task.log.warn(`Failed to collect ${label} logs of node ${task.node.uuid}`, { error: (err as Error).message });
    return null;
  }
}
