/**
 * Ironic 39's `redfish` firmware interface (API 1.86): the components it caches for GET /v1/nodes/{node}/firmware —
 * `bios` (the System's BiosVersion) and `bmc` (its Manager's FirmwareVersion and Model) — read after an inspection
 * and after a firmware update; none to report is Ironic's UnsupportedDriverExtension. Its `update` step
 * (clean, deploy and service) is in firmware-update.ts.
 */
import { type FirmwareInterface, type InterfaceFactory, InvalidParameterValue, type JsonObject, type Task, UnsupportedDriverExtension } from '@anvil/sdk';
import { type Json } from 'redfish-ts';
import { getSystem, redfishContext, rf } from './connection.ts';
import { COMMON_PROPERTIES, parseDriverInfo } from './driver-info.ts';
import { runFirmwareUpdate, UPDATE_STEPS } from './firmware-update.ts';

export class RedfishFirmware implements FirmwareInterface {
  readonly ironicClass = 'RedfishFirmware';
  readonly cleanSteps = UPDATE_STEPS.clean;
  readonly deploySteps = UPDATE_STEPS.deploy;
  readonly serviceSteps = UPDATE_STEPS.service;
  constructor(private readonly config: Readonly<Record<string, unknown>> = {}) {}

  getProperties() {
    return { ...COMMON_PROPERTIES };
  }

  async validate(task: Task): Promise<void> {
    parseDriverInfo(task.node.driver_info);
  }

  async cacheFirmwareComponents(task: Task): Promise<void> {
    const ctx = await redfishContext(task, this.config);
    const system = await getSystem(task, ctx);
    const found: { component: string; initial_version: string; current_version: string; vendor: null; model: string | null; serial_number: null }[] = [];
    if (typeof system.BiosVersion === 'string' && system.BiosVersion) {
      found.push({ component: 'bios', initial_version: system.BiosVersion, current_version: system.BiosVersion, vendor: null, model: null, serial_number: null });
    }
    const mgr = ((system.Links as Json | undefined)?.ManagedBy as Json[] | undefined)?.[0]?.['@odata.id'];
    if (typeof mgr === 'string') {
      const m = await rf(task, ctx.info, 'read the Manager', () => ctx.client.get(mgr));
      if (typeof m.FirmwareVersion === 'string' && m.FirmwareVersion) {
        const model = typeof m.Model === 'string' ? m.Model : null;
        found.push({ component: 'bmc', initial_version: m.FirmwareVersion, current_version: m.FirmwareVersion, vendor: null, model, serial_number: null });
      }
    }
    if (!found.length) throw new UnsupportedDriverExtension(`Cannot retrieve firmware for node ${task.node.uuid}: no supported components`);
    await task.saveFirmwareComponents?.(found);
  }

  async executeStep(task: Task, step: string, args: JsonObject): Promise<void> {
    if (step !== 'update') throw new InvalidParameterValue(`Unknown firmware step ${step}.`);
    const ctx = await redfishContext(task, this.config);
    await runFirmwareUpdate(task, ctx, args, async () => {
      try {
        await this.cacheFirmwareComponents(task);
      } catch (err) {
        task.log.warn(`Failed to refresh firmware components for node ${task.node.uuid} after firmware update: ${(err as Error).message}`);
      }
    });
  }
}

const factory: InterfaceFactory<'firmware'> = (config) => new RedfishFirmware(config);
export default factory;
