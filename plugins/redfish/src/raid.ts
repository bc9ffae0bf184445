/**
 * Ironic's `redfish` raid interface: clean steps `create_configuration` / `delete_configuration`, deploy and service
 * steps `apply_configuration` / `delete_configuration`. Drives come from the System's Storage (a Storage whose
 * first controller lists no SupportedRAIDTypes is skipped), volumes are planned as Ironic plans them
 * (raid-plan.ts), then POSTed to the Storage's Volumes collection (DELETEd to remove) with the apply time the
 * collection supports (Immediate, else OnReset). A 202 task monitor means the BMC applies it on reset: the node is
 * rebooted and the task followed to its end before the next volume, as Ironic's async flow ends up doing. The
 * node's raid_config is read back from the BMC's volumes at the end.
 */
import {
  checkRaidConfig,
  type InterfaceFactory,
  InvalidParameterValue,
  type JsonObject,
  MissingParameterValue,
  RAID_LOGICAL_DISK_PROPERTIES,
  type RaidInterface,
  type StepDeclaration,
  type Task,
} from '@anvil/sdk';
import { type Json, link, memberIds, type RedfishResponse } from 'redfish-ts';
import { getSystem, type RedfishContext, redfishContext, RedfishError, rf } from './connection.ts';
import { COMMON_PROPERTIES } from './driver-info.ts';
import {
  applyTimeOf,
  filterLogicalDisks,
  findConfiguration,
  type LogicalDisk,
  type PhysicalDisk,
  raidConfigFrom,
  RaidPlanError,
  toLogicalDisks,
  type VolumeInfo,
  volumePayload,
} from './raid-plan.ts';

const APPLY_ARGS: StepDeclaration['argsinfo'] = {
  raid_config: { description: 'The RAID configuration to apply.', required: true },
  create_root_volume: { description: "Setting this to 'False' indicates not to create root volume that is specified in 'raid_config'. Default value is 'True'.", required: false },
  create_nonroot_volumes: {
    description: "Setting this to 'False' indicates not to create non-root volumes (all except the root volume) in 'raid_config'. Default value is 'True'.",
    required: false,
  },
  delete_existing: { description: "Setting this to 'True' indicates to delete existing RAID configuration prior to creating the new configuration. Default value is 'True'.", required: false },
};
const CREATE_ARGS: StepDeclaration['argsinfo'] = {
  create_root_volume: { description: 'This specifies whether to create the root volume. Defaults to `True`.', required: false },
  create_nonroot_volumes: { description: 'This specifies whether to create the non-root volumes. Defaults to `True`.', required: false },
  delete_existing: { description: 'Setting this to `True` indicates to delete existing RAID configuration prior to creating the new configuration. Default value is `False`.', required: false },
};

const flag = (v: unknown, dflt: boolean): boolean => (typeof v === 'boolean' ? v : typeof v === 'string' ? /^(true|1|yes|on)$/i.test(v) : dflt);

interface StorageInfo {
  path: string;
  body: Json;
  raidCapable: boolean;
  drives: PhysicalDisk[];
}

export class RedfishRaid implements RaidInterface {
  readonly ironicClass = 'RedfishRAID';
  readonly cleanSteps: StepDeclaration[] = [
    { step: 'create_configuration', priority: 0, abortable: false, argsinfo: CREATE_ARGS, requires_ramdisk: true },
    { step: 'delete_configuration', priority: 0, abortable: false, requires_ramdisk: true },
  ];
  readonly deploySteps: StepDeclaration[] = [
    { step: 'apply_configuration', priority: 0, abortable: true, argsinfo: APPLY_ARGS },
    { step: 'delete_configuration', priority: 0, abortable: true },
  ];
  readonly serviceSteps: StepDeclaration[] = [
    { step: 'apply_configuration', priority: 0, abortable: false, argsinfo: APPLY_ARGS, requires_ramdisk: true },
    { step: 'delete_configuration', priority: 0, abortable: false, requires_ramdisk: true },
  ];
  constructor(private readonly config: Readonly<Record<string, unknown>> = {}) {}

  getProperties() {
    return { ...COMMON_PROPERTIES };
  }

  /** As Ironic's RAIDInterface.validate: only the stored target RAID configuration is checked. */
  async validate(task: Task): Promise<void> {
    if (Object.keys(task.node.target_raid_config ?? {}).length) await this.validateRaidConfig(task, task.node.target_raid_config);
  }

  async validateRaidConfig(_task: Task, config: JsonObject): Promise<void> {
    checkRaidConfig(config);
    if (((config.logical_disks ?? []) as JsonObject[]).some((d) => d.interface_type === 'scsi')) {
      throw new InvalidParameterValue('interface type `scsi` not supported by Redfish RAID');
    }
  }

