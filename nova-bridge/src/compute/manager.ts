/**
 * The compute front: what nova-api + conductor + compute manager do around the virt driver. `submit` records a
 * new instance (BUILD/scheduling) on this compute service; `build` takes it to ACTIVE or ERROR (compute/build.ts:
 * claims, alternates, max_attempts); actions run under Nova's task_state guard (a concurrent action on the same
 * instance gets 409 UnexpectedTaskStateError); `syncPowerStates` is Nova's _sync_power_states.
 */
import { randomUUID } from 'node:crypto';
import { AnvilError, InvalidState } from '@anvil/sdk';
import { configDriveFor, wantsConfigDrive } from '../configdrive/build.ts';
import type { IronicDriver } from '../driver/driver.ts';
import { type NodeView, novaPowerState } from '../driver/node-view.ts';
import type { ScheduleResult } from '../placement/scheduler.ts';
import { buildInstance, resumeBuild } from './build.ts';
import { ResourceTracker } from './resource-tracker.ts';
import { vmState } from './vm-state.ts';
import type { ComputeStore } from './store.ts';
import type { Instance, InstanceStatus, Nic } from './types.ts';

export interface CreateRequest {
  name: string;
  flavor: string;
  image: string;
  nics?: Nic[];
  userData?: string | Buffer; // raw bytes/text; stored base64
  configDrive?: boolean;
  metadata?: Record<string, string>;
  keyName?: string;
  publicKey?: string;
  adminPass?: string;
  availabilityZone?: string;
  projectId?: string;
}

export type ActionName = 'reboot' | 'os-stop' | 'os-start' | 'rescue' | 'unrescue' | 'rebuild';
export interface ActionArg {
  hard?: boolean;
  timeoutSec?: number;
  password?: string;
  image?: string;
  name?: string;
  preserveEphemeral?: boolean;
}
export interface Started {
  inst: Instance;
  done: Promise<Instance>;
}

export interface ManagerOptions {
  /** Nova's [scheduler]max_attempts: the selected host plus alternates (default 3) */
  maxAttempts?: number;
  tracker?: ResourceTracker;
  /** how old the node list may be when scheduling (default 1000 ms; claims decide, the list only filters) */
  nodeListMaxAgeMs?: number;
}

export class ComputeManager {
  lastSchedule: ScheduleResult | null = null;
  /** set by a stopping service: work cut off by the stop is left as it is (resumed on restart or adopted), not failed */
  stopping = false;
  readonly tracker: ResourceTracker;
  readonly maxAttempts: number;
  readonly nodeListMaxAgeMs: number;

  constructor(
    readonly store: ComputeStore,
    readonly driver: IronicDriver,
    o: ManagerOptions = {},
  ) {
    this.tracker = o.tracker ?? new ResourceTracker(store.db, driver);
    this.maxAttempts = Math.max(1, o.maxAttempts ?? 3);
    this.nodeListMaxAgeMs = o.nodeListMaxAgeMs ?? 1000;
  }

  get host(): string {
    return this.driver.ctx.config.host;
  }

  /** nova-api: validate the request and record the instance (BUILD, scheduling) on this compute service */
  async submit(req: CreateRequest): Promise<Instance> {
    const now = new Date().toISOString();
    const inst: Instance = {
      uuid: randomUUID(),
      name: req.name,
      status: 'BUILD',
      task_state: 'scheduling',
      power_state: 'NOSTATE',
      flavor: await this.store.flavor(req.flavor),
      image: await this.store.imageOrRef(req.image),
      nics: req.nics ?? [],
      user_data: req.userData === undefined ? null : Buffer.from(req.userData).toString('base64'),
      config_drive: req.configDrive ?? false,
      metadata: req.metadata ?? {},
      key_name: req.keyName ?? null,
      public_key: req.publicKey ?? null,
      admin_pass: req.adminPass ?? null,
      availability_zone: req.availabilityZone ?? 'nova',
      project_id: req.projectId ?? 'anvil',
      host: this.host,
      node: null,
      fault: null,
      created_at: now,
      updated_at: now,
      launched_at: null,
    };
    return this.store.createInstance(inst);
  }

