/** A task over an in-memory node for driving the redfish interfaces directly, as the conductor would. */
import { randomUUID } from 'node:crypto';
import type { BiosSettingInput, FirmwareComponentInput, InterfaceByKind, InterfaceKind, JsonObject, NodeRecord, PortRecord, Task } from '@anvil/sdk';

export interface TestTask extends Task {
  logs: string[];
  inventory: JsonObject | null;
  bios: BiosSettingInput[];
  firmware: FirmwareComponentInput[] | null;
}

export function makeTask(driverInfo: JsonObject, opts: { node?: Partial<NodeRecord>; config?: JsonObject; interfaces?: Partial<{ [K in InterfaceKind]: InterfaceByKind[K] }> } = {}): TestTask {
  const logs: string[] = [];
  const rec = {
    id: 1,
    uuid: randomUUID(),
    driver: 'redfish',
    driver_info: driverInfo,
    driver_internal_info: {},
    properties: {},
    instance_info: {},
    boot_mode: null,
    power_state: null,
    provision_state: 'deploying',
    ...opts.node,
  } as unknown as NodeRecord;
  const log = (level: string) => (msg: string) => logs.push(`${level} ${msg}`);
  const task: TestTask = {
    node: rec,
    ports: [],
    portgroups: [],
    driver: {
      hardwareType: 'redfish',
      names: {} as never,
      get: (kind) => {
        const i = opts.interfaces?.[kind];
        if (!i) throw new Error(`no ${kind} interface in this test task`);
        return i as never;
      },
    },
    shared: false,
    conductor: 'test',
    log: { info: log('info'), warn: log('warn'), error: log('error') },
    logs,
    inventory: null,
    bios: [],
    firmware: null,
    config: { redfish_power_poll_interval: 0.2, power_state_change_timeout: 20, redfish_connection_attempts: 2, redfish_connection_retry_interval: 0.2, ...opts.config },
    async saveNode(fields) {
      Object.assign(rec, fields);
    },
    async setInternalInfo(values) {
      const next = { ...rec.driver_internal_info } as JsonObject;
      for (const [k, v] of Object.entries(values)) {
        if (v === null) delete next[k];
        else next[k] = v as JsonObject[string];
      }
      rec.driver_internal_info = next;
    },
    async createPort(fields) {
      const port = { uuid: randomUUID(), node_id: 1, pxe_enabled: true, extra: {}, internal_info: {}, local_link_connection: {}, ...fields } as unknown as PortRecord;
      task.ports.push(port);
      return port;
    },
    async saveInventory(inventory) {
      task.inventory = inventory;
    },
    async saveBiosSettings(settings) {
      task.bios = settings;
    },
    async saveFirmwareComponents(components) {
      task.firmware = components;
    },
  };
  return task;
}
