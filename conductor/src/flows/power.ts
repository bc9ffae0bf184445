/**
 * Power actions (Ironic change_node_power_state + utils.node_power_action): under the exclusive lock validate the
 * power interface and the target, set target_power_state, clear last_error, then a worker drives the hardware.
 * Success → power_state set, target cleared. Failure → last_error, power_state unchanged, no maintenance.
 */
import { InvalidParameterValue, InvalidStateRequested, type JsonObject, PowerState } from '@anvil/sdk';
import type { ConductorContext } from '../context.ts';
import { type TaskManager, withTask } from '../task/task.ts';
import { errText, safely, validateKinds, wipeOnPowerOff } from './common.ts';

export const POWER_TARGETS: readonly string[] = [
  PowerState.ON,
  PowerState.OFF,
  PowerState.REBOOT,
  PowerState.SOFT_REBOOT,
  PowerState.SOFT_POWER_OFF,
];

/** The state a power action leaves the machine in (target_power_state while it runs). */
export const resultingState = (target: string): string =>
  target === PowerState.ON || target === PowerState.REBOOT || target === PowerState.SOFT_REBOOT ? PowerState.ON : PowerState.OFF;

export async function changeNodePowerState(ctx: ConductorContext, uuid: string, target: string, timeout?: number | null): Promise<void> {
  if (!POWER_TARGETS.includes(target)) {
    throw new InvalidStateRequested(`The requested action "${target}" can not be performed on node "${uuid}" while it is in state "unknown".`);
  }
  await withTask(ctx, uuid, { purpose: 'changing node power state' }, async (task) => {
    if (task.node.provision_state === 'cleaning' || task.node.provision_state === 'clean wait') {
      throw new InvalidStateRequested(`The requested action "${target}" can not be performed on node "${uuid}" while it is in state "${task.node.provision_state}".`);
    }
    await validateKinds(task, ['power'], `Failed to validate power driver interface for node ${task.node.uuid}`);
    const supported = await task.driver.get('power').getSupportedPowerStates(task);
    if (!supported.includes(target)) {
      throw new InvalidParameterValue(
        `The driver ${task.node.driver} does not support the power state "${target}" for node ${task.node.uuid}. Supported: ${supported.join(', ')}`,
      );
    }
    // the worker slot first: a full pool answers 503 before target_power_state is saved
    task.spawnAfter((t) => nodePowerAction(t, target, timeout ?? undefined));
    await task.saveNode({ target_power_state: resultingState(target), last_error: null });
    task.publish('power');
  });
}

/** Drive the hardware (the task holds the exclusive lock). Never throws: failures land in last_error. */
/** datetime.utcnow().isoformat(): no zone, microseconds. */
const pyUtcNow = () => new Date().toISOString().replace('Z', '000');

export async function nodePowerAction(task: TaskManager, target: string, timeout?: number): Promise<void> {
  const wanted = resultingState(target);
  const soft = target === PowerState.SOFT_REBOOT || target === PowerState.SOFT_POWER_OFF;
  const timeoutSec = timeout ?? (soft ? Number(task.ctx.settings.soft_power_off_timeout) || 600 : undefined);
  const power = task.driver.get('power');
  // Ironic stamps driver_internal_info.last_power_state_change (Python's utcnow().isoformat()) for every action
  // it does not skip (a skipped on/off leaves it alone)
  let stamp: { driver_internal_info?: JsonObject } = {};
  const stampNow = () => {
    stamp = { driver_internal_info: { ...task.node.driver_internal_info, last_power_state_change: pyUtcNow() } };
  };
  try {
    // Ironic's _can_skip_state_change: on, off and soft power off are skipped when the machine is already there
    if (target === PowerState.ON || target === PowerState.OFF || target === PowerState.SOFT_POWER_OFF) {
      const current = await power.getPowerState(task);
      if (current !== wanted) {
        stampNow();
        await power.setPowerState(task, target, timeoutSec);
      } else task.log.info(`Not going to change node ${task.node.uuid} power state because current state = requested state = '${wanted}'.`);
    } else if (target === PowerState.REBOOT) {
      stampNow();
      await power.reboot(task, timeoutSec);
    } else {
      stampNow();
      await power.setPowerState(task, target, timeoutSec);
    }
    await task.saveNode({ power_state: wanted, target_power_state: null, ...stamp });
    if (target !== PowerState.ON) await wipeOnPowerOff(task); // off, soft off, reboots: the ramdisk must look up again
    await task.history(`Power state changed to ${wanted} by "${target}"`, 'INFO', 'power');
  } catch (err) {
    const msg = `Failed to change power state to '${wanted}' by '${target}'. Error: ${errText(err)}`;
    task.log.error(msg);
    await safely(task, 'power failure handling', async () => {
      await task.saveNode({ target_power_state: null, last_error: msg, ...stamp });
      await task.history(msg, 'ERROR', 'power');
    });
  }
  task.publish('power');
}