  getLogicalDiskProperties(): Record<string, string> {
    return { ...RAID_LOGICAL_DISK_PROPERTIES };
  }

  async executeStep(task: Task, step: string, args: JsonObject): Promise<void> {
    if (step === 'delete_configuration') return this.deleteConfiguration(task);
    if (step === 'create_configuration') return this.createConfiguration(task, flag(args.create_root_volume, true), flag(args.create_nonroot_volumes, true));
    if (step === 'apply_configuration') {
      const raid = args.raid_config;
      if (!raid || typeof raid !== 'object' || Array.isArray(raid)) throw new InvalidParameterValue('apply_configuration needs raid_config: an object with logical_disks.');
      await this.validateRaidConfig(task, raid as JsonObject);
      await task.saveNode({ target_raid_config: raid as JsonObject });
      // Ironic's redfish apply_configuration creates only the root volume unless asked (create_nonroot_volumes=False)
      return this.createConfiguration(task, flag(args.create_root_volume, true), flag(args.create_nonroot_volumes, false));
    }
    throw new InvalidParameterValue(`Unknown raid step ${step}.`);
  }

  private async storages(task: Task, ctx: RedfishContext): Promise<StorageInfo[]> {
    const coll = link(await getSystem(task, ctx), 'Storage');
    if (!coll) throw new RedfishError(`Redfish exception occurred. Error: the System of node ${task.node.uuid} has no Storage collection.`);
    const ids = memberIds(await rf(task, ctx.info, 'list Storage', () => ctx.client.get(coll)));
    const out: StorageInfo[] = [];
    for (const path of ids) {
      const body = await rf(task, ctx.info, `read Storage ${path}`, () => ctx.client.get(path));
      let controller: Json | null = null;
      const controllers = link(body, 'Controllers');
      if (controllers) {
        const first = memberIds(await rf(task, ctx.info, 'list storage controllers', () => ctx.client.get(controllers)))[0];
        if (first) controller = await rf(task, ctx.info, 'read the storage controller', () => ctx.client.get(first));
      }
      if (!controller && Array.isArray(body.StorageControllers)) controller = ((body.StorageControllers as Json[])[0] as Json | undefined) ?? null;
      const raidCapable = !(controller && Array.isArray(controller.SupportedRAIDTypes) && controller.SupportedRAIDTypes.length === 0);
      const drives: PhysicalDisk[] = [];
      for (const d of ((body.Drives ?? []) as Json[]).map((x) => x['@odata.id']).filter((x): x is string => typeof x === 'string')) {
        const drive = await rf(task, ctx.info, `read Drive ${d}`, () => ctx.client.get(d));
        drives.push({
          id: String(drive.Id ?? d.split('/').pop()),
          path: d,
          capacityBytes: Number(drive.CapacityBytes ?? 0),
          mediaType: typeof drive.MediaType === 'string' ? drive.MediaType : null,
          protocol: typeof drive.Protocol === 'string' ? drive.Protocol : null,
          storage: String(body.Id ?? path.split('/').pop()),
        });
      }
      out.push({ path, body, raidCapable, drives });
    }
    return out;
  }

  /** After a 202 (the BMC applies it on reset): reboot, then follow the task monitor to its end. */
  private async settle(task: Task, ctx: RedfishContext, resp: RedfishResponse, what: string): Promise<void> {
    if (resp.status !== 202) return;
    task.log.info(`Node ${task.node.uuid}: ${what} accepted as a task; rebooting to apply it`);
    await task.driver.get('power').reboot(task);
    const st = await rf(task, ctx.info, `follow the task to ${what}`, () => ctx.client.waitTask(resp, { intervalMs: 1000, timeoutMs: 3600_000 }));
    task.log.info(`Node ${task.node.uuid}: ${what}: ${st ? st.state : 'done'}`);
  }

  private async updateRaidConfig(task: Task, ctx: RedfishContext, storages?: StorageInfo[]): Promise<void> {
    const volumes: VolumeInfo[] = [];
    for (const s of storages ?? (await this.storages(task, ctx))) {
      const coll = link(s.body, 'Volumes');
      if (!coll) continue;
      for (const id of memberIds(await rf(task, ctx.info, 'list Volumes', () => ctx.client.get(coll)))) {
        const v = await rf(task, ctx.info, `read Volume ${id}`, () => ctx.client.get(id));
        volumes.push({
          id: String(v.Id ?? id.split('/').pop()),
          name: typeof v.Name === 'string' ? v.Name : null,
          controller: String(s.body.Id ?? s.path.split('/').pop()),
          capacityBytes: Number(v.CapacityBytes ?? 0),
          raidType: typeof v.RAIDType === 'string' ? v.RAIDType : null,
        });
      }
    }
    const skipped = volumes.filter((v) => !v.raidType).map((v) => v.id);
    if (skipped.length) task.log.warn(`Unable to update raid_config for volumes missing RAID type: ${skipped.join(', ')}`);
    await task.saveNode({ raid_config: raidConfigFrom(volumes) });
  }

