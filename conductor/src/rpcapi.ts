/**
 * The API-side facade to the conductors (Ironic conductor/rpcapi.py): picks the conductor owning a node by the
 * hash ring of alive conductors (per conductor group + hardware type, cached hash_ring_reset_interval seconds)
 * and sends the call over the RpcTransport. When the owner is unreachable the ring is rebuilt and the call is
 * retried once if the owner changed (a dead conductor's nodes move to the others) — only a call the owner never
 * took (no `taken` acknowledgement): one it took may have changed the node, so it is answered 503 and the
 * takeover finishes or fails it.
 */
import { randomUUID } from 'node:crypto';
import { rpcDuration, timed } from './metrics.ts';
import {
  type AllocationRecord,
  AnvilError,
  type BootDevice,
  type AgentHeartbeat,
  type ConductorApi,
  type InterfaceValidation,
  type JsonObject,
  type NodeRoute,
  NoValidHost,
  TemporaryFailure,
  type ProvisionArgs,
  type RpcTransport,
  type Settings,
  topicForHost,
  type VendorPassthruResult,
} from '@anvil/sdk';
import type { Database } from '@anvil/db';
import { HashRings } from './hash-ring.ts';
import { ConductorLiveness, isAbandoned } from './rpc/liveness.ts';
import { LocalTransport } from './rpc/local.ts';

export interface RpcApiOptions {
  transport: RpcTransport;
  db: Database;
  settings: Settings;
  /** Reply timeout (ms); default settings.rpc_response_timeout (s) or 60 s like Ironic. */
  timeoutMs?: number;
  /**
   * Give up a waiting call as soon as its conductor's heartbeat stops (default: on for transports between
   * processes, off for the in-process one, whose conductor cannot die apart from the caller).
   */
  watchLiveness?: boolean;
}

/** Latency samples of completed calls (ms), for the benchmark; capped. */
export class RpcStats {
  readonly samples: number[] = [];
  add(ms: number): void {
    if (this.samples.length < 200_000) this.samples.push(ms);
  }
  percentile(p: number): number {
    if (this.samples.length === 0) return Number.NaN;
    const s = [...this.samples].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
  }
  reset(): void {
    this.samples.length = 0;
  }
}

export class ConductorRpcApi implements ConductorApi {
  readonly stats = new RpcStats();
  private readonly transport: RpcTransport;
  private readonly db: Database;
  private readonly settings: Settings;
  private readonly timeoutMs: number;
  private cached: { rings: HashRings; at: number } | null = null;
  private loading: Promise<HashRings> | null = null;
  private readonly liveness: ConductorLiveness | null;

  constructor(opts: RpcApiOptions) {
    this.transport = opts.transport;
    this.db = opts.db;
    this.settings = opts.settings;
    this.timeoutMs = opts.timeoutMs ?? (Number(opts.settings.rpc_response_timeout) || 60) * 1000;
    const hb = Number(opts.settings.heartbeat_interval) || 2;
    this.liveness = (opts.watchLiveness ?? !(opts.transport instanceof LocalTransport))
      ? new ConductorLiveness(opts.db, Number(opts.settings.heartbeat_timeout) || 6, Math.max(250, (hb * 1000) / 2))
      : null;
  }

  /** One call to one conductor, given up early when that conductor stops heartbeating; `seen.taken` once it took it. */
  private send<T>(host: string, method: string, payload: Record<string, unknown>, seen?: { taken: boolean }): Promise<T> {
    const opts = seen ? { onTaken: () => void (seen.taken = true) } : undefined;
    const call = timed(rpcDuration, { method }, () => this.transport.call<T>(topicForHost(host), method, payload, this.timeoutMs, opts));
    return this.liveness ? this.liveness.guard(host, method, call) : call;
  }

  /** The rings of alive conductors (cached). */
  async rings(force = false): Promise<HashRings> {
    const ttl = (Number(this.settings.hash_ring_reset_interval) || 2) * 1000;
    if (!force && this.cached && Date.now() - this.cached.at < ttl) return this.cached.rings;
    if (!this.loading) {
      this.loading = (async () => {
        try {
          const alive = await this.db.conductors.listAlive(Number(this.settings.heartbeat_timeout) || 6);
          const rings = new HashRings(alive, Number(this.settings.hash_partition_exponent) || 5);
          this.cached = { rings, at: Date.now() };
          return rings;
        } finally {
          this.loading = null;
        }
      })();
    }
    return this.loading;
  }

  resetRings(): void {
    this.cached = null;
  }

  /**
   * Synchronous owner lookup from the cached rings (the API's node `conductor` field); a stale cache is refreshed
   * in the background. null until the first load finished or when nobody serves the node.
   */
  readonly cachedOwner = (node: NodeRoute): string | null => {
    const ttl = (Number(this.settings.hash_ring_reset_interval) || 2) * 1000;
    if (!this.cached || Date.now() - this.cached.at >= ttl) this.rings().catch(() => undefined);
    return this.cached?.rings.ownerOf(node) ?? null;
  };