  build(inst: Instance): Promise<Instance> {
    return buildInstance(this, inst);
  }

  resume(inst: Instance): Promise<Instance> {
    return resumeBuild(this, inst);
  }

  /** submit + build: resolves ACTIVE, rejects with the failure (instance left in ERROR with its fault) */
  async create(req: CreateRequest): Promise<Instance> {
    return this.build(await this.submit(req));
  }

  /** update_available_resource */
  refreshResources(): Promise<NodeView[]> {
    return this.tracker.sync();
  }

  /**
   * One instance action, with Nova's status/task_state while it runs (taken only when no other task runs:
   * UnexpectedTaskStateError otherwise); on failure the instance keeps its previous status and gets the fault.
   */
  async begin(ref: string, during: { status?: InstanceStatus; task: string; action?: string }, allowed: InstanceStatus[]): Promise<Instance> {
    const inst = await this.store.instance(ref);
    if (!allowed.includes(inst.status)) throw new InvalidState(`Cannot '${during.action ?? during.task}' instance ${inst.uuid} while it is in vm_state ${vmState(inst.status)}`);
    return this.store.update(inst.uuid, { status: during.status ?? inst.status, task_state: during.task }, { taskState: [null] });
  }

  async finish(inst: Instance, before: InstanceStatus, op: (i: Instance) => Promise<NodeView | undefined>, after: InstanceStatus): Promise<Instance> {
    try {
      const node = await op(inst);
      return await this.store.update(inst.uuid, { status: after, task_state: null, fault: null, ...(node ? { power_state: novaPowerState(node.power_state) } : {}) });
    } catch (err) {
      if (this.stopping) throw err;
      const code = AnvilError.is(err) ? err.code : (err as Error).name;
      await this.store.addFault(inst.uuid, { code: 500, name: code, message: (err as Error).message, host: this.host });
      await this.store.update(inst.uuid, { status: before, task_state: null, fault: { code, message: (err as Error).message } });
      throw err;
    }
  }

  /** start an action: status/task_state taken now (guarded), the driver work in `done` */
  async act(ref: string, during: { status?: InstanceStatus; task: string; action?: string }, allowed: InstanceStatus[], op: (i: Instance) => Promise<NodeView | undefined>, after: InstanceStatus): Promise<Started> {
    const before = (await this.store.instance(ref)).status;
    const inst = await this.begin(ref, during, allowed);
    const done = this.finish(inst, before, op, after);
    done.catch(() => {}); // the caller decides whether to wait; the fault is recorded either way
    return { inst, done };
  }

  /** Nova's server actions by their API names; `arg` as the API body gives it */
  action(name: ActionName, ref: string, arg: ActionArg = {}): Promise<Started> {
    switch (name) {
      case 'reboot': {
        const during = arg.hard ? { status: 'HARD_REBOOT' as const, task: 'rebooting_hard', action: 'reboot' } : { status: 'REBOOT' as const, task: 'rebooting', action: 'reboot' };
        return this.act(ref, during, ['ACTIVE', 'SHUTOFF', 'ERROR'], (i) => this.driver.reboot(i, arg.hard ?? false), 'ACTIVE');
      }
      case 'os-stop':
        return this.act(ref, { task: 'powering-off', action: 'stop' }, ['ACTIVE', 'ERROR'], (i) => this.driver.powerOff(i, arg.timeoutSec ?? 0), 'SHUTOFF');
      case 'os-start':
        return this.act(ref, { task: 'powering-on', action: 'start' }, ['SHUTOFF'], (i) => this.driver.powerOn(i), 'ACTIVE');
      case 'rescue':
        return this.act(ref, { task: 'rescuing', action: 'rescue' }, ['ACTIVE', 'SHUTOFF', 'ERROR'], (i) => this.driver.rescue(i, arg.password ?? randomUUID().slice(0, 12)), 'RESCUE');
      case 'unrescue':
        return this.act(ref, { task: 'unrescuing', action: 'unrescue' }, ['RESCUE'], (i) => this.driver.unrescue(i), 'ACTIVE');
      case 'rebuild':
        return this.act(
          ref,
          { status: 'REBUILD', task: 'rebuilding', action: 'rebuild' },
          ['ACTIVE', 'SHUTOFF', 'ERROR'],
          async (i) => {
            if (!i.node) throw new InvalidState(`instance ${i.uuid} has no node`);
            const patch: Partial<Instance> = {};
            if (arg.image) patch.image = await this.store.imageOrRef(arg.image);
            if (arg.name) patch.name = arg.name;
            if (Object.keys(patch).length) i = await this.store.update(i.uuid, patch);
            return this.driver.rebuild(i, i.node!, arg.preserveEphemeral ?? false, wantsConfigDrive(i) ? configDriveFor(i) : undefined);
          },
          'ACTIVE',
        );
    }
  }

