/**
 * Ironic's "fake" management interface: boot devices pxe and disk; the chosen device is remembered in
 * driver_internal_info (fake_boot_device / fake_boot_device_persistent) so get returns what set stored.
 */
import {
  InvalidParameterValue,
  type BootDevice,
  type InterfaceFactory,
  type ManagementInterface,
  type Task,
} from '@anvil/sdk';
import { fakeSleep, sleepProperty } from './sleep.ts';

const DEVICES: BootDevice[] = ['pxe', 'disk'];

export class FakeManagement implements ManagementInterface {
  getProperties() {
    return { ...sleepProperty('management') };
  }
  async validate(_task: Task): Promise<void> {}
  async getSupportedBootDevices(_task: Task): Promise<BootDevice[]> {
    return [...DEVICES];
  }
  async setBootDevice(task: Task, device: BootDevice, persistent: boolean): Promise<void> {
    if (!DEVICES.includes(device)) {
      throw new InvalidParameterValue(`Invalid boot device ${device} specified, supported are ${DEVICES.join(', ')}.`);
    }
    await fakeSleep(task, 'management');
    await task.setInternalInfo({ fake_boot_device: device, fake_boot_device_persistent: persistent });
  }
  async getBootDevice(task: Task): Promise<{ boot_device: BootDevice | null; persistent: boolean | null }> {
    await fakeSleep(task, 'management');
    const info = task.node.driver_internal_info;
    const dev = typeof info.fake_boot_device === 'string' ? (info.fake_boot_device as BootDevice) : 'pxe';
    return { boot_device: dev, persistent: info.fake_boot_device_persistent === true };
  }
  async injectNmi(_task: Task): Promise<void> {}
  async getSensorsData(_task: Task) {
    return {};
  }
}

const factory: InterfaceFactory<'management'> = () => new FakeManagement();
export default factory;