  async createConfiguration(task: Task, root: boolean, nonroot: boolean): Promise<void> {
    const target = task.node.target_raid_config ?? {};
    if (!Array.isArray(target.logical_disks)) throw new MissingParameterValue(`Node ${task.node.uuid} has no target RAID configuration.`);
    const logical = toLogicalDisks(target, task.node.uuid);
    const ctx = await redfishContext(task, this.config);
    const storages = await this.storages(task, ctx);
    const disks = storages.filter((s) => s.raidCapable).flatMap((s) => s.drives);
    let planned: LogicalDisk[];
    try {
      planned = filterLogicalDisks(findConfiguration(logical, disks), root, nonroot);
    } catch (err) {
      if (err instanceof RaidPlanError) {
        task.log.error(`Redfish driver failed to create RAID configuration for node ${task.node.uuid}. Reason: ${err.message}.`);
        throw new RedfishError(`Redfish exception occurred. Error: ${err.message}`);
      }
      throw err;
    }
    // grouped by controller, in Ironic's order
    const sorted = [...planned].sort((a, b) => String(a.controller ?? '').localeCompare(String(b.controller ?? '')));
    await this.keepingRaidConfig(task, ctx, async () => {
      for (const ld of sorted) await this.createVolume(task, ctx, storages, ld);
    });
  }

  /** Run the volume changes; raid_config is read back after them, and (best effort) after a failure too. */
  private async keepingRaidConfig(task: Task, ctx: RedfishContext, changes: () => Promise<void>): Promise<void> {
    try {
      await changes();
    } catch (err) {
      // as Ironic's _query_raid_config_failed: what the BMC holds now, then the failure
      await this.updateRaidConfig(task, ctx).catch((e: Error) => task.log.warn(`raid_config of node ${task.node.uuid} not read back: ${e.message}`));
      throw err;
    }
    await this.updateRaidConfig(task, ctx);
  }

  private async createVolume(task: Task, ctx: RedfishContext, storages: StorageInfo[], ld: LogicalDisk): Promise<void> {
    const ids = ld.physical_disks ?? [];
    const storage = storages.find((s) => s.raidCapable && s.drives.some((d) => ids.includes(d.id)));
    if (!storage) throw new RedfishError(`Redfish exception occurred. Error: No storage controller found for node ${task.node.uuid}`);
    const coll = link(storage.body, 'Volumes');
    if (!coll) throw new RedfishError(`Redfish exception occurred. Error: Storage ${storage.path} of node ${task.node.uuid} has no Volumes collection`);
    const apply = applyTimeOf((await rf(task, ctx.info, 'read the Volumes collection', () => ctx.client.get(coll))) as JsonObject);
    const paths = ids.map((id) => storage.drives.find((d) => d.id === id)?.path).filter((p): p is string => !!p);
    const body = volumePayload(ld, paths, apply);
    task.log.info(`Node ${task.node.uuid}: creating a RAID ${ld.raid_level} volume on ${storage.path} over ${ids.join(', ')}`);
    const resp = await rf(task, ctx.info, 'create a virtual disk', () => ctx.client.post(coll, body as Json));
    await this.settle(task, ctx, resp, `create the RAID ${ld.raid_level} volume`);
  }

  async deleteConfiguration(task: Task): Promise<void> {
    const ctx = await redfishContext(task, this.config);
    const storages = await this.storages(task, ctx);
    await this.keepingRaidConfig(task, ctx, () => this.deleteVolumes(task, ctx, storages));
  }

  private async deleteVolumes(task: Task, ctx: RedfishContext, storages: StorageInfo[]): Promise<void> {
    for (const s of storages) {
      const coll = link(s.body, 'Volumes');
      if (!coll) {
        task.log.info(`Storage controller ${s.path} on node ${task.node.uuid} has no Volumes collection, skipping`);
        continue;
      }
      const collection = await rf(task, ctx.info, 'list Volumes', () => ctx.client.get(coll));
      const apply = applyTimeOf(collection as JsonObject);
      for (const id of memberIds(collection)) {
        const v = await rf(task, ctx.info, `read Volume ${id}`, () => ctx.client.get(id));
        if (typeof v.RAIDType !== 'string' || !v.RAIDType) continue;
        task.log.info(`Node ${task.node.uuid}: deleting volume ${id}`);
        const resp = await rf(task, ctx.info, `delete volume ${id}`, () => ctx.client.delete(id, apply ? { '@Redfish.OperationApplyTime': apply } : undefined));
        await this.settle(task, ctx, resp, `delete volume ${id}`);
      }
    }
  }
}

const factory: InterfaceFactory<'raid'> = (config) => new RedfishRaid(config);
export default factory;
