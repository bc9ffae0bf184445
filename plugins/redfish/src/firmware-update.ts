/**
 * The `redfish` firmware interface's `update` step (Ironic ≥ 1.86; clean, deploy and service step):
 * `settings: [{component, url, wait?}]` with component `bios`, `bmc` or `nic:<id>`. Each is an
 * UpdateService.SimpleUpdate (Targets only when the BMC has more than one System, as Ironic), followed through its
 * task monitor; bios, nic and other components reboot the node to apply the image, bmc does not; `wait` seconds
 * pass after each. The firmware components are cached again at the end, so a changed version shows as
 * current_version and last_version_flashed in GET /v1/nodes/{node}/firmware.
 */
import { InvalidParameterValue, type JsonObject, pyRepr, type StepDeclaration, type Task } from '@anvil/sdk';
import { type Json, link, memberIds, requireAction } from 'redfish-ts';
import { type RedfishContext, RedfishError, rf } from './connection.ts';

const ARGS: StepDeclaration['argsinfo'] = { settings: { description: 'A list of dicts with firmware components to be updated', required: true } };

/** Ironic 39's update step: clean (needs the ramdisk), deploy, service (does not). */
export const UPDATE_STEPS = {
  clean: [{ step: 'update', priority: 0, abortable: false, argsinfo: ARGS, requires_ramdisk: true }] as StepDeclaration[],
  deploy: [{ step: 'update', priority: 0, abortable: false, argsinfo: ARGS }] as StepDeclaration[],
  service: [{ step: 'update', priority: 0, abortable: false, argsinfo: ARGS, requires_ramdisk: false }] as StepDeclaration[],
};

export interface FirmwareSetting {
  component: string;
  url: string;
  wait?: number;
}

const COMPONENTS = ['bios', 'bmc'];
const NIC_PREFIX = 'nic:';

/** Check `settings` as Ironic's firmware interface update schema does (pure). */
export function parseFirmwareSettings(settings: unknown): FirmwareSetting[] {
  const bad = (err: string): never => {
    throw new InvalidParameterValue(`Invalid firmware update ${pyRepr(settings)}. Errors: ${err}`);
  };
  if (!Array.isArray(settings)) return bad(`${pyRepr(settings)} is not of type 'array'`);
  if (settings.length === 0) bad('[] should be non-empty');
  return settings.map((s) => {
    if (!s || typeof s !== 'object' || Array.isArray(s)) return bad(`${pyRepr(s)} is not of type 'object'`);
    const o = s as Record<string, unknown>;
    for (const k of ['component', 'url']) if (!(k in o)) bad(`'${k}' is a required property`);
    const extra = Object.keys(o).filter((k) => !['component', 'url', 'wait'].includes(k));
    if (extra.length) bad(`Additional properties are not allowed (${extra.map((k) => pyRepr(k)).join(', ')} ${extra.length > 1 ? 'were' : 'was'} unexpected)`);
    if (typeof o.component !== 'string') return bad(`${pyRepr(o.component)} is not of type 'string'`);
    if (!COMPONENTS.includes(o.component) && !o.component.startsWith(NIC_PREFIX)) bad(`${pyRepr(o.component)} is not valid under any of the given schemas`);
    if (typeof o.url !== 'string') return bad(`${pyRepr(o.url)} is not of type 'string'`);
    if (o.url.length === 0) bad("'' should be non-empty");
    if (o.wait !== undefined) {
      if (typeof o.wait !== 'number' || !Number.isInteger(o.wait)) bad(`${pyRepr(o.wait)} is not of type 'integer'`);
      if ((o.wait as number) < 1) bad(`${o.wait} is less than the minimum of 1`);
    }
    return { component: o.component, url: o.url, ...(o.wait !== undefined ? { wait: o.wait as number } : {}) };
  });
}

/** Run the update step; `refresh` re-reads and stores the firmware components afterwards. */
export async function runFirmwareUpdate(task: Task, ctx: RedfishContext, args: JsonObject, refresh: () => Promise<void>): Promise<void> {
  const settings = parseFirmwareSettings(args.settings);
  const root = await rf(task, ctx.info, 'read the service root', () => ctx.client.root());
  const usPath = link(root, 'UpdateService');
  if (!usPath) throw new RedfishError(`Redfish exception occurred. Error: the BMC of node ${task.node.uuid} has no UpdateService.`);
  const us = await rf(task, ctx.info, 'read the UpdateService', () => ctx.client.get(usPath));
  let simple: ReturnType<typeof requireAction>;
  try {
    simple = requireAction(us, '#UpdateService.SimpleUpdate');
  } catch (err) {
    throw new RedfishError(`Redfish exception occurred. Error: ${(err as Error).message}`);
  }
  const systems = memberIds(await rf(task, ctx.info, 'list Systems', () => ctx.client.get(link(root, 'Systems') ?? '/redfish/v1/Systems')));
  for (const s of settings) {
    const body: Json = { ImageURI: s.url };
    const proto = s.url.split(':')[0].toUpperCase();
    body.TransferProtocol = (simple.allowable.TransferProtocol ?? []).includes(proto) ? proto : 'HTTP';
    if (systems.length > 1) body.Targets = [ctx.systemPath];
    task.log.info(`Node ${task.node.uuid}: updating ${s.component} firmware from ${s.url}`);
    const resp = await rf(task, ctx.info, `start the ${s.component} firmware update from ${s.url}`, () => ctx.client.post(simple.target, body));
    // bios, nic and unknown components apply on reboot; the BMC flashes itself
    if (s.component !== 'bmc') await task.driver.get('power').reboot(task);
    const st = await rf(task, ctx.info, `follow the ${s.component} firmware update`, () =>
      ctx.client.waitTask(resp, { intervalMs: ctx.settings.firmwareUpdateStatusInterval * 1000, timeoutMs: 7200_000 }),
    );
    task.log.info(`Node ${task.node.uuid}: ${s.component} firmware update from ${s.url} ${st ? st.state : 'accepted'}`);
    if (s.wait) await new Promise((r) => setTimeout(r, s.wait! * 1000));
  }
  await refresh();
}
