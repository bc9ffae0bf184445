/** What the conductor sends the agent with a step: the node with its secrets masked (except what a step needs), and its ports. */
import type { JsonObject, Task } from '@anvil/sdk';

/** The node as the agent sees it (secrets masked except what the step needs). */
export function nodeForAgent(task: Task, keepConfigdrive: boolean): JsonObject {
  const n = task.node;
  const di: JsonObject = { ...n.driver_info };
  for (const k of Object.keys(di)) if (/password|secret|token/i.test(k)) di[k] = '******';
  const dii: JsonObject = { ...n.driver_internal_info };
  if (dii.agent_secret_token) dii.agent_secret_token = '******';
  const ii: JsonObject = { ...n.instance_info };
  if (!keepConfigdrive && ii.configdrive) ii.configdrive = '******';
  delete ii.rescue_password;
  return { ...(n as unknown as JsonObject), driver_info: di, driver_internal_info: dii, instance_info: ii };
}

export const portsForAgent = (task: Task) => task.ports.map((p) => ({ uuid: p.uuid, address: p.address, pxe_enabled: p.pxe_enabled, local_link_connection: p.local_link_connection, physical_network: p.physical_network }));