  private async run(name: ActionName, ref: string, arg?: ActionArg): Promise<Instance> {
    return (await this.action(name, ref, arg)).done;
  }
  reboot(ref: string, hard = false) {
    return this.run('reboot', ref, { hard });
  }
  stop(ref: string, timeoutSec = 0) {
    return this.run('os-stop', ref, { timeoutSec });
  }
  start(ref: string) {
    return this.run('os-start', ref);
  }
  rescue(ref: string, password: string) {
    return this.run('rescue', ref, { password });
  }
  unrescue(ref: string) {
    return this.run('unrescue', ref);
  }
  rebuild(ref: string, o: { image?: string; preserveEphemeral?: boolean } = {}) {
    return this.run('rebuild', ref, o);
  }

  async attachInterface(ref: string, nic: Nic): Promise<Instance> {
    const inst = await this.store.instance(ref);
    if (!inst.node) throw new InvalidState(`instance ${inst.uuid} has no node`);
    await this.driver.attachInterface(inst.node, nic.port_id);
    return this.store.update(inst.uuid, { nics: [...inst.nics, nic] });
  }

  async detachInterface(ref: string, portId: string): Promise<Instance> {
    const inst = await this.store.instance(ref);
    if (inst.node) await this.driver.detachInterface(inst.node, portId);
    return this.store.update(inst.uuid, { nics: inst.nics.filter((n) => n.port_id !== portId) });
  }

  /** mark deleting (any task but another delete), tear down, release the claim, drop the record */
  async delete(ref: string): Promise<void> {
    const found = await this.store.instance(ref);
    const inst = found.task_state === 'deleting' ? found : await this.store.update(found.uuid, { task_state: 'deleting' });
    await this.driver.destroy(inst);
    await this.store.db.placement.deleteAllocations(inst.uuid);
    await this.store.deleteInstance(inst.uuid);
  }

  /** refresh power state from Ironic (get_info). */
  async sync(ref: string): Promise<Instance> {
    const inst = await this.store.instance(ref);
    const info = await this.driver.getInfo(inst.uuid);
    return this.store.update(inst.uuid, { power_state: info.state });
  }

  /**
   * _sync_power_states for this service's idle instances: record the node's power state; an ACTIVE instance
   * found off goes to SHUTOFF ("shutdown by itself"), a SHUTOFF one found running is stopped (as Nova does).
   */
  async syncPowerStates(): Promise<number> {
    let changed = 0;
    for (const inst of await this.store.instances({ host: this.host })) {
      if (inst.task_state !== null || !inst.node || !['ACTIVE', 'SHUTOFF'].includes(inst.status)) continue;
      const info = await this.driver.getInfo(inst.uuid).catch(() => null);
      if (!info) continue;
      const patch: Partial<Instance> = {};
      if (info.state !== inst.power_state) patch.power_state = info.state;
      if (inst.status === 'ACTIVE' && info.state === 'SHUTDOWN') patch.status = 'SHUTOFF';
      if (inst.status === 'SHUTOFF' && info.state === 'RUNNING') {
        await this.stop(inst.uuid).catch(() => {});
        changed++;
        continue;
      }
      if (Object.keys(patch).length) {
        await this.store.update(inst.uuid, patch, { taskState: [null], host: this.host }).catch(() => {});
        changed++;
      }
    }
    return changed;
  }
}
