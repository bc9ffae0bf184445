/**
 * Deploy / rebuild (Ironic do_node_deploy + deployments.py): checks under the exclusive lock, the `deploy` or
 * `rebuild` event moves the node to deploying inside the RPC call, then a worker prepares and runs the deploy steps;
 * a step answering 'wait' parks the node in `wait call-back` until continueNodeDeploy. Failure → deploy failed,
 * last_error, power off. Ironic 39 (1.110): abort in `wait call-back` (or `deploy hold`) → deploy failed; a step that
 * is not abortable is marked `abort_after` and the deploy stops once it is done.
 */
import { InvalidParameterValue, InvalidStateRequested, NodeProtected, type JsonObject, type NodeRecord } from '@anvil/sdk';
import type { ConductorContext } from '../context.ts';
import { invalidStateMessage, isActionable } from '../states/table.ts';
import { type TaskManager, withTask } from '../task/task.ts';
import { agentWipe, bestEffortPowerOff, errText, refuseInMaintenance, safely, validateInstanceInfoTraits, validateKinds } from './common.ts';
import { ironicDeployStep, stepFlowHistory } from './flow-history.ts';
import { automatedSteps, clearedStepFields, clearSteps, nextStepIndex, runSteps, type StepRef, startSteps, validateUserSteps } from './steps.ts';

const DEPLOY_START_WIPE = {
  ...agentWipe(),
  agent_cached_deploy_steps: null,
  deploy_step_index: null,
  deployment_reboot: null,
  deployment_polling: null,
  skip_current_deploy_step: null,
  steps_validated: null,
};

export interface DeployArgs {
  rebuild?: boolean;
  configdrive?: string | JsonObject | null;
  deploy_steps?: JsonObject[] | null;
}

export async function doNodeDeploy(ctx: ConductorContext, uuid: string, args: DeployArgs = {}): Promise<void> {
  await withTask(ctx, uuid, { purpose: 'node deployment' }, async (task) => {
    const node = task.node;
    const event = args.rebuild ? 'rebuild' : 'deploy';
    refuseInMaintenance(task, 'provisioning');
    if (args.rebuild && node.protected) {
      throw new NodeProtected(`Node ${node.uuid} is protected and cannot be undeployed, rebuilt or deleted`);
    }
    if (!isActionable(node.provision_state, event)) {
      throw new InvalidStateRequested(invalidStateMessage(event, node.uuid, node.provision_state));
    }
    const typed = imageTypeFields(node);
    if (typed) await task.saveNode(typed);
    await validateKinds(task, ['power', 'deploy'], `Failed to validate deploy or power info for node ${task.node.uuid}`);
    await validateInstanceInfoTraits(task).catch((err) => {
      throw new InvalidParameterValue(`Failed to validate deploy or power info for node ${node.uuid}. Error: ${err.message}`);
    });
    const user = mergeSteps(await templateSteps(task), args.deploy_steps?.length ? validateUserSteps(task, 'deploy', args.deploy_steps) : []);
    const instanceInfo: JsonObject = { ...task.node.instance_info };
    if (args.configdrive !== undefined && args.configdrive !== null && args.configdrive !== '') instanceInfo.configdrive = args.configdrive;
    else if (args.rebuild) delete instanceInfo.configdrive;
    // Ironic's wipe_deploy_internal_info: the last ramdisk's URL and token and an earlier deploy's bookkeeping go
    const internal: JsonObject = task.mergedInternalInfo(DEPLOY_START_WIPE) ?? { ...task.node.driver_internal_info };
    if (user.length) internal.user_deploy_steps = user as unknown as JsonObject[];
    else delete internal.user_deploy_steps;
    await task.processEvent(event, {
      callback: (t) => deployWorker(t),
      lastError: null,
      fields: { instance_info: instanceInfo, driver_internal_info: internal, deploy_step: {} },
    });
  });
}

/**
 * Ironic's update_image_type, before the deploy is validated: instance_info.image_type ('whole-disk' unless it
 * says 'partition', or for a URL image without kernel and ramdisk) and driver_internal_info.is_whole_disk_image.
 * A Glance image id (no image service here) or a directory URL changes nothing.
 */
export function imageTypeFields(node: NodeRecord): Partial<NodeRecord> | null {
  const ii = node.instance_info;
  const src = ii.image_source;
  if (typeof src !== 'string' || src === '') return null;
  let whole: boolean;
  if (typeof ii.image_type === 'string' && ii.image_type) whole = ii.image_type !== 'partition';
  else if (!src.includes('://') || src.endsWith('/')) return null;
  else whole = !ii.kernel && !ii.ramdisk;
  const imageType = whole ? 'whole-disk' : 'partition';
  if (ii.image_type === imageType && node.driver_internal_info.is_whole_disk_image === whole) return null;
  return {
    instance_info: { ...ii, image_type: imageType },
    driver_internal_info: { ...node.driver_internal_info, is_whole_disk_image: whole },
  };
}

/**
 * Ironic's deploy templates: templates named like the instance's traits (instance_info.traits, set by allocations
 * and Nova) add their steps; steps given with the request take precedence. A template step the driver does not
 * support refuses the deployment (400), as Ironic's validate_deploy_templates.
 */
