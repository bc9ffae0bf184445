/**
 * Servicing (Ironic 39 conductor/servicing.py, API 1.87/1.108): the `service` verb runs the steps a user names on an
 * active node: active → servicing (→ service wait while a step or the ramdisk works asynchronously, → service hold on
 * a `hold` step) → active, or → service failed (maintenance + fault "service failure" when a step was running).
 * Ironic's quirks are kept: a step list that fails validation is not refused but run as given (its known steps
 * annotated), because the steps might be the ramdisk's; validated lists drop the flow steps (hold, wait, power).
 * Node history gets Ironic's "Starting servicing …" / "Servicing completed …" / "… aborted at step …" entries.
 */
import {
  AnvilError,
  Fault,
  InvalidParameterValue,
  InvalidState,
  InvalidStateRequested,
  type InterfaceKind,
  type JsonObject,
  PowerState,
  pyRepr,
  type StepProvider,
} from '@anvil/sdk';
import type { ConductorContext } from '../context.ts';
import { invalidStateMessage, isActionable } from '../states/table.ts';
import { type TaskManager, withTask } from '../task/task.ts';
import { agentWipe, errText, refuseInMaintenance, safely } from './common.ts';
import { nodePowerAction } from './power.ts';
import { stepFlowHistory } from './flow-history.ts';
import { agentServiceSteps, runsInAgent } from './service-agent.ts';
import { checkUserSteps, stepDeclarations, type UserStep } from './steps.ts';

type Step = UserStep;

const stepsOf = (task: TaskManager) => (task.node.driver_internal_info.service_steps ?? []) as Step[];
const stepName = (s: Step) => String(s.step ?? '');

/** Ironic's wipe_service_internal_info (agent token and URL included). */
const SERVICE_KEYS = ['agent_cached_service_steps', 'service_step_index', 'service_disable_ramdisk', 'steps_validated', 'agent_start_attempted'];
function wipedInfo(task: TaskManager): JsonObject {
  const info = task.mergedInternalInfo({ ...agentWipe(), ...Object.fromEntries(SERVICE_KEYS.map((k) => [k, null])) }) ?? { ...task.node.driver_internal_info };
  info.service_steps = null;
  return info;
}

/** Ironic's _validate_user_steps for service steps (agent steps known once its ramdisk listed them). */
export function validateServiceSteps(task: TaskManager, steps: Step[], disableRamdisk: boolean): { steps: Step[]; error: string | null } {
  return checkUserSteps('service', [...agentServiceSteps(task), ...stepDeclarations(task, 'service')], steps, disableRamdisk);
}

const flowHistory = (task: TaskManager, status: 'start' | 'end', abortedStep?: string) => stepFlowHistory(task, 'servicing', stepsOf(task), status, abortedStep);

/** Ironic's servicing_error_handler: maintenance + fault when a step was running, step bookkeeping cleared, → service failed. */
export async function servicingFailed(task: TaskManager, msg: string, opts: { tearDown?: boolean; setFailState?: boolean } = {}): Promise<void> {
  task.log.error(msg);
  await safely(task, 'servicing failure handling', async () => {
    const inStep = Object.keys(task.node.service_step ?? {}).length > 0;
    let error = msg;
    const deploy = task.driver.get('deploy');
    if (opts.tearDown !== false && deploy.tearDownService) {
      try {
        await deploy.tearDownService(task);
      } catch (err) {
        task.log.warn(`Failed to tear down servicing on node ${task.node.uuid}, reason: ${errText(err)}`);
        error = `${msg}. Also failed to tear down servicing.`;
      }
    }
    const fields: Partial<typeof task.node> = {};
    if (inStep) Object.assign(fields, { fault: Fault.SERVICE_FAILURE, maintenance: true, maintenance_reason: task.node.maintenance_reason || error });
    if (['servicing', 'service wait', 'service failed'].includes(task.node.provision_state)) {
      fields.service_step = {};
      fields.driver_internal_info = task.mergedInternalInfo({ service_step_index: null, ...agentWipe() }) ?? task.node.driver_internal_info;
    }
    await task.saveNode({ ...fields, last_error: error });
    await task.history(error, 'ERROR', 'servicing');
    if (opts.setFailState !== false && task.node.provision_state !== 'service failed') {
      await task.processEvent('fail', { lastError: error, targetState: 'active', history: false });
    }
  });
}

