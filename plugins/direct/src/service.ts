/**
 * Servicing through the agent (Ironic 39 deploy_utils.prepare_inband_service / tear_down_inband_service and
 * agent_base's service heartbeat): boot the deploy ramdisk on an active node (power off and on, or one reboot with
 * disable_power_off; the instance's boot config removed, tenant networks unconfigured), run the user's in-band steps
 * with `service.execute_service_step`, decide on each heartbeat whether the running step ended, and put the instance
 * back (ramdisk files removed, tenant networks, instance boot, power on) when servicing ends.
 */
import { type JsonObject, NodeServicingFailure, PowerState, type Task } from '@anvil/sdk';
import type { AgentClient } from './agent-client.ts';
import { commandErrorText } from './agent-client.ts';
import { nodeForAgent, portsForAgent } from './agent-payload.ts';
import { powerAction } from './node-power.ts';
import { cachedSteps } from './step-cache.ts';

const REBOOT = PowerState.REBOOT as 'rebooting';

/** Ironic's prepare_inband_service: the node keeps reading as powered on while the ramdisk boots. */
export async function prepareInbandService(task: Task): Promise<'wait'> {
  const keepPower = task.node.disable_power_off === true;
  if (!keepPower) await powerAction(task, PowerState.OFF);
  await task.saveNode({ power_state: PowerState.ON });
  const boot = task.driver.get('boot');
  const net = task.driver.get('network');
  await boot.cleanUpInstance(task);
  await net.unconfigureTenantNetworks(task);
  await net.addServicingNetwork?.(task);
  // Ironic's prepare_agent_boot: abort decides from this whether the instance must be put back
  await task.setInternalInfo({ agent_start_attempted: true, agent_cached_service_steps: null });
  await boot.prepareRamdisk(task, {});
  await powerAction(task, keepPower ? REBOOT : PowerState.ON);
  return 'wait';
}

/** Ironic's tear_down_inband_service: after a service failure only the ramdisk files go (the node stays as it is). */
export async function tearDownInbandService(task: Task): Promise<void> {
  const failed = task.node.fault === 'service failure';
  const keepPower = task.node.disable_power_off === true;
  if (!failed && !keepPower) await powerAction(task, PowerState.OFF);
  const boot = task.driver.get('boot');
  await boot.cleanUpRamdisk(task);
  if (failed) return;
  const net = task.driver.get('network');
  await net.removeServicingNetwork?.(task);
  await net.configureTenantNetworks(task);
  await boot.prepareInstance(task);
  await powerAction(task, keepPower ? REBOOT : PowerState.ON);
}

/** AgentBaseMixin.execute_service_step: the step runs asynchronously in the agent. */
export async function executeAgentServiceStep(task: Task, client: AgentClient, step: string, args: JsonObject): Promise<'wait'> {
  const current = (task.node.service_step ?? {}) as JsonObject;
  const r = await client.command('service.execute_service_step', {
    step: { ...current, interface: current.interface ?? 'deploy', step, args },
    node: nodeForAgent(task, false),
    ports: portsForAgent(task),
    service_version: task.node.driver_internal_info.hardware_manager_version ?? null,
  }, false);
  if (!r?.command_status) throw new NodeServicingFailure(`Agent on node ${task.node.uuid} returned bad command result: ${JSON.stringify(r)}`);
  return 'wait';
}

const stepId = (s: JsonObject) => `${s.interface}.${s.step}`;

/**
 * A heartbeat in service wait (Ironic's _heartbeat_service_wait + process_next_step): the first one after the ramdisk
 * booted (no step yet) loads the agent's service steps and starts the run; later ones continue once the agent's last
 * execute_service_step for the current step SUCCEEDED, and fail with NodeServicingFailure when it FAILED.
 */
export async function serviceHeartbeat(task: Task, client: AgentClient): Promise<'continue' | undefined> {
  const current = (task.node.service_step ?? {}) as JsonObject;
  if (!current.step) {
    const r = await client.command('service.get_service_steps', { node: nodeForAgent(task, false), ports: portsForAgent(task) }, true);
    await task.setInternalInfo(cachedSteps('service', task.node.uuid, (r.command_result ?? {}) as JsonObject));
    return 'continue';
  }
  const commands = await client.commands();
  // freshly booted (after a reboot asked for by a step): nothing but the step listing has run
  if (commands.every((c) => c.command_name === 'get_service_steps')) return 'continue';
  const last = commands[commands.length - 1];
  if (last.command_name !== 'execute_service_step' || last.command_status === 'RUNNING') return;
  if (last.command_status === 'FAILED') {
    throw new NodeServicingFailure(`Service step ${stepId(current)} failed on node ${task.node.uuid}. ${commandErrorText(last)}`);
  }
  const done = ((last.command_result as JsonObject | null)?.service_step ?? {}) as JsonObject;
  if (last.command_status === 'SUCCEEDED' && (done.step !== current.step || (done.interface ?? current.interface) !== current.interface)) return;
  if (last.command_status !== 'SUCCEEDED') {
    throw new NodeServicingFailure(`Agent returned unknown status for service step ${JSON.stringify(current)} on node ${task.node.uuid} : ${last.command_status}.`);
  }
  return 'continue';
}
