/**
 * Ironic's "noop" management interface: boot device changes are accepted and ignored (a human sets them);
 * the current boot device is unknown.
 */
import {
  BOOT_DEVICES,
  type BootDevice,
  type InterfaceFactory,
  InvalidParameterValue,
  type ManagementInterface,
  type Task,
} from '@anvil/sdk';

export class NoopManagement implements ManagementInterface {
  getProperties() {
    return {};
  }
  async validate(_task: Task): Promise<void> {}
  async getSupportedBootDevices(_task: Task): Promise<BootDevice[]> {
    return [...BOOT_DEVICES];
  }
  async setBootDevice(_task: Task, device: BootDevice, _persistent: boolean): Promise<void> {
    if (!BOOT_DEVICES.includes(device)) {
      throw new InvalidParameterValue(`Invalid boot device ${device} specified, supported are ${BOOT_DEVICES.join(', ')}.`);
    }
  }
  async getBootDevice(_task: Task): Promise<{ boot_device: BootDevice | null; persistent: boolean | null }> {
    return { boot_device: null, persistent: null };
  }
}

const factory: InterfaceFactory<'management'> = () => new NoopManagement();
export default factory;
