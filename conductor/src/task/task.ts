/**
 * A task is the unit of work on one node, like Ironic's TaskManager: it holds a shared or exclusive lock, the node,
 * its ports/portgroups and the resolved driver; `processEvent` moves the provision FSM; `spawnAfter` hands the lock
 * to a background worker that starts when the task's opening block ends; the lock is released when the worker ends
 * (or at once when nothing was spawned), also on errors.
 */
import {
  InvalidState,
  InvalidStateRequested,
  NoFreeConductorWorker,
  type BiosSettingInput,
  type FirmwareComponentInput,
  type JsonObject,
  type NodeRecord,
  type PortgroupRecord,
  type PortRecord,
  type ResolvedDriver,
  type Task,
} from '@anvil/sdk';
import type { NodeView } from '@anvil/db';
import type { ConductorContext } from '../context.ts';
import type { Logger } from '../log.ts';
import { applyEvent, invalidStateMessage } from '../states/table.ts';
import { historyWriter } from './history-writer.ts';
import { provisionTransitions, taskDuration } from '../metrics.ts';
import { releaseNode, reserveNode } from './lock.ts';
import { recordDiagnosis, tracedDriver } from '../why/record.ts';
import type { Diagnosis } from '@anvil/sdk';

export interface AcquireOptions {
  shared?: boolean;
  /** What the task is for (logs). */
  purpose: string;
  /** Lock attempts override (default node_locked_retry_attempts). */
  attempts?: number;
  /** Take the lock over from this (dead) host atomically instead of reserving a free node. */
  takeOverFrom?: string;
}

export interface ProcessEventOptions {
  /** Background work to run after the opening block ends (keeps the lock). */
  callback?: (task: TaskManager) => Promise<void>;
  /** Explicit final target (manual clean → manageable). */
  targetState?: string | null;
  /** last_error to set with the transition (null clears it when a callback starts work). */
  lastError?: string | null;
  /** Extra node fields saved together with the transition. */
  fields?: Partial<NodeRecord>;
  /** false: the caller records its own node history entry (Ironic 39's servicing records its error before the move). */
  history?: false;
}

type Worker = (task: TaskManager) => Promise<void>;
type Children = [PortRecord[], PortgroupRecord[]];

/** A node's ports and portgroups (by node id, or by uuid before the node's row was read). */
function loadChildren(ctx: ConductorContext, filters: { node_id: number } | { node_uuid: string }): Promise<Children> {
  return Promise.all([ctx.db.ports.list({ filters }), ctx.db.portgroups.list({ filters })]);
}

const nowIso = () => new Date().toISOString();

export class TaskManager implements Task {
  readonly ctx: ConductorContext;
  readonly shared: boolean;
  readonly purpose: string;
  readonly log: Logger;
  ports: PortRecord[] = [];
  portgroups: PortgroupRecord[] = [];
  private _node: NodeRecord;
  private _driver: ResolvedDriver | null = null;
  private spawned: Worker | null = null;
  private released = false;
  private exclusive: boolean;
  /** anvil_task_duration_seconds: from acquire to the release of the lock (the worker's end) */
  private readonly endTimer = taskDuration.startTimer();

  private constructor(ctx: ConductorContext, node: NodeRecord, opts: AcquireOptions) {
    this.ctx = ctx;
    this._node = node;
    this.shared = !!opts.shared;
    this.exclusive = !opts.shared;
    this.purpose = opts.purpose;
    this.log = ctx.log.child({ node_uuid: node.uuid, purpose: opts.purpose });
  }

