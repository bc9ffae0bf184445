/**
 * The `ipmitool` management interface (Ironic's name): boot device through System Boot Options parameter 5 with
 * Ironic's semantics (persistent flag; the UEFI flag when the node boots in UEFI mode; ipmi_force_boot_device
 * remembers the device in driver_internal_info and re-applies it before every power on), NMI, boot mode read.
 */
import {
  type BootDevice,
  type InterfaceFactory,
  InvalidParameterValue,
  type ManagementInterface,
  type Task,
} from '@anvil/sdk';
import type { BootDeviceName } from 'ipmi-lan-ts';
import { bootModeOf } from './boot-mode.ts';
import { COMMON_PROPERTIES, parseDriverInfo } from './driver-info.ts';
import { type IpmiContext, ipmiCall, ipmiContext } from './ipmi-call.ts';

const SUPPORTED: BootDevice[] = ['pxe', 'disk', 'cdrom', 'bios', 'safe'];

async function sendBootDevice(task: Task, ctx: IpmiContext, device: BootDevice, persistent: boolean) {
  const efi = bootModeOf(task.node, ctx.settings.defaultBootMode) === 'uefi';
  await ipmiCall(task, `set boot device ${device}`, () =>
    ctx.client.setBootDevice(device as BootDeviceName, { persistent, efi, disableTimeout: ctx.info.disableBootTimeout }),
  );
}

/** Ironic's driver_utils.ensure_next_boot_device: before power on, re-send a remembered persistent device. */
export async function applyForcedBootDevice(task: Task, ctx: IpmiContext): Promise<void> {
  if (!ctx.info.forceBootDevice) return;
  const internal = task.node.driver_internal_info ?? {};
  if (internal.is_next_boot_persistent === false) {
    await task.setInternalInfo({ is_next_boot_persistent: null });
    return;
  }
  const device = internal.persistent_boot_device;
  if (typeof device === 'string' && SUPPORTED.includes(device as BootDevice)) {
    await sendBootDevice(task, ctx, device as BootDevice, false);
  }
}

export class IpmitoolManagement implements ManagementInterface {
  constructor(private readonly config: Readonly<Record<string, unknown>> = {}) {}

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
    const ctx = await ipmiContext(task, this.config);
    let sendPersistent = persistent;
    if (ctx.info.forceBootDevice) {
      // the BMC may not remember the device: remember it here and send it as one-time before each power on
      if (persistent) await task.setInternalInfo({ is_next_boot_persistent: null, persistent_boot_device: device });
      else await task.setInternalInfo({ is_next_boot_persistent: false });
      sendPersistent = false;
    }
    await sendBootDevice(task, ctx, device, sendPersistent);
  }

  async getBootDevice(task: Task): Promise<{ boot_device: BootDevice | null; persistent: boolean | null }> {
    const ctx = await ipmiContext(task, this.config);
    const internal = task.node.driver_internal_info ?? {};
    if (ctx.info.forceBootDevice && typeof internal.persistent_boot_device === 'string' && internal.is_next_boot_persistent !== false) {
      return { boot_device: internal.persistent_boot_device as BootDevice, persistent: true };
    }
    const flags = await ipmiCall(task, 'get boot device', () => ctx.client.getBootOptions());
    const device = SUPPORTED.includes(flags.device as BootDevice) ? (flags.device as BootDevice) : null;
    return { boot_device: device, persistent: flags.persistent };
  }

  async injectNmi(task: Task): Promise<void> {
    const ctx = await ipmiContext(task, this.config);
    await ipmiCall(task, 'inject NMI', () => ctx.client.chassisControl('diag'));
  }

  /** The mode the BMC's boot flags request (EFI bit), or null when no valid boot flags are set. */
  async getBootMode(task: Task): Promise<'uefi' | 'bios' | null> {
    const ctx = await ipmiContext(task, this.config);
    const flags = await ipmiCall(task, 'get boot mode', () => ctx.client.getBootOptions());
    if (!flags.valid) return null;
    return flags.efi ? 'uefi' : 'bios';
  }
}

const factory: InterfaceFactory<'management'> = (config) => new IpmitoolManagement(config);
export default factory;
