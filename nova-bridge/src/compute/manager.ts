/**
 * The compute front: what nova-api + scheduler + compute manager do around the virt driver, in one place.
 * create → schedule (per-node reasons) → claim allocation → reserve node → plug VIFs → spawn (config drive)
 * → ACTIVE; a refused node (ComputeResourcesUnavailable) reschedules to the next alternate; any other failure
 * tears down, records the fault (with the node's last_error) and leaves the instance in ERROR.
 */
import { randomUUID } from 'node:crypto';
import { AnvilError, InvalidState } from '@anvil/sdk';
import { configDriveFor, wantsConfigDrive } from '../configdrive/build.ts';
import type { IronicDriver } from '../driver/driver.ts';
import { type NodeView, novaPowerState } from '../driver/node-view.ts';
import { ComputeResourcesUnavailable } from '../driver/nova-errors.ts';
import { providerFor } from '../driver/provider-tree.ts';
import { NoValidHostError, type ScheduleResult, schedule } from '../placement/scheduler.ts';
import { PlacementStore } from '../placement/store.ts';
import type { ComputeStore } from './store.ts';
import type { Instance, InstanceStatus, Nic } from './types.ts';
import { customResourceClass } from '../placement/resource-class.ts';

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

const MAX_ATTEMPTS = 3;

export class ComputeManager {
  readonly placement: PlacementStore;
  lastSchedule: ScheduleResult | null = null;

  constructor(
    readonly store: ComputeStore,
    readonly driver: IronicDriver,
  ) {
    this.placement = new PlacementStore(store.state.allocations);
  }

  private save(i?: Instance): void {
    this.store.state.allocations = this.placement.toJSON();
    if (i) this.store.putInstance(i);
    else this.store.save();
  }

  /** the resource tracker's periodic: list nodes, update every provider's inventory and traits. */
  async refreshResources(): Promise<NodeView[]> {
    const nodes = await this.driver.listAllNodes();
    for (const n of nodes) if (n.resource_class) this.placement.setProvider(providerFor(n, { skipReserveInUse: this.driver.ctx.config.skipReserveInUse }));
    return nodes;
  }

  async create(req: CreateRequest): Promise<Instance> {
    const now = new Date().toISOString();
    const userData = req.userData === undefined ? null : Buffer.from(req.userData).toString('base64');
    const inst: Instance = {
      uuid: randomUUID(),
      name: req.name,
      status: 'BUILD',
      task_state: 'scheduling',
      power_state: 'NOSTATE',
      flavor: this.store.flavor(req.flavor),
      image: this.store.imageOrRef(req.image),
      nics: req.nics ?? [],
      user_data: userData,
      config_drive: req.configDrive ?? false,
      metadata: req.metadata ?? {},
      key_name: req.keyName ?? null,
      public_key: req.publicKey ?? null,
      admin_pass: req.adminPass ?? null,
      availability_zone: req.availabilityZone ?? 'nova',
      project_id: req.projectId ?? 'anvil',
      host: null,
      node: null,
      fault: null,
      created_at: now,
      updated_at: now,
    };
    this.save(inst);
    const nodes = await this.refreshResources();
    const result = schedule(inst.flavor, inst.image, nodes, this.placement, inst.uuid);
    this.lastSchedule = result;
    if (result.hosts.length === 0) {
      const err = new NoValidHostError(result);
      this.fail(inst, err);
      throw err;
    }
    let last: Error | null = null;
    for (const nodeUuid of result.hosts.slice(0, MAX_ATTEMPTS)) {
      const node = nodes.find((n) => n.uuid === nodeUuid)!;
      const resources = { [customResourceClass(node.resource_class!)]: 1 };
      try {
        this.placement.claim(inst.uuid, nodeUuid, resources);
      } catch (err) {
        last = err as Error;
        continue;
      }
      Object.assign(inst, { host: this.driver.ctx.config.host, node: nodeUuid, task_state: 'spawning' });
      this.save(inst);
      try {
        await this.driver.prepareForSpawn(inst, nodeUuid);
      } catch (err) {
        this.placement.release(inst.uuid);
        Object.assign(inst, { host: null, node: null });
        last = err as Error;
        if (err instanceof ComputeResourcesUnavailable) continue; // reschedule to the next alternate
        this.fail(inst, err as Error);
        throw err;
      }
      try {
        await this.driver.plugVifs(inst, nodeUuid);
        const cd = wantsConfigDrive(inst) ? configDriveFor(inst) : undefined;
        const active = await this.driver.spawn(inst, nodeUuid, cd);
        Object.assign(inst, { status: 'ACTIVE', task_state: null, power_state: novaPowerState(active.power_state) });
        this.save(inst);
        return inst;
      } catch (err) {
        await this.driver.destroy(inst).catch(() => {}); // _shutdown_instance: tear down, detach VIFs, un-reserve
        this.placement.release(inst.uuid);
        this.fail(inst, err as Error);
        throw err;
      }
    }
    const err = last ?? new NoValidHostError(result);
    this.fail(inst, err);
    throw err;
  }

