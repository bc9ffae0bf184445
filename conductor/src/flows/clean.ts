/**
 * Cleaning (Ironic cleaning.py): automated (provide, or after tear-down; target available) and manual (`clean` verb
 * with clean_steps; target manageable). Prepare cleaning (may wait for the ramdisk → clean wait), run the steps,
 * tear down cleaning, then `done` (→ available) or `manage` (manual or retired → manageable).
 * A failure → clean failed; if a step was running the node also goes to maintenance with fault "clean failure".
 */
import { AnvilError, Fault, InvalidParameterValue, InvalidStateRequested, type JsonObject, pyRepr } from '@anvil/sdk';
import type { ConductorContext } from '../context.ts';
import { invalidStateMessage } from '../states/table.ts';
import { type TaskManager, withTask } from '../task/task.ts';
import { agentWipe, errText, refuseInMaintenance, safely, validateKinds } from './common.ts';
import { stepFlowHistory, type StepFlow } from './flow-history.ts';
import { automatedSteps, checkUserSteps, clearedStepFields, nextStepIndex, runSteps, stepDeclarations, type UserStep } from './steps.ts';

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
  declarative_cleaning: null,
};

// the rest of Ironic's wipe_cleaning_internal_info once cleaning is done (clean_steps → null, the step index and
// cached steps by clearedStepFields)
const CLEAN_END_WIPE = { cleaning_disable_ramdisk: null, steps_validated: null, declarative_cleaning: null, agent_start_attempted: null, ...agentWipe() };

const isManual = (task: TaskManager) => task.node.target_provision_state === 'manageable';

function automatedCleanEnabled(task: TaskManager): boolean {
  if (task.node.automated_clean === false) return false;
  if (task.node.automated_clean === true) return true;
  return task.ctx.settings.automated_clean !== false;
}

/** Ironic's flow names for the step-flow history entries. */
const flowOf = (task: TaskManager): StepFlow => (isManual(task) ? 'manual_cleaning' : 'automated_cleaning');
const storedSteps = (task: TaskManager) => (task.node.driver_internal_info.clean_steps ?? []) as UserStep[];

/** Ironic's _validate_user_clean_steps: the user's steps (flow steps dropped) checked against what the driver declares. */
function validateCleanSteps(task: TaskManager, steps: UserStep[], disableRamdisk: boolean): { steps: UserStep[]; error: string | null } {
  return checkUserSteps('clean', stepDeclarations(task, 'clean'), steps, disableRamdisk);
}

/** The automated steps as Ironic stores a driver's declarations (its key order, argsinfo None when not declared). */
function automatedCleanSteps(task: TaskManager): JsonObject[] {
  const decls = stepDeclarations(task, 'clean');
  return automatedSteps(task, 'clean').map((r) => {
    const d = decls.find((x) => x.iface === r.interface && x.decl.step === r.step)?.decl;
    return { step: r.step, priority: r.priority, abortable: r.abortable ?? false, argsinfo: (d?.argsinfo ?? null) as JsonObject | null, interface: r.interface, requires_ramdisk: d?.requires_ramdisk ?? true };
  });
}

/**
 * Ironic's set_node_cleaning_steps: a manual (declarative) cleaning validates the stored user steps, an automated one
 * takes the driver's; stored with the step bookkeeping reset. Returns the validation error instead of storing.
 * `working`: the step objects an earlier validation in the same task annotated (Ironic validates the same dicts
 * twice, so its second error message shows the annotations).
 */
async function setCleaningSteps(task: TaskManager, disableRamdisk: boolean, working?: UserStep[]): Promise<string | null> {
  let steps: JsonObject[];
  if (task.node.driver_internal_info.declarative_cleaning) {
    const checked = validateCleanSteps(task, working ?? structuredClone(storedSteps(task)), disableRamdisk);
    if (checked.error !== null) return checked.error;
    steps = checked.steps;
  } else steps = automatedCleanSteps(task);
  await task.saveNode({ clean_step: {}, driver_internal_info: task.mergedInternalInfo({ clean_steps: steps, clean_step_index: null }) ?? task.node.driver_internal_info });
  return null;
}