/** Ironic's use_reserved_step_handler: power steps run here; `hold` and `wait` leave the run ('exit'). */
async function reservedStep(task: TaskManager, step: Step): Promise<'used' | 'exit' | null> {
  const power: Record<string, string> = { power_on: PowerState.ON, power_off: PowerState.OFF, reboot: PowerState.REBOOT };
  const name = stepName(step);
  if (power[name]) {
    await nodePowerAction(task, power[name]);
    return 'used';
  }
  if (name === 'hold') {
    await task.processEvent('hold', { targetState: 'active' });
    return 'exit';
  }
  if (name !== 'wait') return null;
  await task.processEvent('wait', { targetState: 'active' });
  const seconds = Number((step.args as JsonObject | undefined)?.seconds);
  if (Number.isFinite(seconds)) {
    // [conductor]max_conductor_wait_step_seconds (30); afterwards Ironic resumes and waits for the next heartbeat
    await new Promise((r) => setTimeout(r, Math.min(Math.max(seconds, 0), 30) * 1000));
    await task.processEvent('resume', { targetState: 'active' });
  }
  return 'exit';
}

async function executeServiceStep(task: TaskManager, step: Step): Promise<'done' | 'wait'> {
  const iface = task.driver.get(step.interface as InterfaceKind) as unknown as StepProvider;
  const name = stepName(step);
  if (runsInAgent(task, String(step.interface), name)) {
    // Ironic's AgentBaseMixin.execute_service_step: the deploy interface hands the step to the agent
    return (await iface.executeStep?.(task, name, (step.args ?? {}) as JsonObject, 'service')) === 'wait' ? 'wait' : 'done';
  }
  const declared = (iface.serviceSteps ?? []).some((d) => d.step === name);
  if (!declared || typeof iface.executeStep !== 'function') {
    // Ironic getattr()s the step on the interface object
    throw new Error(`'${iface.ironicClass ?? `${step.interface} interface`}' object has no attribute '${name}'`);
  }
  return (await iface.executeStep(task, name, (step.args ?? {}) as JsonObject, 'service')) === 'wait' ? 'wait' : 'done';
}

/** Ironic's do_next_service_step: run from `index`, pausing on wait, leaving on hold, finishing with tear-down. */
async function nextServiceStep(task: TaskManager, index: number | null): Promise<void> {
  const steps = index === null ? [] : stepsOf(task).slice(index);
  const disableRamdisk = task.node.driver_internal_info.service_disable_ramdisk === true;
  for (const [offset, step] of steps.entries()) {
    const info = task.mergedInternalInfo({ service_step_index: (index ?? 0) + offset }) ?? task.node.driver_internal_info;
    await task.saveNode({ service_step: step, driver_internal_info: info });
    let result: 'done' | 'wait' | 'used' | 'exit' | null;
    try {
      result = await reservedStep(task, step);
      if (result === 'exit') return;
      if (result === null) result = await executeServiceStep(task, step);
    } catch (err) {
      await flowHistory(task, 'end', stepName(step));
      await servicingFailed(task, `Node ${task.node.uuid} failed step ${pyRepr(task.node.service_step)}: ${errText(err)}`);
      return;
    }
    if (result === 'wait') {
      await task.processEvent('wait', { targetState: 'active' });
      return;
    }
  }
  // Ironic wipes first, so its "completed" entry lists no steps
  await task.saveNode({ service_step: {}, driver_internal_info: wipedInfo(task) });
  await flowHistory(task, 'end');
  const deploy = task.driver.get('deploy');
  if (!disableRamdisk && deploy.tearDownService) {
    try {
      await deploy.tearDownService(task);
    } catch (err) {
      await servicingFailed(task, `Failed to tear down from service for node ${task.node.uuid}, reason: ${errText(err)}`, { tearDown: false });
      return;
    }
  }
  task.log.info(`Node ${task.node.uuid} service complete.`);
  await task.processEvent('done');
}