  private fail(inst: Instance, err: Error): void {
    const code = AnvilError.is(err) ? err.code : err.name;
    Object.assign(inst, { status: 'ERROR', task_state: null, fault: { code, message: err.message } });
    this.save(inst);
  }

  /**
   * One instance action, with Nova's status/task_state while it runs; on failure the instance keeps its previous
   * status and gets the fault.
   */
  private async transition(
    ref: string,
    during: { status?: InstanceStatus; task: string },
    allowed: InstanceStatus[],
    op: (i: Instance) => Promise<NodeView | undefined>,
    after: InstanceStatus,
  ) {
    const inst = this.store.instance(ref);
    if (!allowed.includes(inst.status)) throw new InvalidState(`Cannot '${during.task}' instance ${inst.uuid} while it is in vm_state ${inst.status}`);
    const before = inst.status;
    Object.assign(inst, { status: during.status ?? before, task_state: during.task });
    this.save(inst);
    try {
      const node = await op(inst);
      Object.assign(inst, { status: after, task_state: null, fault: null });
      if (node) inst.power_state = novaPowerState(node.power_state);
    } catch (err) {
      const code = AnvilError.is(err) ? err.code : (err as Error).name;
      Object.assign(inst, { status: before, task_state: null, fault: { code, message: (err as Error).message } });
      this.save(inst);
      throw err;
    }
    this.save(inst);
    return inst;
  }

  reboot(ref: string, hard = false) {
    const during = hard ? { status: 'HARD_REBOOT' as const, task: 'rebooting_hard' } : { status: 'REBOOT' as const, task: 'rebooting' };
    return this.transition(ref, during, ['ACTIVE', 'SHUTOFF', 'ERROR'], (i) => this.driver.reboot(i, hard), 'ACTIVE');
  }
  stop(ref: string, timeoutSec = 0) {
    return this.transition(ref, { task: 'powering-off' }, ['ACTIVE', 'ERROR'], (i) => this.driver.powerOff(i, timeoutSec), 'SHUTOFF');
  }
  start(ref: string) {
    return this.transition(ref, { task: 'powering-on' }, ['SHUTOFF'], (i) => this.driver.powerOn(i), 'ACTIVE');
  }
  rescue(ref: string, password: string) {
    return this.transition(ref, { task: 'rescuing' }, ['ACTIVE', 'SHUTOFF', 'ERROR'], (i) => this.driver.rescue(i, password), 'RESCUE');
  }
  unrescue(ref: string) {
    return this.transition(ref, { task: 'unrescuing' }, ['RESCUE'], (i) => this.driver.unrescue(i), 'ACTIVE');
  }
  rebuild(ref: string, o: { image?: string; preserveEphemeral?: boolean } = {}) {
    return this.transition(
      ref,
      { status: 'REBUILD', task: 'rebuilding' },
      ['ACTIVE', 'SHUTOFF', 'ERROR'],
      (i) => {
        if (!i.node) throw new InvalidState(`instance ${i.uuid} has no node`);
        if (o.image) i.image = this.store.imageOrRef(o.image);
        return this.driver.rebuild(i, i.node, o.preserveEphemeral ?? false, wantsConfigDrive(i) ? configDriveFor(i) : undefined);
      },
      'ACTIVE',
    );
  }

  async attachInterface(ref: string, nic: Nic): Promise<Instance> {
    const inst = this.store.instance(ref);
    if (!inst.node) throw new InvalidState(`instance ${inst.uuid} has no node`);
    await this.driver.attachInterface(inst.node, nic.port_id);
    inst.nics.push(nic);
    this.save(inst);
    return inst;
  }

  async detachInterface(ref: string, portId: string): Promise<Instance> {
    const inst = this.store.instance(ref);
    if (inst.node) await this.driver.detachInterface(inst.node, portId);
    inst.nics = inst.nics.filter((n) => n.port_id !== portId);
    this.save(inst);
    return inst;
  }

  async delete(ref: string): Promise<void> {
    const inst = this.store.instance(ref);
    inst.task_state = 'deleting';
    this.save(inst);
    await this.driver.destroy(inst);
    this.placement.release(inst.uuid);
    this.store.state.allocations = this.placement.toJSON();
    this.store.deleteInstance(inst.uuid);
  }

  /** refresh power state from Ironic (get_info). */
  async sync(ref: string): Promise<Instance> {
    const inst = this.store.instance(ref);
    const info = await this.driver.getInfo(inst.uuid);
    inst.power_state = info.state;
    this.save(inst);
    return inst;
  }
}
