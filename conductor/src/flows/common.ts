/** Small helpers every flow uses: error text, interface validation with Ironic's wording, best-effort power off. */
import { AnvilError, InvalidParameterValue, type JsonObject, NodeInMaintenance, PowerState, type InterfaceKind } from '@anvil/sdk';
import type { TaskManager } from '../task/task.ts';

export const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Validate interfaces; a driver error becomes InvalidParameterValue "<prefix>. Error: <msg>" (400). */
export async function validateKinds(task: TaskManager, kinds: InterfaceKind[], prefix: string): Promise<void> {
  for (const kind of kinds) {
    try {
      await task.driver.get(kind).validate(task);
    } catch (err) {
      if (AnvilError.is(err) && err.status === 400) throw new InvalidParameterValue(`${prefix}. Error: ${err.message}`);
      throw err;
    }
  }
}

/**
 * Ironic's validate_instance_info_traits: instance_info.traits (set by Nova from the flavor, or by an allocation)
 * must be a list of strings that are all node traits.
 */
export async function validateInstanceInfoTraits(task: TaskManager): Promise<void> {
  const raw = task.node.instance_info.traits;
  if (raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0) || raw === '') return;
  if (!Array.isArray(raw) || !raw.every((t) => typeof t === 'string')) {
    throw new InvalidParameterValue(`Error parsing traits from Node ${task.node.uuid} instance_info field. A list of strings is expected.`);
  }
  const have = new Set(await task.ctx.db.traits.list(task.node.id));
  const missing = [...new Set(raw as string[])].filter((t) => !have.has(t));
  if (missing.length) {
    throw new InvalidParameterValue(
      `Cannot specify instance traits that are not also set on the node. Node ${task.node.uuid} is missing traits ${missing.join(', ')}`,
    );
  }
}

export function refuseInMaintenance(task: TaskManager, op: string): void {
  if (task.node.maintenance) {
    throw new NodeInMaintenance(`The ${op} operation can't be performed on node ${task.node.uuid} because it's in maintenance mode.`);
  }
}

// Ironic's wipe_token_and_url (conductor/utils.py): when a flow that boots a ramdisk starts (deploy, cleaning, rescue),
// after unrescue, and at the end of deploy and cleaning, the last ramdisk's URL, token and certificate are forgotten.
// agent_version and agent_last_heartbeat stay (ipa-contract §5: Ironic keeps them after the wipe);
// agent_verify_ca goes: the certificate is regenerated on each ramdisk run
export const AGENT_KEYS = ['agent_url', 'agent_secret_token', 'agent_secret_token_pregenerated', 'agent_verify_ca'];

/** driver_internal_info changes that forget the agent (merge into a save). */
export const agentWipe = (): Record<string, null> => Object.fromEntries(AGENT_KEYS.map((k) => [k, null]));

/**
 * Ironic's wipe_internal_info_on_power_off: on every power off or reboot (even one skipped because the node is
 * already off) the agent URL, a token that was not pre-generated, the cached agent steps and the certificate go —
 * DHCP may give the next ramdisk another address, and its steps may differ.
 */
export function powerOffWipe(info: JsonObject): Record<string, null> {
  const keys = ['agent_url', 'agent_cached_deploy_steps', 'agent_cached_clean_steps', 'agent_verify_ca'];
  if (!info.agent_secret_token_pregenerated) keys.push('agent_secret_token');
  return Object.fromEntries(keys.map((k) => [k, null]));
}

/** wipe_internal_info_on_power_off applied to the node (no write when nothing is there). */
export async function wipeOnPowerOff(task: TaskManager): Promise<void> {
  await task.setInternalInfo(powerOffWipe(task.node.driver_internal_info));
}

/** Power the node off after a failure; errors are logged, never thrown. */
export async function bestEffortPowerOff(task: TaskManager): Promise<void> {
  try {
    await task.driver.get('power').setPowerState(task, PowerState.OFF);
    if (task.node.power_state !== PowerState.OFF) await task.saveNode({ power_state: PowerState.OFF });
    await wipeOnPowerOff(task);
  } catch (err) {
    task.log.warn('power off after failure failed', { error: errText(err) });
  }
}

/** Run a failure handler that must not throw (the DB may be the thing failing). */
export async function safely(task: TaskManager, what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    task.log.error(`${what} failed; the node is left for the stale-reservation check`, { error: errText(err) });
  }
}

/**
 * Ironic's node_cache_firmware_components (after an inspection): the firmware interface reads and stores the node's
 * components; a driver without one, or without components to report, is only logged.
 */
export async function cacheFirmwareComponents(task: TaskManager): Promise<void> {
  let firmware: { cacheFirmwareComponents(t: TaskManager): Promise<void> } | undefined;
  try {
    firmware = task.driver.get('firmware');
  } catch {
    return;
  }
  try {
    await firmware.cacheFirmwareComponents(task);
  } catch (err) {
    task.log.warn(`Firmware components of node ${task.node.uuid} not cached: ${errText(err)}`);
  }
}
