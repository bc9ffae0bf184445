/**
 * Boot override (ComputerSystem.Boot) as Ironic's redfish management sets it: only the fields that change, the
 * full payload (target, enabled, mode) for vendors that need it (AMI, ASRockRack, ...) or when the BMC answers 400
 * PropertyMissing to a partial one; retries while the BMC refuses changes during POST (400
 * UnableToModifyDuringSystemPOST or 409); a persistent device the BMC refuses falls back to one-time and is
 * re-applied before every power on (driver_internal_info.redfish_boot_device).
 */
import { type BootDevice, InvalidParameterValue, type Task } from '@anvil/sdk';
import { type Json, RedfishHttpError } from 'redfish-ts';
import { getSystem, type RedfishContext, rf } from './connection.ts';
import { setTimeout as sleep } from 'node:timers/promises';

export const BOOT_DEVICE_MAP: Record<string, string> = { pxe: 'Pxe', disk: 'Hdd', cdrom: 'Cd', bios: 'BiosSetup', 'uefi http': 'UefiHttp', floppy: 'Floppy' };
export const BOOT_DEVICE_MAP_REV: Record<string, string> = Object.fromEntries(Object.entries(BOOT_DEVICE_MAP).map(([k, v]) => [v, k]));
export const VENDORS_REQUIRING_FULL_BOOT_REQUEST = ['american megatrends international', 'ami', 'asrockrack', 'redfish_compatible'];

export function needsFullBootRequest(vendor: unknown): boolean {
  return typeof vendor === 'string' && VENDORS_REQUIRING_FULL_BOOT_REQUEST.some((v) => vendor.toLowerCase().includes(v));
}

/** The Boot object to PATCH (pure). `full`: every override field, else only what differs from `current`. */
export function bootPayload(current: Json, want: { target?: string; enabled?: string; mode?: string; httpBootUri?: string }, full: boolean): Json {
  const boot: Json = {};
  const target = want.target ?? (current.BootSourceOverrideTarget as string | undefined);
  if (want.target !== undefined || full) boot.BootSourceOverrideTarget = target;
  const enabled = want.enabled ?? (current.BootSourceOverrideEnabled as string | undefined) ?? 'Once';
  if (full || (want.enabled !== undefined && want.enabled !== current.BootSourceOverrideEnabled)) boot.BootSourceOverrideEnabled = enabled;
  if (full || (want.mode !== undefined && want.mode !== current.BootSourceOverrideMode)) boot.BootSourceOverrideMode = want.mode ?? current.BootSourceOverrideMode ?? 'UEFI';
  if (want.httpBootUri !== undefined) boot.HttpBootUri = want.httpBootUri;
  return boot;
}

export const isDuringPost = (err: unknown) =>
  err instanceof RedfishHttpError && (err.status === 409 || (err.status === 400 && err.hasMessage('UnableToModifyDuringSystemPOST')));

/** PATCH the System's Boot with POST-retries and the full-payload fallback. */
export async function patchBoot(task: Task, ctx: RedfishContext, want: Parameters<typeof bootPayload>[1], what: string): Promise<void> {
  const system = await getSystem(task, ctx);
  const current = (system.Boot ?? {}) as Json;
  let full = needsFullBootRequest(task.node.properties?.vendor);
  const attempts = Math.max(1, ctx.settings.postBootRetryAttempts);
  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.client.patch(ctx.systemPath, { Boot: bootPayload(current, want, full) });
      return;
    } catch (err) {
      if (!full && err instanceof RedfishHttpError && err.status === 400 && err.hasMessage('PropertyMissing')) {
        task.log.warn(`Node ${task.node.uuid}: the BMC wants the full Boot payload (${err.detail}); sending every override field.`);
        full = true;
        continue;
      }
      if (isDuringPost(err) && attempt < attempts) {
        const delay = Math.min(ctx.settings.postBootRetryDelay * 2 ** (attempt - 1), ctx.settings.postBootRetryDelay * 6);
        task.log.warn(`BMC is in POST, unable to modify boot device for node ${task.node.uuid}. Retrying in ${delay.toFixed(1)} seconds (attempt ${attempt}/${attempts})`);
        await sleep(delay * 1000);
        continue;
      }
      await rf(task, ctx.info, what, () => Promise.reject(err));
    }
  }
}

export async function setBootDevice(task: Task, ctx: RedfishContext, device: string, persistent: boolean, httpBootUri?: string): Promise<void> {
  const target = BOOT_DEVICE_MAP[device];
  if (!target) throw new InvalidParameterValue(`Invalid boot device ${device} specified.`);
  const enabled = persistent ? 'Continuous' : 'Once';
  try {
    await patchBoot(task, ctx, { target, enabled, httpBootUri }, `set boot device to ${device}`);
    await task.setInternalInfo({ redfish_boot_device: null });
  } catch (err) {
    if (!persistent) throw err;
    // continuous overrides were removed from Redfish; some BMCs refuse them: one-time now, again before each power on
    task.log.warn(`Could not set persistent boot device to ${device} for node ${task.node.uuid}, using one-time boot device instead`);
    await patchBoot(task, ctx, { target, enabled: 'Once', httpBootUri }, `set boot device to ${device}`);
    await task.setInternalInfo({ redfish_boot_device: device });
  }
}

/** Before power on: re-send the one-time device that stands in for a persistent one. */
export async function restoreBootDevice(task: Task, ctx: RedfishContext): Promise<void> {
  const device = task.node.driver_internal_info?.redfish_boot_device;
  if (typeof device !== 'string' || !BOOT_DEVICE_MAP[device]) return;
  task.log.info(`Restoring boot device ${device} on node ${task.node.uuid}`);
  await patchBoot(task, ctx, { target: BOOT_DEVICE_MAP[device], enabled: 'Once' }, `restore boot device ${device}`);
}

export async function getBootDevice(task: Task, ctx: RedfishContext): Promise<{ boot_device: BootDevice | null; persistent: boolean | null }> {
  const boot = ((await getSystem(task, ctx)).Boot ?? {}) as Json;
  const dev = BOOT_DEVICE_MAP_REV[String(boot.BootSourceOverrideTarget)] ?? null;
  const enabled = boot.BootSourceOverrideEnabled;
  return { boot_device: dev as BootDevice | null, persistent: enabled === 'Continuous' ? true : enabled === 'Once' ? false : null };
}
