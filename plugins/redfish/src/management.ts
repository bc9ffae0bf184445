/**
 * The `redfish` management interface: boot device (boot-device.ts), boot mode (BootSourceOverrideMode, waited
 * for), secure boot (SecureBoot.SecureBootEnable), indicators (System and Chassis IndicatorLED), NMI through
 * ComputerSystem.Reset when the BMC allows Nmi, vendor detection, NIC MACs, and the `update_firmware` clean step.
 */
import {
  type BootDevice,
  type InterfaceFactory,
  InvalidParameterValue,
  type JsonObject,
  type ManagementInterface,
  type Task,
  UnsupportedDriverExtension,
} from '@anvil/sdk';
import { type Json, link, memberIds } from 'redfish-ts';
import { getBootDevice, patchBoot, setBootDevice } from './boot-device.ts';
import { getSystem, type RedfishContext, redfishContext, rf } from './connection.ts';
import { COMMON_PROPERTIES, parseDriverInfo } from './driver-info.ts';
import { FIRMWARE_STEP, updateFirmware } from './firmware.ts';
import { sendReset } from './power.ts';
import { ejectMedia, insertMedia, mediaReport } from './vmedia.ts';
import { setTimeout as sleep } from 'node:timers/promises';

const SUPPORTED: BootDevice[] = ['pxe', 'disk', 'cdrom', 'bios'];
const LED: Record<string, string> = { Lit: 'on', Off: 'off', Blinking: 'blinking', Unknown: 'unknown' };
const LED_REV: Record<string, string> = { on: 'Lit', off: 'Off', blinking: 'Blinking' };

export class RedfishManagement implements ManagementInterface {
  readonly cleanSteps = [FIRMWARE_STEP];
  readonly deploySteps = [FIRMWARE_STEP];

  constructor(private readonly config: Readonly<Record<string, unknown>> = {}) {}

  private ctx(task: Task): Promise<RedfishContext> {
    return redfishContext(task, this.config);
  }

  getProperties() {
    return { ...COMMON_PROPERTIES };
  }

  async validate(task: Task): Promise<void> {
    parseDriverInfo(task.node.driver_info);
  }

  async getSupportedBootDevices(_task: Task): Promise<BootDevice[]> {
    return [...SUPPORTED];
  }

  async setBootDevice(task: Task, device: BootDevice, persistent: boolean): Promise<void> {
    if (!SUPPORTED.includes(device)) throw new InvalidParameterValue(`Invalid boot device ${device} specified.`);
    await setBootDevice(task, await this.ctx(task), device, persistent);
  }

  /** API 1.89/1.93 (Ironic 39's attach_virtual_media / detach_virtual_media / get_virtual_media). */
  async attachVirtualMedia(task: Task, deviceType: string, imageUrl: string): Promise<void> {
    await insertMedia(task, await this.ctx(task), imageUrl, deviceType);
  }

  async detachVirtualMedia(task: Task, deviceTypes: string[] | null): Promise<void> {
    await ejectMedia(task, await this.ctx(task), deviceTypes);
  }

  async getVirtualMedia(task: Task): Promise<JsonObject> {
    return (await mediaReport(task, await this.ctx(task))) as unknown as JsonObject;
  }

  async getBootDevice(task: Task) {
    return getBootDevice(task, await this.ctx(task));
  }

  async getBootMode(task: Task): Promise<'uefi' | 'bios' | null> {
    const mode = ((await getSystem(task, await this.ctx(task))).Boot as Json | undefined)?.BootSourceOverrideMode;
    return mode === 'UEFI' ? 'uefi' : mode === 'Legacy' ? 'bios' : null;
  }

  async setBootMode(task: Task, mode: 'uefi' | 'bios'): Promise<void> {
    if (mode !== 'uefi' && mode !== 'bios') throw new InvalidParameterValue(`Invalid boot mode ${String(mode)} specified.`);
    const ctx = await this.ctx(task);
    const want = mode === 'uefi' ? 'UEFI' : 'Legacy';
    await patchBoot(task, ctx, { mode: want }, `set boot mode to ${mode}`);
    const end = Date.now() + ctx.settings.bootModeConfigTimeout * 1000;
    while (((await getSystem(task, ctx)).Boot as Json | undefined)?.BootSourceOverrideMode !== want) {
      if (Date.now() > end) throw new InvalidParameterValue(`Boot mode of node ${task.node.uuid} did not become ${mode} within ${ctx.settings.bootModeConfigTimeout} seconds.`);
      await sleep(ctx.settings.pollInterval * 1000);
    }
  }

