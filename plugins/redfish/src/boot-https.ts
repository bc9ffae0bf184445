/**
 * The `redfish-https` boot interface (UEFI HTTP boot): the same boot ISO as virtual media, but handed to the
 * firmware as Boot.HttpBootUri with the boot override target UefiHttp (once), instead of a virtual CD.
 */
import type { InterfaceFactory, Task } from '@anvil/sdk';
import { setBootDevice } from './boot-device.ts';
import { RedfishVirtualMediaBoot } from './boot-vmedia.ts';
import type { RedfishContext } from './connection.ts';

export class RedfishHttpsBoot extends RedfishVirtualMediaBoot {
  protected override async attach(task: Task, ctx: RedfishContext, url: string): Promise<void> {
    await setBootDevice(task, ctx, 'uefi http', false, url);
  }
}

const factory: InterfaceFactory<'boot'> = (config) => new RedfishHttpsBoot(config);
export default factory;
