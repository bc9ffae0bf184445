/**
 * The agent's step cache (Ironic's AgentBaseMixin.refresh_steps; kind clean, deploy or service): `<kind>.get_<kind>_steps` answers
 * `{<kind>_steps: {<hardware manager>: [step...]}, hardware_manager_version}`; the node keeps the steps grouped by
 * interface in driver_internal_info.agent_cached_<kind>_steps (clean steps marked requires_ramdisk), the
 * hardware_manager_version, and agent_cached_<kind>_steps_refreshed (UTC, Python isoformat). A result or step
 * without its keys fails the deploy or the cleaning with Ironic's message. Pure.
 */
import { InstanceDeployFailure, type JsonObject, NodeCleaningFailure, NodeServicingFailure } from '@anvil/sdk';

const pyRepr = (v: unknown) => JSON.stringify(v).replace(/"/g, "'");

export function cachedSteps(kind: 'clean' | 'deploy' | 'service', nodeUuid: string, result: JsonObject, now = new Date()): JsonObject {
  const fail = (msg: string) => (kind === 'clean' ? new NodeCleaningFailure(msg) : kind === 'service' ? new NodeServicingFailure(msg) : new InstanceDeployFailure(msg));
  const missing = [`${kind}_steps`, 'hardware_manager_version'].filter((k) => !(k in result));
  if (missing.length) {
    throw fail(`agent get_${kind}_steps for node ${nodeUuid} returned an invalid result. Keys: ${missing.join(', ')} are missing from result: ${pyRepr(result)}.`);
  }
  const byInterface: Record<string, JsonObject[]> = {};
  for (const list of Object.values((result[`${kind}_steps`] ?? {}) as Record<string, JsonObject[]>)) {
    for (const step of list ?? []) {
      const lacking = ['interface', 'step', 'priority'].filter((k) => !(k in step));
      if (lacking.length) {
        throw fail(`agent get_${kind}_steps for node ${nodeUuid} returned an invalid ${kind} step. Keys: ${lacking.join(', ')} are missing from step: ${pyRepr(step)}.`);
      }
      const s = kind === 'clean' ? { ...step, requires_ramdisk: true } : step;
      (byInterface[String(step.interface)] ??= []).push(s);
    }
  }
  return {
    hardware_manager_version: result.hardware_manager_version as JsonObject,
    [`agent_cached_${kind}_steps`]: byInterface as unknown as JsonObject,
    [`agent_cached_${kind}_steps_refreshed`]: now.toISOString().replace('Z', '000'),
  };
}
