/**
 * `anvil compute`: the long-running compute service. It serves the compute API, builds what it is asked to,
 * heartbeats in the shared database, and runs Nova's periodic tasks: the resource tracker (Placement from the
 * baremetal API, every resource_interval and on each node event), _sync_power_states, and — with other compute
 * services on the same database — the hash ring over the live services: each reports the nodes the ring gives
 * it, and a service whose heartbeat stops has its instances adopted by the live ones (an interrupted build is
 * resumed where the node is; an interrupted delete is finished).
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Middleware } from 'koa';
import { type ApiState, createComputeApp } from '../api/app.ts';
import type { ApiAuth } from '../client/api-auth.ts';
import { ComputeManager } from '../compute/manager.ts';
import { ResourceTracker } from '../compute/resource-tracker.ts';
import type { ComputeStore } from '../compute/store.ts';
import type { Instance } from '../compute/types.ts';
import { IronicDriver } from '../driver/driver.ts';
import { ComputeHashRing } from '../driver/hash-ring.ts';
import type { WaitMode } from '../events/index.ts';
import { SseWaiter } from '../events/sse.ts';

export interface ComputeServiceOptions {
  /** the baremetal (Ironic v1) API */
  endpoint: string;
  store: ComputeStore;
  /** this compute service's name (instance.host) */
  host: string;
  /** where the compute API listens; port 0 = any free port; null = no API */
  listen?: { host: string; port: number } | null;
  publicUrl?: string;
  maxAttempts?: number;
  waitMode?: WaitMode;
  apiRetryIntervalMs?: number;
  /** Nova's report_interval (10 s) and service_down_time (60 s) */
  reportIntervalMs?: number;
  serviceDownTimeMs?: number;
  /** update_resources_interval (60 s) and sync_power_state_interval (600 s) */
  resourceIntervalMs?: number;
  powerSyncIntervalMs?: number;
  log?: (msg: string) => void;
  /** how this service authenticates to the baremetal API (client/api-auth.ts serviceAuth); null: noauth */
  auth?: ApiAuth | null;
  /** how the compute API checks its callers: the API's own auth middleware (@anvil/api/auth); none: noauth */
  apiAuth?: Middleware<ApiState>;
}

export class ComputeService {
  readonly manager: ComputeManager;
  url: string | null = null;
  private server: Server | null = null;
  private timers: NodeJS.Timeout[] = [];
  private readonly inflight = new Map<string, Promise<unknown>>();
  private ring: ComputeHashRing;
  private alive: string[];
  private stopped = false;
  private unsubscribe: (() => void) | null = null;

  private constructor(
    readonly o: ComputeServiceOptions,
    readonly driver: IronicDriver,
  ) {
    this.alive = [o.host];
    this.ring = new ComputeHashRing(this.alive);
    const tracker = new ResourceTracker(o.store.db, driver, (node) => this.ring.owns(o.host, node));
    this.manager = new ComputeManager(o.store, driver, { maxAttempts: o.maxAttempts, tracker });
  }

  static async start(o: ComputeServiceOptions): Promise<ComputeService> {
    const driver = await IronicDriver.create({ endpoint: o.endpoint, host: o.host, waitMode: o.waitMode ?? 'auto', apiRetryIntervalMs: o.apiRetryIntervalMs ?? 2000, auth: o.auth });
    const svc = new ComputeService(o, driver);
    try {
      if (o.listen !== null) await svc.listen(o.listen ?? { host: '127.0.0.1', port: 8774 });
    } catch (err) {
      await driver.close();
      throw err;
    }
    await svc.heartbeat();
    await svc.manager.tracker.sync().catch((err) => svc.log(`resource tracker: ${err.message}`));
    // _init_instance: what this host left unfinished before a restart
    for (const inst of await o.store.instances({ host: o.host, busy: true })) svc.resume(inst);
    if (driver.ctx.waiter instanceof SseWaiter) svc.unsubscribe = driver.ctx.waiter.subscribe((nodes) => svc.onNodeEvent(nodes));
    svc.every(o.reportIntervalMs ?? 10_000, () => svc.heartbeat());
    svc.every(o.resourceIntervalMs ?? 60_000, () => svc.manager.tracker.sync());
    svc.every(o.powerSyncIntervalMs ?? 600_000, () => svc.manager.syncPowerStates());
    return svc;
  }

  get host(): string {
    return this.o.host;
  }

  /** the live compute services the ring is built over */
  get liveHosts(): string[] {
    return [...this.alive];
  }

  private log(msg: string): void {
    this.o.log?.(`compute ${this.o.host}: ${msg}`);
  }

