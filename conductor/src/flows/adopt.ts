/**
 * Adoption (Ironic _do_adoption): manageable/adopt failed → adopting; validate and let the deploy interface take
 * the running instance over → active. Failure → adopt failed with power_state reset to null.
 */
import type { TaskManager } from '../task/task.ts';
import { errText, safely, validateKinds } from './common.ts';

export async function adoptWorker(task: TaskManager): Promise<void> {
  try {
    await validateKinds(task, ['boot', 'deploy'], `Failed to validate adoption for node ${task.node.uuid}`);
    await task.driver.get('deploy').takeOver(task);
    await task.processEvent('done');
  } catch (err) {
    const msg = `Error while attempting to adopt node ${task.node.uuid}: ${errText(err)}.`;
    task.log.error(msg);
    await safely(task, 'adoption failure handling', () => task.processEvent('fail', { lastError: msg, fields: { power_state: null } }));
  }
}
