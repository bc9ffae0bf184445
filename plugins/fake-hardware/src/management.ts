/**
 * Ironic's "fake" management interface. Boot devices pxe and disk (Ironic's fake lists only pxe; disk is kept so
 * fake management can back the pxe/ipxe boot and direct deploy interfaces, which set disk after deployment).
 * The last setting is remembered in driver_internal_info (fake_boot_device / fake_boot_device_persistent);
 * get answers pxe, not persistent, until then.
 */
import {
  InvalidParameterValue,
  type BootDevice,
  type InterfaceFactory,
  type ManagementInterface,
  type Task,
} from '@anvil/sdk';
import { type Delay, fakeDelay, noDelay, sleepProperty } from './delay.ts';

const DEVICES: BootDevice[] = ['pxe', 'disk'];

export class FakeManagement implements ManagementInterface {
  constructor(private readonly delay: Delay = noDelay) {}
  getProperties() {
    return sleepProperty('management');
  }
  async validate(_task: Task): Promise<void> {}
  async getSupportedBootDevices(_task: Task): Promise<BootDevice[]> {
    return [...DEVICES];
  }
  async setBootDevice(task: Task, device: BootDevice, persistent: boolean): Promise<void> {
    if (!DEVICES.includes(device)) {
      throw new InvalidParameterValue(`Invalid boot device ${device} specified.`);
    }
    await this.delay(task);
    await task.setInternalInfo({ fake_boot_device: device, fake_boot_device_persistent: persistent });
  }
  async getBootDevice(task: Task): Promise<{ boot_device: BootDevice | null; persistent: boolean | null }> {
    await this.delay(task);
    const info = task.node.driver_internal_info;
    const dev = typeof info.fake_boot_device === 'string' ? (info.fake_boot_device as BootDevice) : 'pxe';
    return { boot_device: dev, persistent: info.fake_boot_device_persistent === true };
  }
  // no injectNmi: Ironic's FakeManagement keeps the base one, "does not support inject_nmi" (400, test/differential)
  /** Ironic's fake indicators: a read-only chassis LED and a settable-looking system LED (no set call, as Ironic). */
  async getSupportedIndicators(_task: Task): Promise<Record<string, Record<string, { readonly: boolean; states: string[] }>>> {
    return {
      chassis: { 'led-0': { readonly: true, states: ['off', 'on'] } },
      system: { led: { readonly: false, states: ['blinking', 'off', 'on'] } },
    };
  }
  async getIndicatorState(task: Task, component: string, indicator: string): Promise<string> {
    const all = await this.getSupportedIndicators(task);
    if (!(component in all)) throw new InvalidParameterValue(`Invalid component ${component} specified.`);
    if (!(indicator in all[component])) throw new InvalidParameterValue(`Invalid indicator ${indicator} specified.`);
    return 'on';
  }
  async getSensorsData(_task: Task) {
    return {};
  }
}

const factory: InterfaceFactory<'management'> = (settings) => new FakeManagement(fakeDelay(settings, 'management'));
export default factory;