  private async secureBootPath(task: Task, ctx: RedfishContext): Promise<string> {
    const sb = link(await getSystem(task, ctx), 'SecureBoot');
    if (!sb) throw new UnsupportedDriverExtension(`Secure boot is not supported by the BMC of node ${task.node.uuid}.`);
    return sb;
  }

  async getSecureBootState(task: Task): Promise<boolean | null> {
    const ctx = await this.ctx(task);
    const path = await this.secureBootPath(task, ctx);
    const sb = await rf(task, ctx.info, 'read secure boot', () => ctx.client.get(path));
    return typeof sb.SecureBootEnable === 'boolean' ? sb.SecureBootEnable : null;
  }

  async setSecureBootState(task: Task, state: boolean): Promise<void> {
    const ctx = await this.ctx(task);
    const path = await this.secureBootPath(task, ctx);
    await rf(task, ctx.info, `set secure boot to ${state}`, () => ctx.client.patchWithEtag(path, { SecureBootEnable: state }));
  }

  /** Indicator holders: the System (component 'system') and its Chassis ('chassis'), keyed by their Id. */
  private async ledHolders(task: Task, ctx: RedfishContext): Promise<Record<string, { path: string; body: Json }[]>> {
    const system = await getSystem(task, ctx);
    const chassisIds = memberIds({ Members: ((system.Links as Json | undefined)?.Chassis ?? []) as unknown[] });
    const chassis = await Promise.all(chassisIds.map(async (p) => ({ path: p, body: await rf(task, ctx.info, 'read the Chassis', () => ctx.client.get(p)) })));
    return {
      system: system.IndicatorLED ? [{ path: ctx.systemPath, body: system }] : [],
      chassis: chassis.filter((c) => c.body.IndicatorLED),
    };
  }

  async getSupportedIndicators(task: Task) {
    const out: Record<string, Record<string, { readonly: boolean; states: string[] }>> = {};
    for (const [component, holders] of Object.entries(await this.ledHolders(task, await this.ctx(task)))) {
      for (const h of holders) (out[component] ??= {})[String(h.body.Id ?? h.body.UUID)] = { readonly: false, states: ['blinking', 'off', 'on'] };
    }
    return out;
  }

  private async holder(task: Task, ctx: RedfishContext, component: string, indicator: string) {
    const h = (await this.ledHolders(task, ctx))[component]?.find((x) => String(x.body.Id ?? x.body.UUID) === indicator);
    if (!h) throw new InvalidParameterValue(`Indicator ${indicator} of component ${component} is not known on node ${task.node.uuid}.`);
    return h;
  }

  async getIndicatorState(task: Task, component: string, indicator: string): Promise<string> {
    const h = await this.holder(task, await this.ctx(task), component, indicator);
    return LED[String(h.body.IndicatorLED)] ?? 'unknown';
  }

  async setIndicatorState(task: Task, component: string, indicator: string, state: string): Promise<void> {
    const led = LED_REV[state];
    if (!led) throw new InvalidParameterValue(`Invalid indicator state ${state}; one of on, off, blinking.`);
    const ctx = await this.ctx(task);
    const h = await this.holder(task, ctx, component, indicator);
    await rf(task, ctx.info, `set indicator ${component}/${indicator} to ${state}`, () => ctx.client.patch(h.path, { IndicatorLED: led }));
  }

  async injectNmi(task: Task): Promise<void> {
    const ctx = await this.ctx(task);
    await rf(task, ctx.info, 'inject NMI', () => sendReset(task, ctx, 'nmi'));
  }

  async detectVendor(task: Task): Promise<string | null> {
    const m = (await getSystem(task, await this.ctx(task))).Manufacturer;
    return typeof m === 'string' && m ? m : null;
  }

  async getMacAddresses(task: Task): Promise<string[]> {
    const ctx = await this.ctx(task);
    const nics = link(await getSystem(task, ctx), 'EthernetInterfaces');
    if (!nics) return [];
    const members = await rf(task, ctx.info, 'list EthernetInterfaces', () => ctx.client.members(nics));
    return members.map((n) => n.MACAddress ?? n.PermanentMACAddress).filter((m): m is string => typeof m === 'string' && m !== '').map((m) => m.toLowerCase());
  }

  async executeStep(task: Task, step: string, args: JsonObject): Promise<void | 'wait'> {
    if (step !== FIRMWARE_STEP.step) throw new InvalidParameterValue(`Unknown management step ${step}.`);
    await updateFirmware(task, await this.ctx(task), args);
  }
}

const factory: InterfaceFactory<'management'> = (config) => new RedfishManagement(config);
export default factory;
