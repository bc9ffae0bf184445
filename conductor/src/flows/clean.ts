/**
 * Cleaning (Ironic cleaning.py): automated (provide, or after tear-down; target available) and manual (`clean` verb
 * with clean_steps; target manageable). Prepare cleaning (may wait for the ramdisk → clean wait), run the steps,
 * tear down cleaning, then `done` (→ available) or `manage` (manual or retired → manageable).
 * A failure → clean failed; if a step was running the node also goes to maintenance with fault "clean failure".
 */
import { Fault, InvalidParameterValue, InvalidStateRequested, type JsonObject } from '@anvil/sdk';
import type { ConductorContext } from '../context.ts';
import { invalidStateMessage } from '../states/table.ts';
import { type TaskManager, withTask } from '../task/task.ts';
import { agentWipe, errText, refuseInMaintenance, safely, validateKinds } from './common.ts';
import { automatedSteps, clearedStepFields, clearSteps, nextStepIndex, runSteps, startSteps, validateUserSteps } from './steps.ts';

// Ironic's wipe_cleaning_internal_info when cleaning starts: the previous ramdisk's URL and token (wipe_token_and_url),
// its cached clean steps and the step bookkeeping of an earlier cleaning
const CLEAN_START_WIPE = {
  ...agentWipe(),
  agent_cached_clean_steps: null,
  clean_step_index: null,
  cleaning_reboot: null,
  cleaning_polling: null,
  cleaning_disable_ramdisk: null,
  skip_current_clean_step: null,
  steps_validated: null,
};

const isManual = (task: TaskManager) => task.node.target_provision_state === 'manageable';

function automatedCleanEnabled(task: TaskManager): boolean {
  if (task.node.automated_clean === false) return false;
  if (task.node.automated_clean === true) return true;
  return task.ctx.settings.automated_clean !== false;
}

/** Worker body: the node is already in `cleaning` (target available or manageable). */
export async function cleanWorker(task: TaskManager, manualSteps?: JsonObject[], disableRamdisk = false): Promise<void> {
  const manual = isManual(task);
  try {
    if (!manual && !automatedCleanEnabled(task)) {
      task.log.info(`Automated cleaning is disabled, node ${task.node.uuid} has been successfully moved to AVAILABLE state.`);
      await finishCleaning(task);
      return;
    }
    await validateKinds(task, ['power', 'network'], `Failed to validate power driver interface for node ${task.node.uuid}`);
    await task.setInternalInfo(CLEAN_START_WIPE);
    const steps = manual ? validateUserSteps(task, 'clean', manualSteps ?? []) : automatedSteps(task, 'clean');
    if (steps.length === 0) {
      await finishCleaning(task);
      return;
    }
    const plan = { clean_steps: steps as unknown as JsonObject[], clean_step_index: null, cleaning_disable_ramdisk: disableRamdisk || null };
    const deploy = task.driver.get('deploy');
    if (!disableRamdisk && deploy.prepareCleaning) {
      await task.setInternalInfo(plan);
      if ((await deploy.prepareCleaning(task)) === 'wait') {
        await task.processEvent('wait', { targetState: task.node.target_provision_state });
        return;
      }
    }
    await afterSteps(task, await startSteps(task, 'clean', steps, plan));
  } catch (err) {
    await cleaningFailed(task, err);
  }
}

async function afterSteps(task: TaskManager, outcome: 'done' | 'wait'): Promise<void> {
  if (outcome === 'wait') {
    await task.processEvent('wait', { targetState: task.node.target_provision_state });
    return;
  }
  const deploy = task.driver.get('deploy');
  if (deploy.tearDownCleaning && !task.node.driver_internal_info.cleaning_disable_ramdisk) await deploy.tearDownCleaning(task);
  await finishCleaning(task);
}

/** One write: clear the step bookkeeping, forget the agent, move to available (or manageable). */
async function finishCleaning(task: TaskManager): Promise<void> {
  const fields = clearedStepFields(task, 'clean', { cleaning_disable_ramdisk: null, ...agentWipe() });
  if (isManual(task) || task.node.retired) await task.processEvent('manage', { fields });
  else await task.processEvent('done', { fields });
}

export async function cleaningFailed(task: TaskManager, err: unknown, opts: { stepFailed?: boolean } = {}): Promise<void> {
  const step = task.node.clean_step as { interface?: string; step?: string };
  const inStep = opts.stepFailed ?? !!step?.step;
  const msg = inStep
    ? `Node ${task.node.uuid} failed step ${JSON.stringify(step)}: ${errText(err)}`
    : `Failed to prepare node ${task.node.uuid} for cleaning: ${errText(err)}`;
  task.log.error(msg);
  await safely(task, 'cleaning failure handling', async () => {
    const deploy = task.driver.get('deploy');
    try {
      if (deploy.tearDownCleaning) await deploy.tearDownCleaning(task);
    } catch (e) {
      task.log.warn('tear down cleaning failed', { error: errText(e) });
    }
    await clearSteps(task, 'clean');
    const fields = inStep ? { maintenance: true, maintenance_reason: msg, fault: Fault.CLEAN_FAILURE } : {};
    await task.processEvent('fail', { lastError: msg, targetState: task.node.target_provision_state, fields });
  });
}

/** Manual cleaning (the `clean` verb): from manageable, target manageable. */
export async function doNodeClean(
  ctx: ConductorContext,
  uuid: string,
  cleanSteps: JsonObject[],
  disableRamdisk = false,
): Promise<void> {
  await withTask(ctx, uuid, { purpose: 'node manual cleaning' }, async (task) => {
    refuseInMaintenance(task, 'cleaning');
    if (task.node.provision_state !== 'manageable') {
      throw new InvalidStateRequested(invalidStateMessage('clean', task.node.uuid, task.node.provision_state));
    }
    if (!Array.isArray(cleanSteps) || cleanSteps.length === 0) {
      throw new InvalidParameterValue('"clean_steps" is required when setting target provision state to clean');
    }
    await validateKinds(task, ['power', 'network'], `Failed to validate power driver interface for node ${task.node.uuid}`);
    validateUserSteps(task, 'clean', cleanSteps);
    await task.processEvent('clean', {
      targetState: 'manageable',
      callback: (t) => cleanWorker(t, cleanSteps, disableRamdisk),
    });
  });
}

/** Agent callback: resume cleaning after `clean wait`. */
export async function continueNodeClean(ctx: ConductorContext, uuid: string): Promise<void> {
  await withTask(ctx, uuid, { purpose: 'continue node cleaning', attempts: 10 }, async (task) => {
    const state = task.node.provision_state;
    if (state !== 'clean wait' && state !== 'cleaning') {
      throw new InvalidStateRequested(invalidStateMessage('resume', task.node.uuid, state));
    }
    const resume = async (t: TaskManager) => {
      try {
        if (t.node.driver_internal_info.abort_after) {
          // an abort arrived during a non-abortable step: that step is done, stop here (Ironic abort_after)
          const step = (t.node.clean_step as { step?: string }).step ?? 'unknown';
          await t.setInternalInfo({ abort_after: null });
          await cleaningFailed(t, new Error(`By request, the clean operation was aborted after completing clean step ${step}`), { stepFailed: false });
          return;
        }
        // after a prepare-cleaning wait no index is stored yet: start at 0
        await afterSteps(t, await runSteps(t, 'clean', nextStepIndex(t, 'clean')));
      } catch (err) {
        await cleaningFailed(t, err);
      }
    };
    if (state === 'clean wait') await task.processEvent('resume', { callback: resume, targetState: task.node.target_provision_state });
    else task.spawnAfter(resume);
  });
}
