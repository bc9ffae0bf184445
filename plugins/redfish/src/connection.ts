/**
 * One Redfish client per BMC credentials (Ironic's session cache: address, username, password, verify_ca and
 * auth type make the key; the System id does not), at most [redfish]connection_cache_size, least recently used
 * out first. `rf` runs one Redfish operation for a task and turns client errors into Ironic's RedfishError /
 * RedfishConnectionError naming the node and the action; messages never hold the password.
 */
import { AnvilError, InvalidParameterValue, type Task } from '@anvil/sdk';
import { type Json, RedfishClient, RedfishConnectionError as ClientConnectionError, RedfishError as ClientError, memberIds } from 'redfish-ts';
import { parseDriverInfo, type RedfishDriverInfo } from './driver-info.ts';
import { type RedfishSettings, redfishSettings } from './settings.ts';

export class RedfishError extends AnvilError {
  constructor(message: string) {
    super(message, 'RedfishError', 500);
  }
}

export class RedfishConnectionError extends AnvilError {
  constructor(message: string) {
    super(message, 'RedfishConnectionError', 500);
  }
}

export interface RedfishContext {
  info: RedfishDriverInfo;
  settings: RedfishSettings;
  client: RedfishClient;
  /** @odata.id of the node's ComputerSystem */
  systemPath: string;
}

const clients = new Map<string, { client: RedfishClient; onlySystem: string | null }>();

function clientFor(info: RedfishDriverInfo, s: RedfishSettings) {
  const key = JSON.stringify([info.address, info.username, info.password, info.verify, info.authType, s.connectionAttempts, s.connectionRetryInterval, s.connectTimeout, s.readTimeout]);
  let entry = clients.get(key);
  if (entry) {
    clients.delete(key);
    clients.set(key, entry);
    return entry;
  }
  entry = {
    client: new RedfishClient({
      address: info.address,
      username: info.username,
      password: info.password,
      authType: info.authType,
      verify: info.verify,
      connectTimeout: s.connectTimeout,
      readTimeout: s.readTimeout,
      connectionAttempts: s.connectionAttempts,
      connectionRetryInterval: s.connectionRetryInterval,
    }),
    onlySystem: null,
  };
  clients.set(key, entry);
  while (clients.size > Math.max(1, s.connectionCacheSize)) {
    const [oldKey, old] = clients.entries().next().value as [string, { client: RedfishClient }];
    clients.delete(oldKey);
    old.client.close().catch(() => undefined);
  }
  return entry;
}

/** Close every cached client (tests, shutdown). */
export async function closeAll(): Promise<void> {
  const all = [...clients.values()];
  clients.clear();
  await Promise.all(all.map((e) => e.client.close().catch(() => undefined)));
}

export function contextInfo(task: Task, base: Readonly<Record<string, unknown>>): { info: RedfishDriverInfo; settings: RedfishSettings } {
  const settings = redfishSettings(base, task);
  return { settings, info: parseDriverInfo(task.node.driver_info, { authType: settings.authType, verifyCa: settings.verifyCa }) };
}

export async function redfishContext(task: Task, base: Readonly<Record<string, unknown>>): Promise<RedfishContext> {
  const { info, settings } = contextInfo(task, base);
  const entry = clientFor(info, settings);
  let systemPath = info.systemId;
  if (!systemPath) {
    if (!entry.onlySystem) {
      const root = await rf(task, info, 'read the service root', () => entry.client.root());
      const coll = (root.Systems as Json | undefined)?.['@odata.id'];
      const ids = memberIds(await rf(task, info, 'list Systems', () => entry.client.get(typeof coll === 'string' ? coll : '/redfish/v1/Systems')));
      if (ids.length !== 1) {
        throw new InvalidParameterValue(`redfish_system_id is required in driver_info of node ${task.node.uuid}: the BMC at ${info.address} manages ${ids.length} Systems (${ids.join(', ') || 'none'}).`);
      }
      entry.onlySystem = ids[0];
    }
    systemPath = entry.onlySystem;
  }
  return { info, settings, client: entry.client, systemPath };
}

/** Run one Redfish operation; client failures become Ironic's RedfishError / RedfishConnectionError. */
export async function rf<T>(task: Task, info: Pick<RedfishDriverInfo, 'address'>, action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ClientConnectionError) {
      const msg = `Unable to connect to the Redfish BMC of node ${task.node.uuid} to ${action}. ${err.message}`;
      task.log.error(msg);
      throw new RedfishConnectionError(msg);
    }
    if (err instanceof ClientError) {
      const msg = `Redfish ${action} failed for node ${task.node.uuid}. Error: ${err.message}`;
      task.log.error(msg);
      throw new RedfishError(msg);
    }
    throw err;
  }
}

/** The node's ComputerSystem resource, read now. */
export async function getSystem(task: Task, ctx: RedfishContext): Promise<Json> {
  return rf(task, ctx.info, 'read the System', () => ctx.client.get(ctx.systemPath));
}
