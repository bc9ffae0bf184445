/**
 * Rescue / unrescue (Ironic do_node_rescue, do_node_unrescue, _do_node_rescue_abort): the rescue interface boots a
 * rescue ramdisk (may wait → rescue wait) and finishes in `rescue`; unrescue returns to active.
 * The rescue password is kept in instance_info (masked by the API) and removed when rescue ends. As in Ironic, rescue
 * starts by forgetting any agent URL and token, unrescue removes the rescue agent's URL first and wipes URL and token
 * when it is done (a stale rescue agent_url would otherwise be asked for clean steps after an undeploy).
 */
import { createHash, randomBytes } from 'node:crypto';
import { Fault, InvalidParameterValue, InvalidStateRequested, type JsonObject } from '@anvil/sdk';
import type { ConductorContext } from '../context.ts';
import { invalidStateMessage, isActionable } from '../states/table.ts';
import { type TaskManager, withTask } from '../task/task.ts';
import { agentWipe, errText, refuseInMaintenance, safely, validateKinds } from './common.ts';

/** A salted SHA-512 hex digest stored next to the password (never logged). */
function hashPassword(password: string): string {
  const salt = randomBytes(8).toString('hex');
  return `sha512$${salt}$${createHash('sha512').update(salt + password).digest('hex')}`;
}

async function removeRescuePassword(task: TaskManager): Promise<void> {
  const info: JsonObject = { ...task.node.instance_info };
  if (!('rescue_password' in info) && !('hashed_rescue_password' in info)) return;
  delete info.rescue_password;
  delete info.hashed_rescue_password;
  await task.saveNode({ instance_info: info });
}

export async function doNodeRescue(ctx: ConductorContext, uuid: string, password: string): Promise<void> {
  if (!password?.trim()) {
    throw new InvalidParameterValue('A non-empty "rescue_password" is required when setting target provision state to rescue');
  }
  await withTask(ctx, uuid, { purpose: 'node rescue' }, async (task) => {
    refuseInMaintenance(task, 'rescuing');
    if (!isActionable(task.node.provision_state, 'rescue')) {
      throw new InvalidStateRequested(invalidStateMessage('rescue', task.node.uuid, task.node.provision_state));
    }
    await validateKinds(task, ['power', 'rescue'], `Failed to validate rescue interface for node ${task.node.uuid}`);
    const instanceInfo = { ...task.node.instance_info, rescue_password: password, hashed_rescue_password: hashPassword(password) };
    // Ironic's do_node_rescue: any earlier agent's URL and token are forgotten (the rescue ramdisk looks up afresh)
    const internal = task.mergedInternalInfo(agentWipe()) ?? task.node.driver_internal_info;
    await task.processEvent('rescue', { callback: rescueWorker, fields: { instance_info: instanceInfo, driver_internal_info: internal } });
  });
}

async function rescueWorker(task: TaskManager): Promise<void> {
  try {
    const outcome = await task.driver.get('rescue').rescue(task);
    await task.processEvent(outcome === 'wait' ? 'wait' : 'done');
  } catch (err) {
    const msg = `Failed to rescue node ${task.node.uuid}: ${errText(err)}`;
    task.log.error(msg);
    await safely(task, 'rescue failure handling', async () => {
      await removeRescuePassword(task);
      await task.setInternalInfo({ agent_url: null }); // Ironic's rescuing_error_handler: remove_agent_url
      await task.processEvent('fail', { lastError: msg });
    });
  }
}

export async function doNodeUnrescue(ctx: ConductorContext, uuid: string): Promise<void> {
  await withTask(ctx, uuid, { purpose: 'node unrescue' }, async (task) => {
    refuseInMaintenance(task, 'unrescuing');
    if (!isActionable(task.node.provision_state, 'unrescue')) {
      throw new InvalidStateRequested(invalidStateMessage('unrescue', task.node.uuid, task.node.provision_state));
    }
    await validateKinds(task, ['power'], `Failed to validate power driver interface for node ${task.node.uuid}`);
    // Ironic's do_node_unrescue: a recorded agent_url (the rescue ramdisk's) is removed before anything else
    const internal = task.mergedInternalInfo({ agent_url: null }) ?? task.node.driver_internal_info;
    await task.processEvent('unrescue', { callback: unrescueWorker, fields: { driver_internal_info: internal } });
  });
}

async function unrescueWorker(task: TaskManager): Promise<void> {
  try {
    await task.driver.get('rescue').unrescue(task);
    await removeRescuePassword(task);
    // Ironic's _do_node_unrescue: wipe_token_and_url, so the next ramdisk (cleaning after an undeploy) starts clean
    await task.processEvent('done', { fields: { driver_internal_info: task.mergedInternalInfo(agentWipe()) ?? task.node.driver_internal_info } });
  } catch (err) {
    const msg = `Failed to unrescue node ${task.node.uuid}: ${errText(err)}`;
    task.log.error(msg);
    await safely(task, 'unrescue failure handling', () => task.processEvent('fail', { lastError: msg }));
  }
}

/** `abort` from rescue wait → rescue failed; a cleanup failure puts the node in maintenance. */
export async function abortRescue(task: TaskManager): Promise<void> {
  await task.processEvent('abort', {
    callback: async (t) => {
      try {
        await t.driver.get('rescue').cleanUp(t);
        await removeRescuePassword(t);
        await t.saveNode({ last_error: 'Rescue operation was aborted by request.' });
      } catch (err) {
        const msg = `Failed to clean up rescue after aborting the operation: ${errText(err)}`;
        await safely(t, 'rescue abort handling', () =>
          t.saveNode({ last_error: msg, maintenance: true, maintenance_reason: msg, fault: Fault.RESCUE_ABORT_FAILURE }),
        );
      }
      t.publish('abort');
    },
  });
}