  /** Open a task on a node (uuid or name). Exclusive → reservation (409 NodeLocked after retries). */
  static async acquire(ctx: ConductorContext, ident: string, opts: AcquireOptions): Promise<TaskManager> {
    const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    // exclusive by uuid: the reservation itself reads the node (one query less per task)
    let children: Promise<Children> | null = null;
    let node: NodeView = !opts.shared && UUID.test(ident) ? ({ uuid: ident.toLowerCase() } as NodeView) : await ctx.db.nodes.getByIdent(ident);
    if (!opts.shared) {
      // mark the node busy here before the DB lock exists and until after it is gone (stale-reservation cleanup)
      ctx.workers.hold(node.uuid);
      const uuid = node.uuid;
      try {
        node = opts.takeOverFrom
          ? await ctx.db.nodes.update(uuid, { reservation: ctx.hostname }, { expectReservation: opts.takeOverFrom })
          : await reserveNode(ctx, uuid, {
              attempts: opts.attempts,
              // locked: the ports and portgroups are read alongside the node (one round trip less per task)
              onLocked: () => {
                children = loadChildren(ctx, { node_uuid: uuid });
                children.catch(() => undefined); // awaited in load(); a failed node read must not leave it unhandled
              },
            });
      } catch (err) {
        ctx.workers.unhold(node.uuid);
        throw err;
      }
    }
    const task = new TaskManager(ctx, node, opts);
    try {
      await task.load(children);
    } catch (err) {
      await task.release();
      throw err;
    }
    return task;
  }

  private async load(children: Promise<Children> | null): Promise<void> {
    const [ports, portgroups] = await (children ?? loadChildren(this.ctx, { node_id: this._node.id }));
    this.ports = ports;
    this.portgroups = portgroups;
    this._driver = tracedDriver(await this.ctx.registry.load(this._node), () => this._node, () => this.ports);
  }

  get node(): NodeRecord {
    return this._node;
  }

  get driver(): ResolvedDriver {
    if (!this._driver) throw new InvalidState(`driver of node ${this._node.uuid} is not loaded`);
    return this._driver;
  }

  get conductor(): string {
    return this.ctx.hostname;
  }

  get config(): Readonly<Record<string, unknown>> {
    return this.ctx.settings;
  }

  /** Take the exclusive lock on a shared task. */
  async upgradeLock(attempts?: number): Promise<void> {
    if (this.exclusive) return;
    this.ctx.workers.hold(this._node.uuid);
    try {
      this._node = await reserveNode(this.ctx, this._node.uuid, { attempts });
    } catch (err) {
      this.ctx.workers.unhold(this._node.uuid);
      throw err;
    }
    this.exclusive = true;
  }

  private assertExclusive(): void {
    if (!this.exclusive) throw new InvalidState(`task on node ${this._node.uuid} holds only a shared lock`);
  }

  async saveNode(fields: Partial<NodeRecord>): Promise<void> {
    this.assertExclusive();
    const values: Partial<NodeRecord> = { ...fields };
    if (values.provision_state !== undefined && values.provision_updated_at === undefined) values.provision_updated_at = nowIso();
    const before = this._node;
    // the held node is the truth while we hold the reservation: the save is one UPDATE, no read-back
    this._node = await this.ctx.db.nodes.update(this._node.uuid, values, { expectReservation: this.ctx.hostname, held: before as NodeView });
    if (typeof values.last_error === 'string' && values.last_error) {
      const step = (before.deploy_step?.step ? before.deploy_step : before.clean_step?.step ? before.clean_step : null) as { interface?: string; step?: string } | null;
      const input = { db: this.ctx.db, settings: this.ctx.settings, node: this._node, ports: this.ports, lastError: values.last_error, state: before.provision_state, step, conductor: this.ctx.hostname };
      this.diagnosis = await recordDiagnosis(input, (m, f) => this.log.warn(m, f));
    }
  }

  /** The diagnosis recorded with the last last_error this task saved (published with the node event). */
  diagnosis: Diagnosis | null = null;

  /** Persist fields of one of the node's ports (network interfaces record VIFs in internal_info). */
  async savePort(portUuid: string, fields: Partial<PortRecord>): Promise<void> {
    this.assertExclusive();
    const updated = await this.ctx.db.ports.update(portUuid, fields);
    this.ports = this.ports.map((p) => (p.uuid === portUuid ? updated : p));
  }