/**
 * Worker body (Ironic's do_node_clean): the node is already in `cleaning` (target available or manageable). A
 * manual cleaning's steps are validated before the ramdisk boots when the driver knows them all; otherwise the list
 * is kept as given and validated again once the ramdisk runs (its first heartbeat), which is where Ironic 39 drops
 * flow steps such as `hold`. The "Starting …" history entry is written only when the steps run at once, not after a
 * wait for the ramdisk (as Ironic's).
 */
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
    let validated = false;
    const working = manual ? (structuredClone(manualSteps ?? []) as UserStep[]) : undefined;
    if (manual) {
      await task.setInternalInfo({ clean_steps: manualSteps ?? [], cleaning_disable_ramdisk: disableRamdisk, declarative_cleaning: true });
      if (!disableRamdisk) validated = (await setCleaningSteps(task, false, working)) === null;
    }
    const deploy = task.driver.get('deploy');
    if (!disableRamdisk && deploy.prepareCleaning && (await deploy.prepareCleaning(task)) === 'wait') {
      await task.processEvent('wait', { targetState: task.node.target_provision_state });
      return;
    }
    if (!validated) {
      const error = await setCleaningSteps(task, disableRamdisk, working);
      if (error !== null) {
        await cleaningFailedWith(task, `Cannot clean node ${task.node.uuid}: ${error}`);
        return;
      }
    }
    await stepFlowHistory(task, flowOf(task), storedSteps(task), 'start');
    await afterSteps(task, await cleanSteps(task, 0));
  } catch (err) {
    await cleaningFailed(task, err);
  }
}

/**
 * Ironic's do_next_clean_step from `from`: a step that raises ends the flow's history with "… aborted at step …"
 * before the failure handling (an agent step that fails later in the ramdisk does not).
 */
async function cleanSteps(task: TaskManager, from: number | null): Promise<'done' | 'wait'> {
  if (from === null || from >= storedSteps(task).length) return 'done';
  try {
    return await runSteps(task, 'clean', from);
  } catch (err) {
    await stepFlowHistory(task, flowOf(task), storedSteps(task), 'end', String((task.node.clean_step as UserStep).step ?? ''));
    throw err;
  }
}

async function afterSteps(task: TaskManager, outcome: 'done' | 'wait'): Promise<void> {
  if (outcome === 'wait') {
    await task.processEvent('wait', { targetState: task.node.target_provision_state });
    return;
  }
  const deploy = task.driver.get('deploy');
  const flow = flowOf(task);
  const disableRamdisk = !!task.node.driver_internal_info.cleaning_disable_ramdisk;
  // Ironic wipes the step list before tearing down, so its "completed" entry lists no steps; the agent is forgotten
  // after the tear-down (which collects its logs)
  const fields = clearedStepFields(task, 'clean');
  if (Object.keys(fields).length) await task.saveNode(fields);
  if (deploy.tearDownCleaning && !disableRamdisk) await deploy.tearDownCleaning(task);
  await stepFlowHistory(task, flow, storedSteps(task), 'end');
  await finishCleaning(task);
}

/** One write: clear the step bookkeeping, forget the agent, move to available (or manageable). */
async function finishCleaning(task: TaskManager): Promise<void> {
  const fields = clearedStepFields(task, 'clean', CLEAN_END_WIPE);
  if (isManual(task) || task.node.retired) await task.processEvent('manage', { fields });
  else await task.processEvent('done', { fields });
}

/**
 * A cleaning failed: a NodeCleaningFailure's message is the whole last_error (a deploy interface's own wording, as
 * the agent's step failure "Clean step deploy.x failed on node …"); anything else is prefixed with where it failed.
 */
export async function cleaningFailed(task: TaskManager, err: unknown, opts: { stepFailed?: boolean } = {}): Promise<void> {
  if (AnvilError.is(err) && err.code === 'NodeCleaningFailure') {
    await cleaningFailedWith(task, err.message);
    return;
  }
  const step = task.node.clean_step as { interface?: string; step?: string };
  const inStep = opts.stepFailed ?? !!step?.step;
  const msg = inStep
    ? `Node ${task.node.uuid} failed step ${pyRepr(step)}: ${errText(err)}`
    : `Failed to prepare node ${task.node.uuid} for cleaning: ${errText(err)}`;
  await cleaningFailedWith(task, msg, inStep);
}

