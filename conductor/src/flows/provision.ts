/**
 * The provision verbs (PUT /states/provision) as the conductor receives them: one dispatcher routing each verb to its
 * flow, plus Ironic's do_provisioning_action for manage / provide / abort / adopt / unhold (Ironic 39).
 */
import { InvalidParameterValue, InvalidStateRequested, type JsonObject, type ProvisionArgs } from '@anvil/sdk';
import type { ConductorContext } from '../context.ts';
import { eventForVerb, invalidStateMessage, isActionable } from '../states/table.ts';
import { withTask } from '../task/task.ts';
import { adoptWorker } from './adopt.ts';
import { abortCleaning, cleanWorker, doNodeClean } from './clean.ts';
import { refuseInMaintenance } from './common.ts';
import { abortDeploy, doNodeDeploy } from './deploy.ts';
import { abortInspection, inspectHardware } from './inspect.ts';
import { abortRescue, doNodeRescue, doNodeUnrescue } from './rescue.ts';
import { abortServicing, doNodeService, unholdServicing } from './service.ts';
import { doNodeTearDown } from './tear-down.ts';
import { verifyWorker } from './verify.ts';

export async function doProvisionAction(ctx: ConductorContext, uuid: string, verb: string, args: ProvisionArgs = {}): Promise<void> {
  switch (verb) {
    case 'active':
    case 'deploy':
    case 'rebuild':
      return doNodeDeploy(ctx, uuid, { rebuild: verb === 'rebuild', configdrive: args.configdrive, deploy_steps: args.deploy_steps });
    case 'deleted':
    case 'undeploy':
      return doNodeTearDown(ctx, uuid);
    case 'clean':
      return doNodeClean(ctx, uuid, (args.clean_steps ?? []) as JsonObject[], !!args.disable_ramdisk);
    case 'rescue':
      return doNodeRescue(ctx, uuid, args.rescue_password ?? '');
    case 'unrescue':
      return doNodeUnrescue(ctx, uuid);
    case 'inspect':
      return inspectHardware(ctx, uuid);
    case 'service':
      return doNodeService(ctx, uuid, (args.service_steps ?? []) as JsonObject[], args.disable_ramdisk ?? null);
    case 'manage':
    case 'provide':
    case 'abort':
    case 'adopt':
    case 'unhold':
      return doProvisioningAction(ctx, uuid, verb);
    default:
      throw new InvalidStateRequested(`The requested action "${verb}" could not be understood.`);
  }
}

/** Ironic ConductorManager.do_provisioning_action. */
export async function doProvisioningAction(ctx: ConductorContext, uuid: string, action: string): Promise<void> {
  await withTask(ctx, uuid, { purpose: 'provision action' }, async (task) => {
    const node = task.node;
    const state = node.provision_state;
    const event = eventForVerb(action) ?? action;
    if (!isActionable(state, event)) throw new InvalidStateRequested(invalidStateMessage(action, node.uuid, state));

    if (action === 'provide' && state === 'manageable') {
      if (node.retired) throw new InvalidParameterValue(`Cannot provide node ${node.uuid}: it is retired. Unset retired first.`);
      if (!ctx.settings.allow_provisioning_in_maintenance) refuseInMaintenance(task, 'providing');
      await task.processEvent('provide', { callback: (t) => cleanWorker(t) });
      return;
    }
    if (action === 'manage' && state === 'enroll') {
      await task.processEvent('manage', { callback: verifyWorker });
      return;
    }
    if (action === 'adopt') {
      await task.processEvent('adopt', { callback: adoptWorker });
      return;
    }
    if (action === 'unhold') {
      // clean/deploy hold → their wait state (the next heartbeat goes on); service hold → the next service step
      if (state === 'service hold') return unholdServicing(task);
      await task.processEvent('unhold');
      return;
    }
    if (action === 'abort') {
      if (state === 'service wait' || state === 'service hold' || state === 'service failed') return abortServicing(task);
      if (state === 'wait call-back' || state === 'deploy hold') return abortDeploy(task);
      if (state === 'clean wait' || state === 'clean hold') return abortCleaning(task);
      if (state === 'rescue wait') return abortRescue(task);
      if (state === 'inspect wait') return abortInspection(task);
    }
    // synchronous: manage from available / clean failed / inspect failed / adopt failed
    await task.processEvent(event);
  });
}