  /** Persist fields of one of the node's portgroups. */
  async savePortgroup(portgroupUuid: string, fields: Partial<PortgroupRecord>): Promise<void> {
    this.assertExclusive();
    const updated = await this.ctx.db.portgroups.update(portgroupUuid, fields);
    this.portgroups = this.portgroups.map((g) => (g.uuid === portgroupUuid ? updated : g));
  }

  /** Create a port on this node (out-of-band inspection); it joins this.ports. */
  async createPort(fields: Partial<PortRecord> & { address: string }): Promise<PortRecord> {
    this.assertExclusive();
    const port = await this.ctx.db.ports.create({ ...fields, node_id: this._node.id });
    this.ports = [...this.ports, port];
    return port;
  }

  async saveInventory(inventory: JsonObject, pluginData: JsonObject = {}): Promise<void> {
    this.assertExclusive();
    await this.ctx.db.inventory.set(this._node.id, inventory, pluginData);
  }

  async saveBiosSettings(settings: BiosSettingInput[]): Promise<void> {
    this.assertExclusive();
    await this.ctx.db.bios.replace(this._node.id, settings);
  }

  async saveFirmwareComponents(components: FirmwareComponentInput[]): Promise<void> {
    this.assertExclusive();
    await this.ctx.db.firmware.replace(this._node.id, components);
  }

  async setInternalInfo(values: Record<string, unknown>): Promise<void> {
    const info = this.mergedInternalInfo(values);
    if (info) await this.saveNode({ driver_internal_info: info });
  }

  /** driver_internal_info with values merged (null removes), or null when nothing would change. */
  mergedInternalInfo(values: Record<string, unknown>, base: JsonObject = this._node.driver_internal_info): JsonObject | null {
    const info: JsonObject = { ...base };
    let changed = false;
    for (const [k, v] of Object.entries(values)) {
      if (v === null || v === undefined) {
        if (k in info) {
          delete info[k];
          changed = true;
        }
      } else if (JSON.stringify(info[k]) !== JSON.stringify(v)) {
        info[k] = v as JsonObject[string];
        changed = true;
      }
    }
    return changed ? info : null;
  }

  /** Record a node history entry; history failures never fail the task. */
  async history(event: string, severity: 'INFO' | 'WARNING' | 'ERROR' = 'INFO', eventType = 'provisioning'): Promise<void> {
    try {
      const n = this._node;
      // Ironic 39 (API 1.115): the node's state and target when recorded, whole seconds since provision_updated_at
      const since = n.provision_updated_at ? Date.parse(n.provision_updated_at) : Number.NaN;
      const duration = Number.isNaN(since) ? null : Math.max(0, Math.floor((Date.now() - since) / 1000));
      const ev = {
        event,
        severity,
        event_type: eventType,
        conductor: this.ctx.hostname,
        state: n.provision_state,
        target_provision_state: n.target_provision_state,
        duration_seconds: duration,
      };
      await historyWriter(this.ctx.db).send({ nodeId: n.id, ev });
      // an ERROR entry worded apart from last_error gets its own diagnosis (the last_error one is recorded by saveNode)
      if (severity === 'ERROR' && event !== this._node.last_error) {
        const input = { db: this.ctx.db, settings: this.ctx.settings, node: this._node, ports: this.ports, lastError: event, state: this._node.provision_state, step: null, conductor: this.ctx.hostname };
        await recordDiagnosis(input, (m, f) => this.log.warn(m, f));
      }
    } catch (err) {
      this.log.warn('could not record node history', { error: String(err) });
    }
  }

  /** Publish the node's current state on the event bus. */
  publish(event: string): void {
    this.ctx.events.publish(this._node, event, this.ctx.hostname, this._node.last_error ? this.diagnosis : null);
  }

