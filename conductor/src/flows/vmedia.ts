/**
 * Virtual media on a node (Ironic 39, API 1.89/1.93): attach and detach run after the answer under the node's lock
 * (a failure lands in last_error and the node history with Ironic's wording); get answers at once under a shared
 * lock. Attaching first publishes the image through the boot interface (Ironic's ImageHandler): a boot interface
 * that cannot publish images fails the attach with "Publishing images is not supported for driver <driver>".
 */
import { TemporaryFailure, UnsupportedDriverExtension, type JsonObject } from '@anvil/sdk';
import type { ConductorContext } from '../context.ts';
import { withTask, type TaskManager } from '../task/task.ts';
import { errText } from './common.ts';
import { unsupported } from './node-extras.ts';

export const VMEDIA_DEVICES = ['disk', 'cdrom', 'floppy'];

/** Python's repr of the device type list (None when all devices), as Ironic's message shows it. */
const reprTypes = (types: string[] | null) => (types ? `[${types.map((t) => `'${t}'`).join(', ')}]` : 'None');

async function prepare(task: TaskManager, op: 'attach' | 'detach'): Promise<void> {
  await task.driver.get('management').validate(task);
  if (task.node.maintenance && task.node.fault === 'power failure')
    throw new TemporaryFailure(`Unable to ${op} virtual media for node ${task.node.uuid} due to power failure state`);
  await task.saveNode({ last_error: null }); // a new operation: the previous error goes
}

async function recordError(task: TaskManager, message: string): Promise<void> {
  await task.saveNode({ last_error: message });
  await task.history(message, 'ERROR', 'management').catch(() => undefined);
}

export function attachVirtualMedia(ctx: ConductorContext, uuid: string, deviceType: string, imageUrl: string, downloadSource: string): Promise<void> {
  return withTask(ctx, uuid, { purpose: 'attaching virtual media' }, async (task) => {
    await prepare(task, 'attach');
    task.spawnAfter(async (t) => {
      try {
        const boot = t.driver.get('boot');
        if (!boot.publishImage) throw new UnsupportedDriverExtension(`Publishing images is not supported for driver ${t.node.driver}`);
        const ext = deviceType === 'cdrom' ? 'iso' : 'img';
        const url = await boot.publishImage(t, imageUrl, `${deviceType}-${t.node.uuid}.${ext}`, downloadSource);
        const mgmt = t.driver.get('management');
        if (!mgmt.attachVirtualMedia) throw unsupported(t, 'attach_virtual_media');
        await mgmt.attachVirtualMedia(t, deviceType, url);
        t.log.info(`Device ${deviceType} attached to node ${t.node.uuid}`);
      } catch (err) {
        await recordError(t, `Could not attach device ${deviceType} to node ${t.node.uuid}: ${errText(err)}`);
      }
    });
  });
}

export function detachVirtualMedia(ctx: ConductorContext, uuid: string, deviceTypes: string[] | null): Promise<void> {
  return withTask(ctx, uuid, { purpose: 'detaching virtual media' }, async (task) => {
    await prepare(task, 'detach');
    task.spawnAfter(async (t) => {
      try {
        const mgmt = t.driver.get('management');
        if (!mgmt.detachVirtualMedia) throw unsupported(t, 'detach_virtual_media');
        await mgmt.detachVirtualMedia(t, deviceTypes);
        t.log.info(`Device(s) ${reprTypes(deviceTypes)} detached from node ${t.node.uuid}`);
      } catch (err) {
        await recordError(t, `Could not detach device(s) ${reprTypes(deviceTypes)} from node ${t.node.uuid}: ${errText(err)}`);
      }
    });
  });
}

export function getVirtualMedia(ctx: ConductorContext, uuid: string): Promise<JsonObject> {
  return withTask(ctx, uuid, { purpose: 'get virtual media devices', shared: true }, async (task) => {
    const mgmt = task.driver.get('management');
    await mgmt.validate(task);
    if (!mgmt.getVirtualMedia) throw unsupported(task, 'get_virtual_media');
    return mgmt.getVirtualMedia(task);
  });
}
