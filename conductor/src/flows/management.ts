/** Boot device (Ironic set_boot_device / get_boot_device / get_supported_boot_devices) via the management interface. */
import { BOOT_DEVICES, type BootDevice, InvalidParameterValue } from '@anvil/sdk';
import type { ConductorContext } from '../context.ts';
import { withTask } from '../task/task.ts';
import { validateKinds } from './common.ts';

const prefix = (uuid: string) => `Failed to validate management interface for node ${uuid}`;

export async function setBootDevice(ctx: ConductorContext, uuid: string, device: string, persistent: boolean): Promise<void> {
  await withTask(ctx, uuid, { purpose: 'setting boot device' }, async (task) => {
    await validateKinds(task, ['management'], prefix(task.node.uuid));
    const mgmt = task.driver.get('management');
    const supported = await mgmt.getSupportedBootDevices(task);
    if (!BOOT_DEVICES.includes(device as BootDevice) || !supported.includes(device as BootDevice)) {
      throw new InvalidParameterValue(`Invalid boot device ${device} specified.`); // Ironic's drivers' wording
    }
    await mgmt.setBootDevice(task, device as BootDevice, persistent);
  });
}

export async function getBootDevice(ctx: ConductorContext, uuid: string): Promise<{ boot_device: BootDevice | null; persistent: boolean | null }> {
  return withTask(ctx, uuid, { purpose: 'getting boot device', shared: true }, async (task) => {
    await validateKinds(task, ['management'], prefix(task.node.uuid));
    return task.driver.get('management').getBootDevice(task);
  });
}

export async function getSupportedBootDevices(ctx: ConductorContext, uuid: string): Promise<string[]> {
  return withTask(ctx, uuid, { purpose: 'getting supported boot devices', shared: true }, async (task) => {
    return task.driver.get('management').getSupportedBootDevices(task);
  });
}
