/** Small helpers every flow uses: error text, interface validation with Ironic's wording, best-effort power off. */
import { AnvilError, InvalidParameterValue, NodeInMaintenance, PowerState, type InterfaceKind } from '@anvil/sdk';
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

// agent_version and agent_last_heartbeat stay (ipa-contract §5: Ironic keeps them after the wipe)
// agent_verify_ca too: the certificate is regenerated on each ramdisk run (Ironic's wipe_token_and_url)
export const AGENT_KEYS = ['agent_url', 'agent_secret_token', 'agent_secret_token_pregenerated', 'agent_verify_ca'];

/** driver_internal_info changes that forget the agent (merge into a save). */
export const agentWipe = (): Record<string, null> => Object.fromEntries(AGENT_KEYS.map((k) => [k, null]));

/** Forget the ramdisk agent's URL and token (tear-down, power off, clean/deploy end). */
export async function wipeAgentToken(task: TaskManager): Promise<void> {
  if (!AGENT_KEYS.some((k) => k in task.node.driver_internal_info)) return;
  await task.setInternalInfo(Object.fromEntries(AGENT_KEYS.map((k) => [k, null])));
}

/** Power the node off after a failure; errors are logged, never thrown. */
export async function bestEffortPowerOff(task: TaskManager): Promise<void> {
  try {
    await task.driver.get('power').setPowerState(task, PowerState.OFF);
    if (task.node.power_state !== PowerState.OFF) await task.saveNode({ power_state: PowerState.OFF });
    await wipeAgentToken(task);
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