  private every(ms: number, fn: () => Promise<unknown>): void {
    let busy = false;
    const t = setInterval(() => {
      if (busy || this.stopped) return;
      busy = true;
      fn()
        .catch((err) => this.log(`periodic task failed: ${(err as Error).message}`))
        .finally(() => {
          busy = false;
        });
    }, ms);
    t.unref();
    this.timers.push(t);
  }

  private async listen(at: { host: string; port: number }): Promise<void> {
    const app = createComputeApp({
      store: this.o.store,
      manager: this.manager,
      startBuild: (inst) => this.track(inst.uuid, this.manager.build(inst)),
      startDelete: (inst) => this.track(inst.uuid, this.deleteAfterBuild(inst)),
      services: () => this.services(),
      publicUrl: this.o.publicUrl,
      log: this.o.log,
      auth: this.o.apiAuth,
    });
    this.server = createServer(app.callback());
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(at.port, at.host, () => resolve());
    });
    const addr = this.server.address() as AddressInfo;
    this.url = `http://${at.host}:${addr.port}`;
  }

  private track(uuid: string, p: Promise<unknown>): void {
    const prev = this.inflight.get(uuid);
    const run = (prev ? prev.catch(() => {}).then(() => p) : p).catch((err) => this.log(`instance ${uuid}: ${(err as Error).message}`));
    this.inflight.set(uuid, run);
    void run.finally(() => {
      if (this.inflight.get(uuid) === run) this.inflight.delete(uuid);
    });
  }

  /** a delete waits for this service's own build of the instance to settle, then tears down */
  private async deleteAfterBuild(inst: Instance): Promise<void> {
    await this.inflight.get(inst.uuid)?.catch(() => {});
    await this.manager.delete(inst.uuid);
  }

  private onNodeEvent(nodes: string[]): void {
    for (const n of nodes) void this.manager.tracker.syncNode(n).catch(() => {});
  }

  async services(): Promise<{ host: string; alive: boolean; updated_at: string }[]> {
    const down = this.o.serviceDownTimeMs ?? 60_000;
    return (await this.o.store.db.catalog.services()).map((s) => ({ ...s, alive: Date.now() - Date.parse(s.updated_at) <= down }));
  }

  /** report in, rebuild the ring over the live services, adopt the instances of dead ones that hash to us */
  async heartbeat(): Promise<void> {
    await this.o.store.db.catalog.heartbeat(this.o.host);
    const all = await this.services();
    const alive = all.filter((s) => s.alive || s.host === this.o.host).map((s) => s.host);
    if (alive.join() !== this.alive.join()) {
      this.alive = alive;
      this.ring = new ComputeHashRing(alive);
      this.log(`hash ring: ${alive.join(', ')}`);
    }
    for (const dead of all.filter((s) => !alive.includes(s.host))) {
      for (const inst of await this.o.store.instances({ host: dead.host })) {
        if (!this.ring.owns(this.o.host, inst.uuid)) continue;
        const mine = await this.o.store.db.compute.adopt(inst.uuid, dead.host, this.o.host);
        if (!mine) continue;
        this.log(`adopted instance ${inst.uuid} from ${dead.host} (${mine.status}/${mine.task_state})`);
        if (mine.task_state !== null || mine.status === 'BUILD') this.resume(mine);
      }
    }
  }

  private resume(inst: Instance): void {
    if (this.inflight.has(inst.uuid)) return;
    if (inst.task_state === 'deleting') this.track(inst.uuid, this.manager.delete(inst.uuid));
    else if (inst.status === 'BUILD') this.track(inst.uuid, this.manager.resume(inst));
    else {
      // any other interrupted action: back to the stable state, the power sync tells the rest
      const status = ['REBOOT', 'HARD_REBOOT', 'REBUILD'].includes(inst.status) ? 'ACTIVE' : inst.status;
      this.track(inst.uuid, this.o.store.update(inst.uuid, { status, task_state: null }, { host: this.o.host }));
    }
  }

  /** wait for every build/delete this service runs (tests, graceful stop) */
  async settle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight.values()]);
  }

  /** stop: in-flight builds/actions are cut off but left as they are (resumed on restart or adopted by a peer) */
  async stop(): Promise<void> {
    this.stopped = true;
    this.manager.stopping = true;
    for (const t of this.timers) clearInterval(t);
    this.unsubscribe?.();
    if (this.server) {
      this.server.closeAllConnections?.();
      await new Promise((r) => this.server!.close(() => r(undefined)));
    }
    await this.driver.close();
  }
}
