/** Run one IPMI operation for a task: resolve driver_info + client, map ipmi-lan-ts errors to Anvil's. */
import { DriverOperationError, type Task } from '@anvil/sdk';
import { type IpmiClient, IpmiError } from 'ipmi-lan-ts';
import { clientFor } from './bmc-pool.ts';
import { type IpmiDriverInfo, parseDriverInfo } from './driver-info.ts';
import { type IpmiSettings, ipmiSettings } from './settings.ts';

export interface IpmiContext {
  info: IpmiDriverInfo;
  settings: IpmiSettings;
  client: IpmiClient;
}

export async function ipmiContext(task: Task, base: Readonly<Record<string, unknown>>): Promise<IpmiContext> {
  const settings = ipmiSettings(base, task);
  const info = parseDriverInfo(task.node.driver_info, { disableBootTimeout: settings.disableBootTimeout });
  return { info, settings, client: await clientFor(info, settings) };
}

/** IPMI failures become DriverOperationError naming the node and the action; the message never holds secrets. */
export async function ipmiCall<T>(task: Task, action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof IpmiError) {
      task.log.error(`IPMI ${action} failed for node ${task.node.uuid}: ${e.message}`, { code: e.code });
      throw new DriverOperationError(`IPMI call failed: ${action}. ${e.message}`);
    }
    throw e;
  }
}
