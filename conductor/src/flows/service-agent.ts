/**
 * Servicing's in-band part (Ironic 39 agent_base): with an agent deploy interface (one that can prepare servicing),
 * the steps the booted agent listed (driver_internal_info.agent_cached_service_steps) count as declared service
 * steps and run through the deploy interface; a failed heartbeat in service wait ends servicing as Ironic 39 does.
 */
import { AnvilError, type JsonObject, type StepDeclaration } from '@anvil/sdk';
import type { TaskManager } from '../task/task.ts';
import { errText, safely } from './common.ts';

/** Ironic's AgentBaseMixin.get_service_steps: every step the agent listed, under the interface it names. */
export function agentServiceSteps(task: TaskManager): { iface: string; decl: StepDeclaration }[] {
  if (!task.driver.get('deploy').prepareService) return [];
  const cached = (task.node.driver_internal_info.agent_cached_service_steps ?? {}) as Record<string, JsonObject[]>;
  return Object.entries(cached).flatMap(([iface, list]) =>
    (Array.isArray(list) ? list : []).map((s) => ({ iface, decl: { ...(s as unknown as StepDeclaration), requires_ramdisk: true } })),
  );
}

/** Whether a service step goes to the agent: the deploy interface relays steps it does not declare itself. */
export function runsInAgent(task: TaskManager, iface: string, step: string): boolean {
  const deploy = task.driver.get('deploy');
  if (iface !== 'deploy' || !deploy.prepareService) return false;
  return !(deploy.serviceSteps ?? []).some((d) => d.step === step);
}

/**
 * A heartbeat in service wait that failed. The agent reporting the running step FAILED is handled, as in Ironic 39,
 * by agent_base's _step_failure_handler, which calls the deploying error handler: last_error and a `deploying`
 * history entry, the deploy interface's clean up, then `fail` (→ service failed, no maintenance). Anything else is
 * Ironic's servicing_error_handler with "Node failed to start the first service step" / "Failed checking if service
 * is done".
 */
export async function agentServiceHeartbeatFailed(
  task: TaskManager,
  err: unknown,
  servicingFailed: (task: TaskManager, msg: string) => Promise<void>,
): Promise<void> {
  const inStep = Object.keys(task.node.service_step ?? {}).length > 0;
  if (!(inStep && AnvilError.is(err) && err.code === 'NodeServicingFailure')) {
    const prefix = inStep ? 'Failed checking if service is done' : 'Node failed to start the first service step';
    await servicingFailed(task, `${prefix}: ${errText(err)}`);
    return;
  }
  const msg = errText(err);
  task.log.error(msg);
  await safely(task, 'service step failure handling', async () => {
    await task.saveNode({ last_error: msg });
    await task.history(msg, 'ERROR', 'deploying');
    let error = msg;
    try {
      await task.driver.get('deploy').cleanUp(task);
    } catch (e) {
      task.log.warn(`Cleanup failed for node ${task.node.uuid}; reason: ${errText(e)}`);
      error = `${msg}. Also failed to clean up due to: ${errText(e)}`;
      await task.saveNode({ last_error: error });
      await task.history(error, 'ERROR', 'deploying');
    }
    await task.processEvent('fail', { lastError: error, targetState: 'active', history: false });
  });
}
