/**
 * Virtual media devices: found under the System's Managers (Links.ManagedBy, then every Manager) and, for BMCs
 * that put them there, under the System itself; a device fits when its MediaTypes list the wanted type (CD or
 * DVD for an ISO). InsertMedia/EjectMedia actions, or a PATCH of Image/Inserted where the BMC offers no action.
 * The 1.89/1.93 API's device types (cdrom, floppy, disk) map to MediaTypes as Ironic 39's VMEDIA_DEVICES_MAP.
 */
import { InvalidParameterValue, type Task } from '@anvil/sdk';
import { action, type Json, link, memberIds } from 'redfish-ts';
import { getSystem, type RedfishContext, RedfishError, rf } from './connection.ts';

export interface VmediaDevice {
  path: string;
  body: Json;
}

const CD_TYPES = ['CD', 'DVD'];

/** Whether a device takes an ISO (pure): MediaTypes has CD/DVD (a device listing none is taken as a CD). */
export function fitsIso(dev: Json): boolean {
  const types = dev.MediaTypes;
  return !Array.isArray(types) || types.length === 0 || types.some((t) => CD_TYPES.includes(String(t)));
}

export function isInserted(dev: Json): boolean {
  return dev.Inserted === true || (typeof dev.Image === 'string' && dev.Image !== '' && dev.Image !== 'None');
}

/** Every virtual media device of the node: Managers first, then the System's own collection. */
export async function listDevices(task: Task, ctx: RedfishContext): Promise<VmediaDevice[]> {
  const system = await getSystem(task, ctx);
  const collections: string[] = [];
  const managedBy = memberIds({ Members: ((system.Links as Json | undefined)?.ManagedBy ?? []) as unknown[] });
  let managers = managedBy;
  if (managers.length === 0) {
    const root = await rf(task, ctx.info, 'read the service root', () => ctx.client.root());
    const m = link(root, 'Managers');
    if (m) managers = memberIds(await rf(task, ctx.info, 'list Managers', () => ctx.client.get(m)));
  }
  for (const m of managers) {
    const mgr = await rf(task, ctx.info, 'read a Manager', () => ctx.client.get(m));
    const vm = link(mgr, 'VirtualMedia');
    if (vm) collections.push(vm);
  }
  const own = link(system, 'VirtualMedia');
  if (own && !collections.includes(own)) collections.push(own);
  const seen = new Set<string>();
  const out: VmediaDevice[] = [];
  for (const c of collections) {
    for (const dev of await rf(task, ctx.info, 'list virtual media', () => ctx.client.members(c))) {
      const path = String(dev['@odata.id'] ?? '');
      if (!path || seen.has(path)) continue;
      seen.add(path);
      out.push({ path, body: dev });
    }
  }
  return out;
}

export async function insertIso(task: Task, ctx: RedfishContext, url: string): Promise<VmediaDevice> {
  const devices = (await listDevices(task, ctx)).filter((d) => fitsIso(d.body));
  if (devices.length === 0) throw new RedfishError(`No suitable virtual media device found on node ${task.node.uuid}: the BMC lists no device taking CD or DVD media.`);
  const dev = devices[0];
  if (isInserted(dev.body)) await ejectDevice(task, ctx, dev);
  const insert = action(dev.body, '#VirtualMedia.InsertMedia');
  if (insert) {
    await rf(task, ctx.info, `insert virtual media ${url}`, () => ctx.client.post(insert.target, { Image: url, Inserted: true, WriteProtected: true }));
  } else {
    task.log.info(`Virtual media device ${dev.path} of node ${task.node.uuid} has no InsertMedia action; inserting with PATCH.`);
    await rf(task, ctx.info, `insert virtual media ${url}`, () => ctx.client.patch(dev.path, { Image: url, Inserted: true, WriteProtected: true }));
  }
  return dev;
}

export async function ejectDevice(task: Task, ctx: RedfishContext, dev: VmediaDevice): Promise<void> {
  const eject = action(dev.body, '#VirtualMedia.EjectMedia');
  if (eject) await rf(task, ctx.info, `eject virtual media from ${dev.path}`, () => ctx.client.post(eject.target, {}));
  else await rf(task, ctx.info, `eject virtual media from ${dev.path}`, () => ctx.client.patch(dev.path, { Image: null, Inserted: false }));
}

/** Eject every inserted CD/DVD device (Ironic's eject_vmedia for CD). */
export async function ejectAll(task: Task, ctx: RedfishContext): Promise<number> {
  let n = 0;
  for (const d of await listDevices(task, ctx)) {
    if (!fitsIso(d.body) || !isInserted(d.body)) continue;
    await ejectDevice(task, ctx, d);
    n++;
  }
  return n;
}

/** Ironic 39's VMEDIA_DEVICES_MAP: the API's device types and the Redfish MediaTypes they take. */
const MEDIA_OF: Record<string, string[]> = { cdrom: ['CD', 'DVD'], floppy: ['Floppy'], disk: ['USBStick'] };

const takes = (dev: Json, deviceType: string) => (deviceType === 'cdrom' ? fitsIso(dev) : (Array.isArray(dev.MediaTypes) ? dev.MediaTypes : []).some((t) => (MEDIA_OF[deviceType] ?? []).includes(String(t))));

/** Ironic 39's insert_vmedia for the 1.89 API: the first device taking the type gets the image (ejected first). */
export async function insertMedia(task: Task, ctx: RedfishContext, url: string, deviceType: string): Promise<void> {
  const dev = (await listDevices(task, ctx)).find((d) => takes(d.body, deviceType));
  if (!dev) throw new RedfishError(`No suitable virtual media device found on node ${task.node.uuid} for device type ${deviceType}.`);
  if (isInserted(dev.body)) await ejectDevice(task, ctx, dev);
  const insert = action(dev.body, '#VirtualMedia.InsertMedia');
  const body = { Image: url, Inserted: true, WriteProtected: true };
  if (insert) await rf(task, ctx.info, `insert virtual media ${url}`, () => ctx.client.post(insert.target, body));
  else await rf(task, ctx.info, `insert virtual media ${url}`, () => ctx.client.patch(dev.path, body));
}

/** Ironic 39's eject_vmedia: every inserted device of these types (null: of any type). */
export async function ejectMedia(task: Task, ctx: RedfishContext, deviceTypes: string[] | null): Promise<void> {
  for (const d of await listDevices(task, ctx)) {
    if (!isInserted(d.body) || (deviceTypes && !deviceTypes.some((t) => takes(d.body, t)))) continue;
    await ejectDevice(task, ctx, d);
  }
}

/** Ironic 39's get_vmedia: each device's media types, whether inserted and its image, as the BMC reports them. */
export async function mediaReport(task: Task, ctx: RedfishContext): Promise<{ media_types: string[]; inserted: boolean; image: string | null }[]> {
  const devices = await listDevices(task, ctx);
  if (!devices.length) throw new InvalidParameterValue('No suitable virtual media device found');
  return devices.map((d) => ({
    media_types: (Array.isArray(d.body.MediaTypes) ? d.body.MediaTypes : []).map(String),
    inserted: d.body.Inserted === true,
    image: typeof d.body.Image === 'string' ? d.body.Image : null,
  }));
}
