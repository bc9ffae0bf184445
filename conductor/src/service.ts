/**
 * A running conductor: registers in the conductors table with its hardware types, heartbeats every
 * heartbeat_interval, serves its RPC topics, runs the periodic jobs, and takes over dead conductors' work.
 * Start clears this host's stale locks and fails its orphaned transient nodes; stop drains workers, releases
 * locks and marks the conductor offline.
 */
import { type DriverRegistry, type InterfaceKind, INTERFACE_KINDS, type RpcTransport, type Settings, topicForGroup, topicForHost } from '@anvil/sdk';
import type { Database, HardwareInterfaceRow } from '@anvil/db';
import type { ConductorContext } from './context.ts';
import { acquireRecorder } from './why/trace-recorder.ts';
import { NodeEvents } from './events.ts';
import { HashRings } from './hash-ring.ts';
import { createLogger, type Logger } from './log.ts';
import { checkCallbackTimeouts } from './periodic/callback-timeouts.ts';
import { cleanNodeHistory } from './periodic/history-cleanup.ts';
import { syncPxeFilter } from './periodic/pxe-filter.ts';
import { takeOverDeadConductors } from './periodic/orphans.ts';
import { PowerSyncCounters, recoverPowerFailures, syncPowerStates } from './periodic/power-sync.ts';
import { PeriodicRunner } from './periodic/runner.ts';
import { cleanStaleReservations } from './periodic/stale-reservations.ts';
import { createRpcHandler } from './rpc/handler.ts';
import { Workers } from './task/workers.ts';
import { untilAvailable } from './startup.ts';
import { conductorId, resumeAllocations } from './flows/allocation-work.ts';

export interface ConductorOptions {
  settings: Settings;
  db: Database;
  registry: DriverRegistry;
  transport: RpcTransport;
  events?: NodeEvents;
  log?: Logger;
  /** Overrides settings.hostname. */
  hostname?: string;
}

export class Conductor {
  readonly ctx: ConductorContext;
  private readonly transport: RpcTransport;
  private readonly runner: PeriodicRunner;
  private heartbeat: NodeJS.Timeout | null = null;
  private ringCache: { rings: HashRings; at: number } | null = null;
  private started = false;

  private trace: { release(): Promise<void> } | null = null;

  constructor(opts: ConductorOptions) {
    const hostname = opts.hostname ?? opts.settings.hostname;
    const log = (opts.log ?? createLogger()).child({ conductor: hostname });
    this.transport = opts.transport;
    this.runner = new PeriodicRunner(log);
    this.ctx = {
      hostname,
      group: (opts.settings.conductor_group ?? '').toLowerCase(),
      settings: opts.settings,
      db: opts.db,
      registry: opts.registry,
      events: opts.events ?? new NodeEvents(),
      log,
      workers: new Workers(),
      rings: (force) => this.rings(force),
    };
  }

  get hostname(): string {
    return this.ctx.hostname;
  }

  get events(): NodeEvents {
    return this.ctx.events;
  }

  private async rings(force = false): Promise<HashRings> {
    const ttl = Math.min(Number(this.ctx.settings.hash_ring_reset_interval) || 2, 2) * 1000;
    if (!force && this.ringCache && Date.now() - this.ringCache.at < ttl) return this.ringCache.rings;
    const alive = await this.ctx.db.conductors.listAlive(Number(this.ctx.settings.heartbeat_timeout) || 6);
    const rings = new HashRings(alive, Number(this.ctx.settings.hash_partition_exponent) || 5);
    this.ringCache = { rings, at: Date.now() };
    return rings;
  }

  /** Interfaces each enabled hardware type offers here (for /v1/drivers). */
  private interfaceRows(registry: DriverRegistry): HardwareInterfaceRow[] {
    const rows: HardwareInterfaceRow[] = [];
    for (const ht of registry.hardwareTypeNames()) {
      const type = registry.hardwareType(ht);
      for (const kind of INTERFACE_KINDS as readonly InterfaceKind[]) {
        const enabled = registry.enabledInterfaces(kind);
        const def = registry.defaultInterface(ht, kind);
        for (const name of type?.supported[kind] ?? []) {
          if (enabled.includes(name)) rows.push({ hardware_type: ht, interface_type: kind, interface_name: name, default: name === def });
        }
      }
    }
    return rows;
  }