/** Worker body of the `service` verb (Ironic's do_node_service): the node is in `servicing`. */
async function serviceWorker(task: TaskManager, userSteps: Step[], disableRamdisk: boolean | null): Promise<void> {
  try {
    try {
      await task.driver.get('power').validate(task);
      if (!disableRamdisk) await task.driver.get('network').validate(task);
    } catch (err) {
      if (AnvilError.is(err) && err.status === 400) {
        await servicingFailed(task, `Validation of node ${task.node.uuid} for service failed: ${errText(err)}`);
        return;
      }
      throw err;
    }
    const steps = structuredClone(userSteps);
    const info = wipedInfo(task);
    Object.assign(info, { service_steps: steps, service_disable_ramdisk: disableRamdisk });
    await task.saveNode({ driver_internal_info: info });
    const checked = validateServiceSteps(task, steps, !!disableRamdisk);
    let ramdiskNeeded = false;
    if (checked.error === null) {
      await task.saveNode({ service_step: {}, driver_internal_info: { ...task.node.driver_internal_info, service_steps: checked.steps } });
    } else if (disableRamdisk) {
      await servicingFailed(task, `Cannot service node ${task.node.uuid}: ${checked.error}`);
      return;
    } else {
      // the ramdisk may know these steps: keep the list as given (with the known steps annotated)
      await task.saveNode({ driver_internal_info: { ...task.node.driver_internal_info, service_steps: steps } });
      ramdiskNeeded = true;
    }
    await flowHistory(task, 'start');
    const deploy = task.driver.get('deploy');
    if (ramdiskNeeded && !disableRamdisk && deploy.prepareService) {
      let prepared: 'done' | 'wait';
      try {
        prepared = await deploy.prepareService(task);
      } catch (err) {
        await servicingFailed(task, `Failed to prepare node ${task.node.uuid} for service: ${errText(err)}`);
        return;
      }
      if (prepared === 'wait') {
        await task.processEvent('wait', { targetState: 'active' });
        return;
      }
    } else if (!ramdiskNeeded) {
      await task.setInternalInfo({ service_disable_ramdisk: true });
    }
    await nextServiceStep(task, stepsOf(task).length ? 0 : null);
  } catch (err) {
    await servicingFailed(task, `Unexpected error when processing next service step: ${errText(err)}`);
  }
}

/** The `service` verb (Ironic's ConductorManager.do_node_service): from active, service hold or service failed. */
export async function doNodeService(ctx: ConductorContext, uuid: string, steps: JsonObject[], disableRamdisk: boolean | null): Promise<void> {
  await withTask(ctx, uuid, { purpose: 'node service' }, async (task) => {
    refuseInMaintenance(task, 'service');
    for (const kind of ['power', 'network'] as const) {
      try {
        await task.driver.get(kind).validate(task);
      } catch (err) {
        if (AnvilError.is(err) && err.status === 400) {
          throw new InvalidParameterValue(`Validation of node ${task.node.uuid} for servicing failed: ${errText(err)}`);
        }
        throw err;
      }
    }
    if (!isActionable(task.node.provision_state, 'service')) {
      throw new InvalidStateRequested(invalidStateMessage('service', task.node.uuid, task.node.provision_state));
    }
    await task.processEvent('service', { targetState: 'active', callback: (t) => serviceWorker(t, steps as Step[], disableRamdisk) });
  });
}