async function templateSteps(task: TaskManager): Promise<StepRef[]> {
  const raw = task.node.instance_info.traits;
  const traits = Array.isArray(raw) ? raw.filter((t): t is string => typeof t === 'string') : [];
  if (traits.length === 0) return [];
  const templates = await task.ctx.db.deployTemplates.listByNames(traits);
  const steps = templates.flatMap((t) => t.steps.map((s) => ({ interface: s.interface, step: s.step, args: s.args, priority: s.priority })));
  if (steps.length === 0) return [];
  try {
    return validateUserSteps(task, 'deploy', steps as unknown as JsonObject[]);
  } catch (err) {
    throw new InvalidParameterValue(
      `Validation of deploy steps from deploy templates matching this node's instance traits failed. Matching deploy templates: ${templates.map((t) => t.name).join(', ')}. Errors: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** Later lists win per interface.step (request deploy_steps over template steps). */
function mergeSteps(...lists: StepRef[][]): StepRef[] {
  const byKey = new Map<string, StepRef>();
  for (const list of lists) for (const s of list) byKey.set(`${s.interface}.${s.step}`, s);
  return [...byKey.values()];
}

async function deployWorker(task: TaskManager): Promise<void> {
  try {
    await task.driver.get('deploy').prepare(task);
    const user = (task.node.driver_internal_info.user_deploy_steps ?? []) as unknown as Parameters<typeof automatedSteps>[2];
    const steps = automatedSteps(task, 'deploy', user);
    await stepFlowHistory(task, 'deployment', steps.map(ironicDeployStep), 'start');
    const outcome = await startSteps(task, 'deploy', steps);
    await afterSteps(task, outcome);
  } catch (err) {
    await deployFailed(task, err);
  }
}

async function afterSteps(task: TaskManager, outcome: 'done' | 'wait'): Promise<void> {
  if (outcome === 'wait') {
    await task.processEvent('wait');
    return;
  }
  const steps = (task.node.driver_internal_info.deploy_steps ?? []) as unknown as StepRef[];
  await stepFlowHistory(task, 'deployment', steps.map(ironicDeployStep), 'end');
  // one write: clear the step bookkeeping, forget the agent, move to active
  await task.processEvent('done', { fields: clearedStepFields(task, 'deploy', { user_deploy_steps: null, ...agentWipe() }) });
}

export async function deployFailed(task: TaskManager, err: unknown): Promise<void> {
  const step = task.node.deploy_step as { interface?: string; step?: string };
  const where = step?.step ? `Deploy step ${step.interface}.${step.step} failed` : 'Failed to deploy';
  const msg = `${where} on node ${task.node.uuid}. Error: ${errText(err)}`;
  task.log.error(msg);
  await safely(task, 'deploy failure handling', async () => {
    await clearSteps(task, 'deploy');
    await bestEffortPowerOff(task);
    await task.processEvent('fail', { lastError: msg });
  });
}

/** Agent/BMC callback: resume the deploy steps after `wait call-back`. */
export async function continueNodeDeploy(ctx: ConductorContext, uuid: string): Promise<void> {
  await withTask(ctx, uuid, { purpose: 'continue node deploying', attempts: 10 }, async (task) => {
    if (task.node.provision_state !== 'wait call-back' && task.node.provision_state !== 'deploying') {
      throw new InvalidStateRequested(invalidStateMessage('resume', task.node.uuid, task.node.provision_state));
    }
    const resume = async (t: TaskManager) => {
      try {
        if ((t.node.deploy_step as { abort_after?: boolean }).abort_after) {
          await t.processEvent('fail');
          await deployAbortWorker(t);
          return;
        }
        await afterSteps(t, await runSteps(t, 'deploy', nextStepIndex(t, 'deploy')));
      } catch (err) {
        await deployFailed(t, err);
      }
    };
    if (task.node.provision_state === 'wait call-back') await task.processEvent('resume', { callback: resume });
    else task.spawnAfter(resume);
  });
}

/** Ironic's do_node_deploy_abort: clean up the deploy, say which step it stopped at, forget the steps. */
async function deployAbortWorker(task: TaskManager): Promise<void> {
  await safely(task, 'deploy abort', async () => {
    try {
      await task.driver.get('deploy').cleanUp(task);
    } catch (err) {
      task.log.error(`Failed to clean up deploying for node ${task.node.uuid} after aborting the operation. Error: ${errText(err)}`);
      await task.saveNode({ last_error: 'Failed to clean up deploying after aborting the operation' });
      return;
    }
    const step = task.node.deploy_step as { interface?: string; step?: string };
    const where = step?.step ? ` during or after the completion of step "${step.interface}.${step.step}"` : '';
    await task.saveNode({ last_error: `By request, the deploy operation was aborted${where}`, ...clearedStepFields(task, 'deploy', { user_deploy_steps: null, ...agentWipe() }) });
    task.log.info(`Deploy operation aborted for node ${task.node.uuid}${where}`);
  });
}

/** abort in `wait call-back` (1.110) or `deploy hold`: the agent is forgotten at once, the clean-up runs in the background. */
export async function abortDeploy(task: TaskManager): Promise<void> {
  const step = task.node.deploy_step as { step?: string; abortable?: boolean; abort_after?: boolean };
  if (task.node.provision_state === 'wait call-back' && step?.step && !step.abortable) {
    if (!step.abort_after) await task.saveNode({ deploy_step: { ...task.node.deploy_step, abort_after: true } });
    return;
  }
  const info = task.mergedInternalInfo({ agent_url: null }) ?? undefined;
  await task.processEvent('abort', { callback: deployAbortWorker, fields: info ? { driver_internal_info: info } : {} });
}
