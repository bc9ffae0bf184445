/**
 * The agent's TLS certificate (heartbeat `agent_verify_ca`, Ironic's store_agent_certificate): written to
 * `<agent_certificates_path>/<node uuid>.crt` (default `<data_dir>/certificates`, Ironic's `[agent]certificates_path`)
 * and the file's path kept in driver_internal_info.agent_verify_ca. A later heartbeat must send the same
 * certificate (else 400 'Detected change in ramdisk provided "agent_verify_ca"'); a stored path whose file is gone
 * (another conductor took the node over) is written anew.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidParameterValue } from '@anvil/sdk';
import type { TaskManager } from '../task/task.ts';

export function certificatesPath(settings: Record<string, unknown>): string {
  const dir = settings.agent_certificates_path;
  return typeof dir === 'string' && dir ? dir : join(String(settings.data_dir ?? './data'), 'certificates');
}

/** Stores the certificate (if new) and returns the path to keep in agent_verify_ca. */
export async function storeAgentCertificate(task: TaskManager, pem: string): Promise<string> {
  const existing = task.node.driver_internal_info.agent_verify_ca;
  if (typeof existing === 'string' && existing) {
    const text = await readFile(existing, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    if (text !== null) {
      if (text.trim() !== pem.trim()) throw new InvalidParameterValue('Detected change in ramdisk provided "agent_verify_ca"');
      return existing;
    }
    task.log.info(`Current agent_verify_ca was not found for node ${task.node.uuid}, assuming take over and storing`);
  }
  const dir = certificatesPath(task.ctx.settings as Record<string, unknown>);
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${task.node.uuid}.crt`);
  await writeFile(file, pem);
  return file;
}