  async conductorOf(node: NodeRoute): Promise<string | null> {
    const owner = (await this.rings()).ownerOf(node);
    return owner ?? (await this.rings(true)).ownerOf(node);
  }

  async hostFor(node: NodeRoute): Promise<string> {
    const host = await this.conductorOf(node);
    if (host) return host;
    throw new NoValidHost(
      `No valid host was found. Reason: No conductor service registered which supports driver ${node.driver} for conductor group "${node.conductor_group ?? ''}".`,
    );
  }

  async hasConductorGroup(group: string): Promise<boolean> {
    const g = (group ?? '').toLowerCase();
    if ((await this.rings()).groups.has(g)) return true;
    return (await this.rings(true)).groups.has(g);
  }

  /**
   * Call `method` on the node's owner; on an unreachable owner (no reply, or its heartbeat stopped while the call
   * waited) that never took the call, rebuild the ring and retry once if the node moved to another conductor, else
   * answer 503. A call the owner took and never answered is not sent elsewhere: 503, the takeover resolves it.
   */
  async callFor<T>(node: NodeRoute, method: string, args: Record<string, unknown> = {}): Promise<T> {
    const host = await this.hostFor(node);
    const payload = { node_id: node.uuid, ...args };
    const started = performance.now();
    const seen = { taken: false };
    try {
      const out = await this.send<T>(host, method, payload, seen);
      this.stats.add(performance.now() - started);
      return out;
    } catch (err) {
      if (!AnvilError.is(err) || (err.code !== 'TemporaryFailure' && err.code !== 'RpcTimeout')) throw err;
      const unanswered = isAbandoned(err) || err.code === 'RpcTimeout';
      if (seen.taken && unanswered) {
        const why = isAbandoned(err) ? 'stopped heartbeating before it answered' : `did not answer within ${this.timeoutMs / 1000} s`;
        throw new TemporaryFailure(
          `Conductor ${host} took the request (${method} on node ${node.uuid}) and ${why}; the request was not sent to another conductor because it may have changed the node already. The takeover of ${host}'s nodes finishes or fails it; please retry.`,
        );
      }
      if (seen.taken) throw err; // the conductor's own answer
      const rings = await this.rings(true);
      const next = rings.ownerOf(node);
      if (!next || next === host) throw err;
      return this.send<T>(next, method, payload);
    }
  }

  doProvisionAction(node: NodeRoute, verb: string, args: ProvisionArgs = {}): Promise<void> {
    return this.callFor(node, 'do_provision_action', { target: verb, args });
  }

  changeNodePowerState(node: NodeRoute, target: string, timeout?: number | null): Promise<void> {
    return this.callFor(node, 'change_node_power_state', { new_state: target, timeout: timeout ?? null });
  }

  getBootDevice(node: NodeRoute): Promise<{ boot_device: BootDevice | null; persistent: boolean | null }> {
    return this.callFor(node, 'get_boot_device');
  }

  setBootDevice(node: NodeRoute, device: string, persistent: boolean): Promise<void> {
    return this.callFor(node, 'set_boot_device', { device, persistent });
  }

  getSupportedBootDevices(node: NodeRoute): Promise<string[]> {
    return this.callFor(node, 'get_supported_boot_devices');
  }

  validateDriverInterfaces(node: NodeRoute): Promise<Record<string, InterfaceValidation>> {
    return this.callFor(node, 'validate_driver_interfaces');
  }

  setMaintenance(node: NodeRoute, on: boolean, reason?: string | null): Promise<void> {
    return this.callFor(node, 'set_maintenance', { maintenance: on, reason: reason ?? null });
  }

  continueNodeDeploy(node: NodeRoute): Promise<void> {
    return this.callFor(node, 'continue_node_deploy');
  }

  continueNodeClean(node: NodeRoute): Promise<void> {
    return this.callFor(node, 'continue_node_clean');
  }

  continueNodeService(node: NodeRoute): Promise<void> {
    return this.callFor(node, 'continue_node_service');
  }

  getNodeWithToken(node: NodeRoute): Promise<{ node: JsonObject; token: string }> {
    return this.callFor(node, 'get_node_with_token');
  }

  heartbeat(node: NodeRoute, hb: AgentHeartbeat): Promise<void> {
    return this.callFor(node, 'heartbeat', { heartbeat: hb });
  }

  continueInspection(node: NodeRoute, inventory: JsonObject, pluginData: JsonObject): Promise<void> {
    return this.callFor(node, 'continue_inspection', { inventory, plugin_data: pluginData });
  }

  vifList(node: NodeRoute): Promise<{ id: string }[]> {
    return this.callFor(node, 'vif_list');
  }

