/**
 * Ironic's "fake" management interface, exactly as Ironic 21.4: the only boot device is pxe (setting another is
 * 400 "Invalid boot device X specified."), nothing is remembered, and get always answers pxe, not persistent.
 */
import {
  InvalidParameterValue,
  type BootDevice,
  type InterfaceFactory,
  type ManagementInterface,
  type Task,
} from '@anvil/sdk';
import { type Delay, fakeDelay, noDelay, sleepProperty } from './delay.ts';

const DEVICES: BootDevice[] = ['pxe'];

export class FakeManagement implements ManagementInterface {
  readonly ironicClass = 'FakeManagement';
  constructor(private readonly delay: Delay = noDelay) {}
  getProperties() {
    return sleepProperty('management');
  }
  async validate(_task: Task): Promise<void> {}
  async getSupportedBootDevices(_task: Task): Promise<BootDevice[]> {
    return [...DEVICES];
  }
  async setBootDevice(task: Task, device: BootDevice, _persistent: boolean): Promise<void> {
    await this.delay(task);
    if (!DEVICES.includes(device)) throw new InvalidParameterValue(`Invalid boot device ${device} specified.`);
  }
  async getBootDevice(task: Task): Promise<{ boot_device: BootDevice | null; persistent: boolean | null }> {
    await this.delay(task);
    return { boot_device: 'pxe', persistent: false };
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