  /**
   * Move the FSM by `event` and save (Ironic TaskManager.process_event). With a callback the target is the FSM
   * target and last_error is set to opts.lastError (null clears it); without one a stable state clears the target.
   */
  async processEvent(event: string, opts: ProcessEventOptions = {}): Promise<void> {
    const from = this._node.provision_state;
    const t = applyEvent(from, event, { targetState: opts.targetState, async: !!opts.callback });
    if (!t) throw new InvalidStateRequested(invalidStateMessage(event, this._node.uuid, from));
    // the worker slot is taken before anything is saved: a full pool refuses with nothing changed
    if (opts.callback) this.reserveWorker();
    const fields: Partial<NodeRecord> = {
      ...opts.fields,
      provision_state: t.provision_state,
      target_provision_state: t.target_provision_state,
    };
    if (opts.callback) fields.last_error = opts.lastError ?? null;
    else if (opts.lastError !== undefined && opts.lastError !== null) fields.last_error = opts.lastError;
    await this.saveNode(fields);
    if (opts.callback) this.spawnAfter(opts.callback);
    const failed = t.provision_state.endsWith('failed') || t.provision_state === 'error';
    provisionTransitions.inc({ to: t.provision_state });
    this.log.info(`Node ${this._node.uuid} moved to provision state "${t.provision_state}" from state "${from}"; target provision state is "${t.target_provision_state}"`);
    // Ironic only logs a move; the node history gets a failure's error (an abort, without one, records nothing)
    if (failed && this._node.last_error && opts.history !== false) void this.history(this._node.last_error, 'ERROR');
    this.publish(event);
  }

  /** Run fn in the background once the task's opening block ends; the worker inherits the lock. */
  spawnAfter(fn: Worker): void {
    this.assertExclusive();
    this.reserveWorker();
    this.spawned = fn;
  }

  /** Whether this task holds a worker slot (taken by reserveWorker, used or given back by release). */
  private slot = false;

  /**
   * Ironic's workers_pool_size (100): take a worker slot for this task's background work, or refuse with 503.
   * Call before saving anything the worker depends on; the slot is kept until release() starts the worker or
   * gives it back, so a pool that fills meanwhile cannot strand a node that was already moved.
   */
  reserveWorker(): void {
    if (this.slot) return;
    const max = Number((this.ctx.settings as Record<string, unknown>).workers_pool_size) || 100;
    if (!this.ctx.workers.tryReserve(max)) {
      throw new NoFreeConductorWorker('Requested action cannot be performed due to lack of free conductor workers.');
    }
    this.slot = true;
  }

  get hasSpawned(): boolean {
    return this.spawned !== null;
  }

  /** Drop spawned work (the opening block failed). */
  cancelSpawn(): void {
    this.spawned = null;
  }

  /** End the opening block: start the spawned worker (which releases at its end) or release now. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const worker = this.spawned;
    this.spawned = null;
    const slot = this.slot;
    this.slot = false;
    if (slot && !worker) this.ctx.workers.unreserve();
    if (!worker) this.endTimer({ flow: this.purpose, outcome: 'ok' });
    if (worker) {
      this.ctx.workers.start(
        this._node.uuid,
        async () => {
          let outcome = 'error';
          try {
            await worker(this);
            outcome = 'ok';
          } finally {
            this.endTimer({ flow: this.purpose, outcome });
            await releaseNode(this.ctx, this._node.uuid);
          }
        },
        (err) => this.log.error('background task failed', { error: String(err) }),
        slot,
      );
      this.ctx.workers.unhold(this._node.uuid);
      return;
    }
    if (this.exclusive) {
      try {
        await releaseNode(this.ctx, this._node.uuid);
      } finally {
        this.ctx.workers.unhold(this._node.uuid);
      }
    }
  }
}

/** acquire → fn(task) → release (or hand the lock to the spawned worker). A throw before spawning releases. */
export async function withTask<T>(
  ctx: ConductorContext,
  ident: string,
  opts: AcquireOptions,
  fn: (task: TaskManager) => Promise<T>,
): Promise<T> {
  const task = await TaskManager.acquire(ctx, ident, opts);
  let ok = false;
  try {
    const out = await fn(task);
    ok = true;
    return out;
  } finally {
    if (!ok) {
      // a failure in the opening block drops any spawned work, like Ironic's __exit__ on exception
      task.cancelSpawn();
    }
    await task.release();
  }
}