  async start(): Promise<void> {
    const { ctx } = this;
    const s = ctx.settings;
    const drivers = ctx.registry.hardwareTypeNames();
    // The database and the broker may not be there yet (a cold start, a fresh broker): each step waits and retries
    // with backoff. Order: free this host's stale locks, then serve (requests meanwhile wait in the broker), and
    // only then register, so the API routes to this conductor once it answers.
    const retry = { log: (m: string) => ctx.log.warn(m) };
    const stale = await untilAvailable('releasing locks of a previous run', () => ctx.db.nodes.releaseAllHeldBy(ctx.hostname), retry);
    if (stale) ctx.log.warn(`released ${stale} node locks left by a previous run of this conductor`);
    const handler = createRpcHandler(ctx);
    for (const topic of [topicForHost(ctx.hostname), topicForGroup(ctx.group)]) {
      await untilAvailable(`serving ${topic}`, () => this.transport.serve(topic, handler), retry);
    }
    let registeredAt = Date.now();
    await untilAvailable('registering the conductor', async () => {
      registeredAt = Date.now();
      await ctx.db.conductors.register(ctx.hostname, ctx.group, drivers);
      await ctx.db.conductors.registerHardwareInterfaces(ctx.hostname, this.interfaceRows(ctx.registry));
    }, retry);
    // allocations a previous run of this conductor (or an old API process) left in `allocating` (Ironic _resume_allocations)
    void (async () => {
      await resumeAllocations(ctx, await conductorId(ctx));
      await resumeAllocations(ctx, null);
    })().catch((err: unknown) => ctx.log.warn('resuming allocations failed', { error: String(err) }));
    const hbSec = Number(s.heartbeat_interval) || 2;
    // the transport learns when this conductor last proved alive (rpc/pause-detector.ts)
    this.transport.markAlive?.(registeredAt);
    this.heartbeat = setInterval(() => {
      const at = Date.now();
      ctx.db.conductors.touch(ctx.hostname).then(
        () => this.transport.markAlive?.(at),
        async (err: unknown) => {
          ctx.log.warn('conductor heartbeat failed', { error: String(err) });
          // revived after being declared dead: register again
          await ctx.db.conductors.register(ctx.hostname, ctx.group, drivers).then(
            () => this.transport.markAlive?.(at),
            () => undefined,
          );
        },
      );
    }, hbSec * 1000);
    this.heartbeat.unref();
    const takeoverSec = Math.max(0.5, hbSec / 2);
    this.runner.add({ name: 'dead conductor takeover', interval: takeoverSec, run: () => takeOverDeadConductors(ctx) });
    this.runner.add({ name: 'stale reservations', interval: Math.max(1, hbSec), run: () => cleanStaleReservations(ctx) }, true);
    const counters = new PowerSyncCounters();
    this.runner.add({ name: 'power state sync', interval: Number(s.sync_power_state_interval), run: () => syncPowerStates(ctx, counters) });
    this.runner.add({ name: 'power failure recovery', interval: Number(s.power_failure_recovery_interval), run: () => recoverPowerFailures(ctx) });
    this.runner.add({ name: 'callback timeouts', interval: Number(s.check_provision_state_interval), run: () => checkCallbackTimeouts(ctx) });
    this.runner.add({ name: 'node history cleanup', interval: Number(s.node_history_cleanup_interval), run: () => cleanNodeHistory(ctx) });
    if (s.pxe_filter_driver === 'dnsmasq') this.runner.add({ name: 'pxe filter sync', interval: Number(s.pxe_filter_sync_period ?? 45), run: () => syncPxeFilter(ctx.db, ctx.settings) }, true);
    this.trace = acquireRecorder(ctx.db, Number(s.boot_trace_max_events) || 500, (m) => ctx.log.warn(m));
    this.started = true;
    ctx.log.info(`conductor ${ctx.hostname} started (group "${ctx.group}", drivers ${drivers.join(', ')})`);
  }

  /** Graceful stop: no new periodic runs, wait for running workers (up to drainMs), release locks, go offline. */
  async stop(drainMs = 30_000): Promise<void> {
    if (!this.started) return;
    this.started = false;
    const { ctx } = this;
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.runner.stop();
    const t = this.transport as RpcTransport & { unserve?(topic: string): void };
    t.unserve?.(topicForHost(ctx.hostname));
    await ctx.workers.idle(drainMs);
    await ctx.db.nodes.releaseAllHeldBy(ctx.hostname).catch(() => undefined);
    await ctx.db.conductors.unregister(ctx.hostname).catch(() => undefined);
    await this.trace?.release();
    ctx.log.info(`conductor ${ctx.hostname} stopped`);
  }
}
