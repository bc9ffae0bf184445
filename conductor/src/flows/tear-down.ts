/**
 * Tear down (Ironic do_node_tear_down): `delete` → deleting; the worker cleans up rescue, console and the deploy,
 * wipes instance_info / instance_uuid / deploy-related internal info and the allocation, then `clean` → cleaning
 * and automated cleaning → available. A tear-down failure → error with last_error.
 */
import { InvalidStateRequested, type JsonObject, NodeProtected } from '@anvil/sdk';
import type { ConductorContext } from '../context.ts';
import { invalidStateMessage, isActionable } from '../states/table.ts';
import { type TaskManager, withTask } from '../task/task.ts';
import { cleanWorker } from './clean.ts';
import { bestEffortPowerOff, errText, safely } from './common.ts';

const RESCUE_STATES = ['rescue', 'rescue wait', 'rescue failed', 'unrescue failed'];
const DEPLOY_INTERNAL_KEYS = ['deploy_steps', 'deploy_step_index', 'user_deploy_steps', 'deployment_reboot', 'deployment_polling', 'agent_url', 'agent_secret_token', 'agent_secret_token_pregenerated', 'is_whole_disk_image', 'root_uuid_or_disk_id', 'instance', 'agent_cached_deploy_steps', 'is_source_a_path', 'deploy_boot_mode', 'steps_validated', 'skip_current_deploy_step'];

export async function doNodeTearDown(ctx: ConductorContext, uuid: string): Promise<void> {
  await withTask(ctx, uuid, { purpose: 'node tear down' }, async (task) => {
    const node = task.node;
    if (node.protected) throw new NodeProtected(`Node ${node.uuid} is protected and cannot be undeployed, rebuilt or deleted`);
    if (!isActionable(node.provision_state, 'delete')) {
      throw new InvalidStateRequested(invalidStateMessage('delete', node.uuid, node.provision_state));
    }
    const fromRescue = RESCUE_STATES.includes(node.provision_state);
    // Ironic's do_node_tear_down: "Record of any pre-existing agent_url should be removed"
    const internal = task.mergedInternalInfo({ agent_url: null }) ?? node.driver_internal_info;
    await task.processEvent('delete', { callback: (t) => tearDownWorker(t, fromRescue), fields: { driver_internal_info: internal } });
  });
}

async function tearDownWorker(task: TaskManager, fromRescue: boolean): Promise<void> {
  try {
    if (fromRescue) {
      const rescue = task.driver.get('rescue');
      await rescue.cleanUp(task);
    }
    if (task.node.console_enabled) {
      try {
        await task.driver.get('console').stopConsole(task);
      } catch (err) {
        task.log.warn('stopping the console failed', { error: errText(err) });
      }
      await task.saveNode({ console_enabled: false });
    }
    const deploy = task.driver.get('deploy');
    await deploy.cleanUp(task);
    await deploy.tearDown(task);
    const info: JsonObject = { ...task.node.driver_internal_info };
    for (const k of DEPLOY_INTERNAL_KEYS) delete info[k];
    info.deploy_steps = null; // Ironic's wipe_deploy_internal_info keeps the key, as null
    const allocationId = task.node.allocation_id;
    if (allocationId !== null) {
      await task.ctx.db.allocations.get(allocationId).then(
        (a: { uuid: string }) => task.ctx.db.allocations.destroy(a.uuid),
        () => undefined,
      );
    }
    // deleting → cleaning (automated, target available) in the same write that wipes the instance
    await task.processEvent('clean', {
      fields: { instance_info: {}, instance_uuid: null, driver_internal_info: info, deploy_step: {}, allocation_id: null },
    });
  } catch (err) {
    const msg = `Error while tearing down node ${task.node.uuid}: ${errText(err)}`;
    task.log.error(msg);
    await safely(task, 'tear-down failure handling', async () => {
      await bestEffortPowerOff(task);
      await task.processEvent('fail', { lastError: msg });
    });
    return;
  }
  // the same worker goes on cleaning
  await cleanWorker(task);
}
