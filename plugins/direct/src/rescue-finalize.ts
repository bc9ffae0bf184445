/**
 * Finishing a rescue when the rescue ramdisk heartbeats (Ironic AgentRescue._finalize_rescue): the agent's
 * rescue.finalize_rescue gets the hashed rescue password, then the rescuing network is removed and the tenant
 * networks configured. The ramdisk keeps running: it is the rescue environment.
 */
import { InstanceDeployFailure, type Task } from '@anvil/sdk';
import { type AgentClient, commandErrorText } from './agent-client.ts';

export async function finalizeRescue(task: Task, client: AgentClient): Promise<void> {
  const hashed = task.node.instance_info.hashed_rescue_password;
  if (typeof hashed !== 'string') throw new InstanceDeployFailure(`Node ${task.node.uuid} has no rescue password`);
  const r = await client.command('rescue.finalize_rescue', { rescue_password: hashed, hashed: true }, true);
  if (r.command_status === 'FAILED') throw new InstanceDeployFailure(`Agent failed to finalize rescue: ${commandErrorText(r)}`);
  const net = task.driver.get('network');
  if (net.removeRescuingNetwork) await net.removeRescuingNetwork(task);
  await net.configureTenantNetworks(task);
}
