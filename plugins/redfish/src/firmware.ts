/**
 * Firmware over the UpdateService: the components list (FirmwareInventory, plus the System's BiosVersion) and the
 * `update_firmware` step (Ironic's redfish management step): UpdateService.SimpleUpdate per image, followed through
 * its task monitor. The 1.86 firmware API (GET /v1/nodes/{node}/firmware) is not served at the 1.82 maximum version;
 * `firmwareComponents` is what it will read.
 */
import { InvalidParameterValue, type JsonObject, type StepDeclaration, type Task } from '@anvil/sdk';
import { type Json, link, requireAction } from 'redfish-ts';
import { getSystem, type RedfishContext, rf } from './connection.ts';

export const FIRMWARE_STEP: StepDeclaration = {
  step: 'update_firmware',
  priority: 0,
  abortable: false,
  argsinfo: { firmware_images: { description: 'A list of firmware images to apply: [{"url": ..., "checksum": ..., "wait": seconds}].', required: true } },
};

export interface FirmwareComponent {
  component: string;
  current_version: string | null;
}

interface FirmwareImage {
  url: string;
  checksum?: string;
  wait?: number;
}

/** Validate the step argument (pure). */
export function parseFirmwareImages(v: unknown): FirmwareImage[] {
  if (!Array.isArray(v) || v.length === 0) throw new InvalidParameterValue('update_firmware needs firmware_images: a non-empty list of {"url": ...}.');
  return v.map((img, i) => {
    const o = img as Record<string, unknown>;
    if (!o || typeof o !== 'object' || typeof o.url !== 'string' || !/^(https?|file):\/\//.test(o.url)) {
      throw new InvalidParameterValue(`firmware_images[${i}] needs a "url" (http, https or file).`);
    }
    if (o.wait !== undefined && (typeof o.wait !== 'number' || o.wait < 0)) throw new InvalidParameterValue(`firmware_images[${i}].wait must be a number of seconds.`);
    return { url: o.url, checksum: typeof o.checksum === 'string' ? o.checksum : undefined, wait: o.wait as number | undefined };
  });
}

async function updateService(task: Task, ctx: RedfishContext): Promise<{ path: string; body: Json }> {
  const root = await rf(task, ctx.info, 'read the service root', () => ctx.client.root());
  const path = link(root, 'UpdateService');
  if (!path) throw new InvalidParameterValue(`The BMC of node ${task.node.uuid} has no UpdateService.`);
  return { path, body: await rf(task, ctx.info, 'read the UpdateService', () => ctx.client.get(path)) };
}

/** Components as Ironic's redfish firmware interface caches them: bios (BiosVersion) and bmc (Manager FirmwareVersion). */
export async function firmwareComponents(task: Task, ctx: RedfishContext): Promise<FirmwareComponent[]> {
  const system = await getSystem(task, ctx);
  const out: FirmwareComponent[] = [{ component: 'bios', current_version: typeof system.BiosVersion === 'string' ? system.BiosVersion : null }];
  const mgr = ((system.Links as Json | undefined)?.ManagedBy as Json[] | undefined)?.[0]?.['@odata.id'];
  if (typeof mgr === 'string') {
    const m = await rf(task, ctx.info, 'read the Manager', () => ctx.client.get(mgr));
    out.push({ component: 'bmc', current_version: typeof m.FirmwareVersion === 'string' ? m.FirmwareVersion : null });
  }
  return out;
}

export async function updateFirmware(task: Task, ctx: RedfishContext, args: JsonObject): Promise<void> {
  const images = parseFirmwareImages(args.firmware_images);
  const us = await updateService(task, ctx);
  const simple = requireAction(us.body, '#UpdateService.SimpleUpdate');
  for (const img of images) {
    const body: Json = { ImageURI: img.url, Targets: [ctx.systemPath] };
    const proto = img.url.split(':')[0].toUpperCase();
    if ((simple.allowable.TransferProtocol ?? []).includes(proto)) body.TransferProtocol = proto;
    task.log.info(`Node ${task.node.uuid}: SimpleUpdate with ${img.url}`);
    const resp = await rf(task, ctx.info, `start the firmware update from ${img.url}`, () => ctx.client.post(simple.target, body));
    const st = await rf(task, ctx.info, `follow the firmware update from ${img.url}`, () =>
      ctx.client.waitTask(resp, { intervalMs: ctx.settings.firmwareUpdateStatusInterval * 1000, timeoutMs: 7200_000 }),
    );
    task.log.info(`Node ${task.node.uuid}: firmware update from ${img.url} ${st ? st.state : 'accepted'}`);
    if (img.wait) await new Promise((r) => setTimeout(r, img.wait! * 1000));
  }
  await task.setInternalInfo({ redfish_firmware_components: (await firmwareComponents(task, ctx)) as unknown as JsonObject[] });
}