/** Ironic's servicing.continue_node_service: after a wait or an unhold, the next step (or the abort asked for). */
export async function continueService(task: TaskManager): Promise<void> {
  try {
    const current = (task.node.service_step ?? {}) as Step;
    if (!Object.keys(current).length) {
      // the ramdisk just booted and listed its steps (Ironic's set_node_service_steps at the first heartbeat)
      const checked = validateServiceSteps(task, structuredClone(stepsOf(task)), false);
      if (checked.error !== null) {
        await servicingFailed(task, `Node failed to start the first service step: ${checked.error}`);
        return;
      }
      const info = task.mergedInternalInfo({ service_step_index: null }) ?? { ...task.node.driver_internal_info };
      await task.saveNode({ driver_internal_info: { ...info, service_steps: checked.steps } });
      await nextServiceStep(task, checked.steps.length ? 0 : null);
      return;
    }
    const index = task.node.driver_internal_info.service_step_index;
    const next = typeof index === 'number' && index + 1 < stepsOf(task).length ? index + 1 : null;
    if (current.abort_after) {
      await task.processEvent('fail', { targetState: 'active' });
      await serviceAbort(task);
      return;
    }
    await nextServiceStep(task, next);
  } catch (err) {
    await servicingFailed(task, `Unexpected error when processing next service step: ${errText(err)}`);
  }
}

/** Agent/BMC callback (Ironic's continue_node_service RPC): resume after `service wait`. */
export async function continueNodeService(ctx: ConductorContext, uuid: string): Promise<void> {
  await withTask(ctx, uuid, { purpose: 'continue node servicing', attempts: 10 }, async (task) => {
    const state = task.node.provision_state;
    if (state !== 'service wait' && state !== 'servicing') {
      throw new InvalidStateRequested(
        `Cannot continue servicing on ${task.node.uuid}. Node is in ${state} state; should be in one of service wait, servicing`,
      );
    }
    if (state === 'service wait') await task.processEvent('resume', { targetState: 'active', callback: continueService });
    else task.spawnAfter(continueService);
  });
}

/** Ironic's get_last_error for an aborted servicing. */
function abortMessage(task: TaskManager): string {
  const step = task.node.service_step as Step;
  const base = 'By request, the service operation was aborted';
  return Object.keys(step ?? {}).length ? `${base} during or after the completion of step "${step.interface}.${stepName(step)}"` : base;
}

/** Ironic's do_node_service_abort (the node is in service failed or moving to active): tear down, say why. */
export async function serviceAbort(task: TaskManager): Promise<void> {
  const agentStarted = task.node.driver_internal_info.agent_start_attempted === true;
  try {
    const deploy = task.driver.get('deploy');
    if (agentStarted) await nodePowerAction(task, PowerState.OFF);
    if (deploy.tearDownService) await deploy.tearDownService(task);
    if (agentStarted) {
      await task.driver.get('boot').prepareInstance(task);
      await nodePowerAction(task, PowerState.ON);
    }
  } catch (err) {
    task.log.error(`Failed to tear down service for node ${task.node.uuid} after aborting the operation. Error: ${errText(err)}`);
    await servicingFailed(task, 'Failed to tear down service after aborting the operation', { tearDown: false, setFailState: false });
    return;
  }
  await safely(task, 'service abort', async () => {
    await task.saveNode({ last_error: abortMessage(task), service_step: {}, driver_internal_info: wipedInfo(task) });
    task.log.info(`Service operation aborted for node ${task.node.uuid}`);
  });
}

/** abort in service wait / service hold / service failed (Ironic's _do_abort). */
export async function abortServicing(task: TaskManager): Promise<void> {
  const node = task.node;
  if (node.provision_state === 'service failed') {
    if (node.maintenance) {
      throw new InvalidState(
        `Can not abort service on node "${node.uuid}" while it is in maintenance mode. Please remove the node from maintenance prior to issuing the request to abort the service operation.`,
      );
    }
    await task.processEvent('abort', { callback: serviceAbort });
    return;
  }
  const step = (node.service_step ?? {}) as Step;
  if (Object.keys(step).length && !step.abortable) {
    // not abortable: abort once the step is done (continueService)
    if (!step.abort_after) await task.saveNode({ service_step: { ...step, abort_after: true } });
    return;
  }
  await task.processEvent('fail', { targetState: 'active' });
  await task.processEvent('abort', { callback: serviceAbort });
}

/** unhold in service hold: → service wait, then the next step. */
export async function unholdServicing(task: TaskManager): Promise<void> {
  await task.processEvent('unhold', { targetState: 'active', callback: continueService });
}