  vifAttach(node: NodeRoute, vif: { id: string } & JsonObject): Promise<void> {
    return this.callFor(node, 'vif_attach', { vif_info: vif });
  }

  vifDetach(node: NodeRoute, vifId: string): Promise<void> {
    return this.callFor(node, 'vif_detach', { vif_id: vifId });
  }

  getConsoleInformation(node: NodeRoute): Promise<{ console_enabled: boolean; console_info: JsonObject | null }> {
    return this.callFor(node, 'get_console_information');
  }

  setConsoleMode(node: NodeRoute, enabled: boolean): Promise<void> {
    return this.callFor(node, 'set_console_mode', { enabled });
  }

  setTargetRaidConfig(node: NodeRoute, config: JsonObject): Promise<void> {
    return this.callFor(node, 'set_target_raid_config', { target_raid_config: config });
  }

  injectNmi(node: NodeRoute): Promise<void> {
    return this.callFor(node, 'inject_nmi');
  }

  attachVirtualMedia(node: NodeRoute, deviceType: string, imageUrl: string, imageDownloadSource: string): Promise<void> {
    return this.callFor(node, 'attach_virtual_media', { device_type: deviceType, image_url: imageUrl, image_download_source: imageDownloadSource });
  }

  detachVirtualMedia(node: NodeRoute, deviceTypes: string[] | null): Promise<void> {
    return this.callFor(node, 'detach_virtual_media', { device_types: deviceTypes });
  }

  getVirtualMedia(node: NodeRoute): Promise<JsonObject> {
    return this.callFor(node, 'get_virtual_media');
  }

  getSupportedIndicators(node: NodeRoute): Promise<Record<string, Record<string, { readonly: boolean; states: string[] }>>> {
    return this.callFor(node, 'get_supported_indicators');
  }

  getIndicatorState(node: NodeRoute, component: string, indicator: string): Promise<string> {
    return this.callFor(node, 'get_indicator_state', { component, indicator });
  }

  setIndicatorState(node: NodeRoute, component: string, indicator: string, state: string): Promise<void> {
    return this.callFor(node, 'set_indicator_state', { component, indicator, state });
  }

  setBootMode(node: NodeRoute, mode: string): Promise<void> {
    return this.callFor(node, 'set_boot_mode', { mode });
  }

  setSecureBootState(node: NodeRoute, state: boolean): Promise<void> {
    return this.callFor(node, 'set_secure_boot_state', { state });
  }

  vendorPassthru(node: NodeRoute, method: string, httpMethod: string, body: JsonObject): Promise<VendorPassthruResult> {
    return this.callFor(node, 'vendor_passthru', { driver_method: method, http_method: httpMethod, info: body });
  }

  /** Driver-level passthru on a conductor serving the driver (hashed by driver name in the default group). */
  driverVendorPassthru(driver: string, method: string, httpMethod: string, body: JsonObject): Promise<VendorPassthruResult> {
    return this.callFor({ uuid: driver, driver, conductor_group: '' }, 'driver_vendor_passthru', {
      driver_name: driver,
      driver_method: method,
      http_method: httpMethod,
      info: body,
    });
  }

  /**
   * Ironic create_allocation: sent to the owner of the first candidate node, else to a random live conductor
   * (Ironic's get_random_topic). An unreachable conductor → one retry on another live one, idempotent by the
   * allocation's uuid (the first may have created it before it died; its takeover resumes it).
   */
  async createAllocation(values: Partial<AllocationRecord>, near?: NodeRoute | null): Promise<AllocationRecord> {
    const pick = async (force: boolean, not?: string): Promise<string> => {
      const rings = await this.rings(force);
      const owner = near ? rings.ownerOf(near) : null;
      if (owner && owner !== not) return owner;
      const hosts = rings.hosts.filter((h) => h !== not);
      if (hosts.length === 0) throw new TemporaryFailure('No conductor is available to process the allocation.');
      return hosts[Math.floor(Math.random() * hosts.length)];
    };
    const withUuid = { ...values, uuid: values.uuid ?? randomUUID() };
    const host = await pick(false);
    try {
      return await this.send<AllocationRecord>(host, 'create_allocation', { allocation: withUuid });
    } catch (err) {
      if (!AnvilError.is(err) || (err.code !== 'TemporaryFailure' && err.code !== 'RpcTimeout')) throw err;
      const next = await pick(true, host).catch(() => null);
      if (!next) throw err;
      return this.send<AllocationRecord>(next, 'create_allocation', { allocation: withUuid, idempotent: true });
    }
  }

  /** Round trip to one conductor (health checks, benchmark). */
  async ping(hostname: string): Promise<unknown> {
    const started = performance.now();
    const out = await this.transport.call(topicForHost(hostname), 'ping', {}, this.timeoutMs);
    this.stats.add(performance.now() - started);
    return out;
  }
}