/** Ironic's cleaning_error_handler: tear down, clear the current step (the plan stays), maintenance when a step ran. */
async function cleaningFailedWith(task: TaskManager, msg: string, inStep = Object.keys(task.node.clean_step ?? {}).length > 0): Promise<void> {
  task.log.error(msg);
  await safely(task, 'cleaning failure handling', async () => {
    const deploy = task.driver.get('deploy');
    try {
      if (deploy.tearDownCleaning) await deploy.tearDownCleaning(task);
    } catch (e) {
      task.log.warn('tear down cleaning failed', { error: errText(e) });
    }
    const info = task.mergedInternalInfo({ clean_step_index: null, ...agentWipe() });
    const fields = {
      ...(Object.keys(task.node.clean_step ?? {}).length ? { clean_step: {} } : {}),
      ...(info ? { driver_internal_info: info } : {}),
      ...(inStep ? { maintenance: true, maintenance_reason: task.node.maintenance_reason || msg, fault: Fault.CLEAN_FAILURE } : {}),
    };
    await task.saveNode({ ...fields, last_error: msg });
    await task.history(msg, 'ERROR', 'cleaning');
    await task.processEvent('fail', { lastError: msg, targetState: task.node.target_provision_state, history: false });
  });
}

/** Ironic's get_last_error of an aborted cleaning. */
function abortMessage(task: TaskManager): string {
  const step = (task.node.clean_step ?? {}) as UserStep;
  const base = 'By request, the clean operation was aborted';
  return Object.keys(step).length ? `${base} during or after the completion of step "${step.interface}.${step.step}"` : base;
}

/** abort in clean wait / clean hold (Ironic's _do_abort): a step that is not abortable is only marked `abort_after`. */
export async function abortCleaning(task: TaskManager): Promise<void> {
  const step = (task.node.clean_step ?? {}) as UserStep;
  if (Object.keys(step).length && !step.abortable) {
    task.log.info(`The current clean step "${step.step}" for node ${task.node.uuid} is not abortable; cleaning will abort after it`);
    if (!step.abort_after) await task.saveNode({ clean_step: { ...step, abort_after: true } });
    return;
  }
  await task.processEvent('abort', { targetState: task.node.target_provision_state, lastError: abortMessage(task), callback: cleanAbort, history: false });
}

/** Ironic's do_node_clean_abort: tear down, say why, forget the step bookkeeping (no history entry). */
async function cleanAbort(task: TaskManager): Promise<void> {
  try {
    const deploy = task.driver.get('deploy');
    if (deploy.tearDownCleaning) await deploy.tearDownCleaning(task);
  } catch (err) {
    task.log.error(`Failed to tear down cleaning for node ${task.node.uuid} after aborting the operation. Error: ${errText(err)}`);
    await safely(task, 'clean abort', async () => {
      await task.saveNode({ last_error: 'Failed to tear down cleaning after aborting the operation' });
      await task.history('Failed to tear down cleaning after aborting the operation', 'ERROR', 'cleaning');
    });
    return;
  }
  await safely(task, 'clean abort', async () => {
    const fields = clearedStepFields(task, 'clean', CLEAN_END_WIPE);
    await task.saveNode({ ...fields, clean_step: {}, last_error: abortMessage(task) });
    task.log.info(`Clean operation aborted for node ${task.node.uuid}`);
    task.publish('abort');
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
    // the steps themselves are checked by the worker (Ironic 39 answers 202, then fails the cleaning)
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
        if ((t.node.clean_step as UserStep).abort_after) {
          // an abort arrived during a non-abortable step: that step is done, stop here (Ironic's abort_after)
          await t.processEvent('fail', { targetState: t.node.target_provision_state, history: false });
          await cleanAbort(t);
          return;
        }
        if (!Object.keys(t.node.clean_step ?? {}).length && typeof t.node.driver_internal_info.clean_step_index !== 'number') {
          // the ramdisk just booted (Ironic's first clean-wait heartbeat): the steps are set (validated) again
          const error = await setCleaningSteps(t, false);
          if (error !== null) {
            await cleaningFailedWith(t, `Node failed to start the first cleaning step: ${error}`);
            return;
          }
          await afterSteps(t, await cleanSteps(t, 0));
          return;
        }
        await afterSteps(t, await cleanSteps(t, nextStepIndex(t, 'clean')));
      } catch (err) {
        await cleaningFailed(t, err);
      }
    };
    if (state === 'clean wait') await task.processEvent('resume', { callback: resume, targetState: task.node.target_provision_state });
    else task.spawnAfter(resume);
  });
}
