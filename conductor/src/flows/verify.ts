/**
 * Verification (Ironic verify.py, `manage` from enroll): enroll → verifying; check power (and management)
 * credentials by reading the power state → manageable; failure → back to enroll with last_error.
 */
import type { TaskManager } from '../task/task.ts';
import { errText, safely, validateKinds } from './common.ts';

export async function verifyWorker(task: TaskManager): Promise<void> {
  try {
    await validateKinds(task, ['power', 'management'], `Failed to validate power driver interface for node ${task.node.uuid}`);
    const power = await task.driver.get('power').getPowerState(task);
    await task.processEvent('done', { fields: { power_state: power } });
  } catch (err) {
    const msg = `Failed to verify node ${task.node.uuid}: ${errText(err)}`;
    task.log.error(msg);
    await safely(task, 'verification failure handling', () => task.processEvent('fail', { lastError: msg }));
  }
}
