/**
 * Power actions the deploy flow performs (Ironic manager_utils.node_power_action): record power_state, skip a power
 * off when already off, and wipe the agent token and URL on every power off or reboot (the ramdisk must look up again).
 */
import { PowerState, type Task } from '@anvil/sdk';

export const AGENT_KEYS = ['agent_url', 'agent_secret_token', 'agent_secret_token_pregenerated', 'agent_cached_deploy_steps', 'agent_cached_clean_steps', 'steps_validated', 'agent_verify_ca'];

export async function wipeAgent(task: Task): Promise<void> {
  if (!AGENT_KEYS.some((k) => k in task.node.driver_internal_info)) return;
  await task.setInternalInfo(Object.fromEntries(AGENT_KEYS.map((k) => [k, null])));
}

export async function powerAction(task: Task, target: 'power on' | 'power off' | 'rebooting'): Promise<void> {
  const power = task.driver.get('power');
  if (target === PowerState.OFF) {
    const now = await power.getPowerState(task);
    if (now !== PowerState.OFF) await power.setPowerState(task, PowerState.OFF);
  } else if (target === PowerState.ON) {
    await power.setPowerState(task, PowerState.ON);
  } else if ((await power.getPowerState(task)) === PowerState.OFF) {
    await power.setPowerState(task, PowerState.ON); // a reboot of a node that is off is a power on (one BMC "power 1")
  } else {
    await power.reboot(task);
  }
  await task.saveNode({ power_state: target === PowerState.OFF ? PowerState.OFF : PowerState.ON, target_power_state: null });
  await task.setInternalInfo({ last_power_state_change: new Date().toISOString() });
  if (target !== PowerState.ON) await wipeAgent(task);
}
