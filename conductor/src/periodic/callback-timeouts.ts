/**
 * Callback timeouts (Ironic _check_deploy_timeouts, _check_cleanwait_timeouts, _check_rescuewait_timeouts,
 * _check_inspect_wait_timeouts, Ironic 39's _check_servicewait_timeouts): this conductor's unreserved, non-maintenance nodes waiting in a wait state longer
 * than its *_callback_timeout (by provision_updated_at; inspect wait by inspection_started_at) are failed.
 */
import { AnvilError, Fault, type NodeRecord, pyRepr } from '@anvil/sdk';
import type { ConductorContext } from '../context.ts';
import { bestEffortPowerOff, errText } from '../flows/common.ts';
import { servicingFailed } from '../flows/service.ts';
import { clearSteps } from '../flows/steps.ts';
import { TaskManager } from '../task/task.ts';

export interface WaitRule {
  state: string;
  setting: string;
  message: (n: NodeRecord) => string;
  byInspection?: boolean;
}

export const RULES: WaitRule[] = [
  { state: 'wait call-back', setting: 'deploy_callback_timeout', message: (n) => `Timeout reached while waiting for callback for node ${n.uuid}` },
  {
    state: 'clean wait',
    setting: 'clean_callback_timeout',
    message: (n) =>
      `Timeout reached while cleaning the node. Please check if the ramdisk responsible for the cleaning is running on the node. Failed on step ${JSON.stringify(n.clean_step)}.`,
  },
  { state: 'rescue wait', setting: 'rescue_callback_timeout', message: (n) => `Timeout reached while waiting for rescue ramdisk callback for node ${n.uuid}` },
  { state: 'inspect wait', setting: 'inspect_wait_timeout', message: () => 'timeout reached while inspecting the node', byInspection: true },
  {
    state: 'service wait',
    setting: 'service_callback_timeout',
    message: (n) =>
      `Timeout reached while servicing the node. Please check if the ramdisk responsible for the servicing is running on the node. Failed on step ${pyRepr(n.service_step)}.`,
  },
];

async function failTimedOut(ctx: ConductorContext, rule: WaitRule, uuid: string): Promise<boolean> {
  let task: TaskManager;
  try {
    task = await TaskManager.acquire(ctx, uuid, { purpose: 'callback timeout', attempts: 1 });
  } catch (err) {
    if (AnvilError.is(err) && (err.code === 'NodeLocked' || err.status === 404)) return false;
    throw err;
  }
  try {
    if (task.node.provision_state !== rule.state || task.node.maintenance) return false;
    const msg = rule.message(task.node);
    const target = task.node.target_provision_state;
    if (rule.state === 'wait call-back') {
      await clearSteps(task, 'deploy');
      await bestEffortPowerOff(task);
      await task.processEvent('fail', { lastError: msg });
    } else if (rule.state === 'clean wait') {
      const deploy = task.driver.get('deploy');
      try {
        if (deploy.tearDownCleaning) await deploy.tearDownCleaning(task);
      } catch (err) {
        task.log.warn('tear down cleaning after timeout failed', { error: errText(err) });
      }
      const inStep = Object.keys(task.node.clean_step).length > 0;
      await clearSteps(task, 'clean');
      const fields = inStep ? { maintenance: true, maintenance_reason: msg, fault: Fault.CLEAN_FAILURE } : {};
      await task.processEvent('fail', { lastError: msg, targetState: target, fields });
    } else if (rule.state === 'service wait') {
      // Ironic: fail first (target kept), then its servicing error handler (maintenance when a step was running)
      await task.processEvent('fail', { targetState: target });
      await servicingFailed(task, msg, { setFailState: false });
    } else if (rule.state === 'rescue wait') {
      // Ironic's rescuing_error_handler: power off (the agent's URL and token go with it), clean up, remove_agent_url
      await bestEffortPowerOff(task);
      try {
        await task.driver.get('rescue').cleanUp(task);
      } catch (err) {
        task.log.warn('rescue clean up after timeout failed', { error: errText(err) });
      }
      await task.setInternalInfo({ agent_url: null });
      await task.processEvent('fail', { lastError: msg });
    } else {
      await task.processEvent('fail', { lastError: msg, fields: { inspection_started_at: null } });
    }
    return true;
  } finally {
    await task.release();
  }
}

export async function checkCallbackTimeouts(ctx: ConductorContext): Promise<number> {
  let failed = 0;
  const rings = await ctx.rings();
  for (const rule of RULES) {
    const timeout = Number((ctx.settings as Record<string, unknown>)[rule.setting]);
    if (!(timeout > 0)) continue;
    const cutoff = Date.now() - timeout * 1000;
    const nodes: NodeRecord[] = await ctx.db.nodes.list({
      filters: { provision_state: rule.state, maintenance: false, reserved: false },
      limit: 100_000,
    });
    for (const n of nodes) {
      const since = rule.byInspection ? n.inspection_started_at ?? n.provision_updated_at : n.provision_updated_at;
      if (!since || Date.parse(since) > cutoff) continue;
      if (rings.ownerOf(n) !== ctx.hostname) continue;
      if (await failTimedOut(ctx, rule, n.uuid)) failed++;
    }
  }
  return failed;
}
