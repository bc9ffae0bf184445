/**
 * Verification (Ironic verify.py, `manage` from enroll): enroll → verifying; validate the power interface and read
 * the power state (Ironic's messages), cache BIOS settings and boot mode where the driver can → manageable;
 * a failure → back to enroll with last_error (and a node history entry).
 */
import type { NodeRecord } from '@anvil/sdk';
import type { TaskManager } from '../task/task.ts';
import { errText, safely } from './common.ts';

async function cacheHardwareFacts(task: TaskManager): Promise<Partial<NodeRecord>> {
  const fields: Partial<NodeRecord> = {};
  try {
    const bios = task.driver.get('bios');
    if (bios?.cacheBiosSettings) await bios.cacheBiosSettings(task);
  } catch (err) {
    task.log.warn('caching BIOS settings failed', { error: errText(err) });
  }
  try {
    const mgmt = task.driver.get('management');
    if (mgmt.getBootMode) {
      const mode = await mgmt.getBootMode(task);
      if (mode && mode !== task.node.boot_mode) fields.boot_mode = mode;
    }
    if (mgmt.getSecureBootState) {
      const sb = await mgmt.getSecureBootState(task);
      if (sb !== null && sb !== task.node.secure_boot) fields.secure_boot = sb;
    }
  } catch (err) {
    task.log.debug('boot mode not cached', { error: errText(err) });
  }
  return fields;
}

export async function verifyWorker(task: TaskManager): Promise<void> {
  const uuid = task.node.uuid;
  let error: string | null = null;
  let power: string | null = null;
  try {
    await task.driver.get('power').validate(task);
  } catch (err) {
    error = `Failed to validate power driver interface for node ${uuid}. Error: ${errText(err)}`;
  }
  if (!error) {
    try {
      power = await task.driver.get('power').getPowerState(task);
    } catch (err) {
      error = `Failed to get power state for node ${uuid}. Error: ${errText(err)}`;
    }
  }
  if (error) {
    task.log.error(error);
    await safely(task, 'verification failure handling', () => task.processEvent('fail', { lastError: error }));
    return;
  }
  try {
    const facts = await cacheHardwareFacts(task);
    await task.processEvent('done', { fields: { ...facts, ...(power !== task.node.power_state ? { power_state: power } : {}) } });
  } catch (err) {
    task.log.error(`verification of node ${uuid} could not be saved`, { error: errText(err) });
  }
}
