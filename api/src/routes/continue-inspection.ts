/**
 * POST /v1/continue_inspection (public; Ironic's ContinueInspectionController): the ramdisk posts its inventory and
 * plugin data; the node in `inspect wait` is found by MACs (ports), then by BMC address (driver_internal_info
 * lookup_bmc_addresses cached at inspection start; several nodes behind one BMC are told apart by MAC) or by
 * `?node_uuid=` (≥ 1.84). ≥ 1.84 answers 202 with the node and agent config (an agent token, as /v1/lookup); with
 * no version header (1.1, ironic-inspector's ramdisks) 202 {"uuid"}; 1.2–1.83 → 404. Disabled with
 * `enable_inspection_callback=false` ([api] setting of Anvil; Ironic has the policy) → 404.
 */
import { InvalidInput, type JsonObject, NotFound } from '@anvil/sdk';
import type { Database } from '@anvil/db';
import type { ApiRouter, RouteDeps } from '../context.ts';
import { checkUuid } from '../sub-since.ts';
import { conductorOf } from './node-states.ts';
import { lookupBody } from './lookup.ts';

const NOT_FOUND = 'Resource could not be found.';
const MAC_RE = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/;
const isObj = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Ironic's DATA_VALIDATOR: inventory with a non-empty interfaces list, each with a mac_address. */
export function checkInspectionData(data: unknown): { inventory: JsonObject; pluginData: JsonObject } {
  const fail = (m: string) => new InvalidInput(`Schema error for data: ${m}`);
  if (!isObj(data)) throw fail(`${JSON.stringify(data)} is not of type 'object'`);
  const { inventory, ...pluginData } = data;
  if (inventory === undefined) throw fail("'inventory' is a required property");
  if (!isObj(inventory)) throw fail(`${JSON.stringify(inventory)} is not of type 'object'`);
  const ifaces = inventory.interfaces;
  if (ifaces === undefined) throw fail("'interfaces' is a required property");
  if (!Array.isArray(ifaces)) throw fail(`${JSON.stringify(ifaces)} is not of type 'array'`);
  if (!ifaces.length) throw fail('[] should be non-empty');
  for (const i of ifaces) {
    if (!isObj(i)) throw fail(`${JSON.stringify(i)} is not of type 'object'`);
    if (!('mac_address' in i)) throw fail("'mac_address' is a required property");
    if (typeof i.mac_address !== 'string') throw fail(`${JSON.stringify(i.mac_address)} is not of type 'string'`);
  }
  for (const k of ['bmc_address', 'bmc_v6address']) if (k in inventory && typeof inventory[k] !== 'string') throw fail(`${JSON.stringify(inventory[k])} is not of type 'string'`);
  return { inventory, pluginData };
}

type Found = { uuid: string; driver: string; conductor_group: string; provision_state: string; id: number };

/** Ironic's AutoEnrollPossible: nothing matched at all (the same 404 unless auto-discovery is on). */
export class AutoEnrollPossible extends NotFound {}

/** Ironic's inspect_utils.lookup_node: every failure is the same 404, "nothing matched" is AutoEnrollPossible. */
export async function lookupInspectedNode(db: Database, macs: string[], bmcs: string[], nodeUuid?: string): Promise<Found> {
  const miss = () => new NotFound(NOT_FOUND);
  let node: Found | null = null;
  if (nodeUuid) node = await db.nodes.getByUuid(nodeUuid).catch(() => Promise.reject(miss()));
  if (macs.length) {
    let byMac: Found | null = null;
    try {
      byMac = await db.nodes.getByPortAddresses(macs);
    } catch (e) {
      if (/^Multiple nodes/.test((e as Error).message)) throw miss();
    }
    if (node && byMac && byMac.uuid !== node.uuid) throw miss();
    node = byMac ?? node;
  }
  if (node && node.provision_state !== 'inspect wait') throw miss();
  if (bmcs.length) {
    const waiting = await db.nodes.list({ filters: { provision_state: 'inspect wait' } });
    const wanted = new Set(bmcs.map((b) => b.toLowerCase()));
    const byBmc = waiting.filter((n) => {
      const cached = n.driver_internal_info.lookup_bmc_addresses;
      return Array.isArray(cached) && cached.some((a) => wanted.has(String(a).toLowerCase()));
    });
    if (node && byBmc.length && !byBmc.some((n) => n.uuid === node?.uuid)) throw miss();
    if (!node && byBmc.length > 1) throw miss();
    if (!node && byBmc.length === 1) node = byBmc[0];
  }
  if (!node) throw new AutoEnrollPossible(NOT_FOUND);
  return node;
}

/**
 * Auto-discovery ([auto_discovery] enabled/driver): a machine no node matches is enrolled with the configured
 * driver (its interfaces resolved as for POST /v1/nodes), `extra.auto_discovered = true`, the reported BMC address
 * as `<driver>_address`-style `ipmi_address` for ipmi, and put straight into `inspect wait` so the same hooks and
 * rules fill it in; it ends `manageable` like any inspected node.
 */
async function discoverNode(deps: RouteDeps, inventory: JsonObject): Promise<Found> {
  const driver = typeof deps.settings.auto_discovery_driver === 'string' && deps.settings.auto_discovery_driver ? deps.settings.auto_discovery_driver : 'fake-hardware';
  const ifaces = deps.registry.resolveInterfaces(driver, {});
  const bmc = typeof inventory.bmc_address === 'string' && inventory.bmc_address !== '0.0.0.0' ? inventory.bmc_address : null;
  const node = await deps.db.nodes.create({
    driver,
    ...ifaces,
    provision_state: 'inspect wait',
    target_provision_state: 'manageable',
    inspection_started_at: new Date().toISOString(),
    extra: { auto_discovered: true },
    driver_info: bmc && driver === 'ipmi' ? { ipmi_address: bmc } : {},
  });
  return node;
}

/** The lookup of both callbacks (this one and the Inspector-compatible /v1/continue), with auto-discovery. */
export async function findInspectedNode(deps: RouteDeps, inventory: JsonObject, pluginData: JsonObject, macs: string[], bmcs: string[], nodeUuid?: string): Promise<Found> {
  try {
    return await lookupInspectedNode(deps.db, macs, bmcs, nodeUuid);
  } catch (err) {
    // Ironic raises AutoEnrollPossible here: with [auto_discovery] enabled an unknown machine becomes a node
    if (!(err instanceof AutoEnrollPossible) || deps.settings.auto_discovery_enabled !== true) throw err;
    pluginData.auto_discovered = true;
    return discoverNode(deps, inventory);
  }
}

/** The lookup keys of an inventory: valid MACs of its interfaces, its BMC addresses. */
export function lookupKeys(inventory: JsonObject): { macs: string[]; bmcs: string[] } {
  const ifaces = Array.isArray(inventory.interfaces) ? (inventory.interfaces as JsonObject[]) : [];
  const macs = ifaces.map((i) => String(i?.mac_address).toLowerCase()).filter((m) => MAC_RE.test(m));
  const bmcs = [inventory.bmc_address, inventory.bmc_v6address].filter((a): a is string => typeof a === 'string' && a !== '');
  return { macs, bmcs };
}

/** The agent configuration Ironic 39 hands out with the token (its /v1/lookup `config`, same key order). */
function agentConfig(deps: RouteDeps, token: string): JsonObject {
  return {
    metrics: { backend: 'noop', prepend_host: false, prepend_uuid: false, prepend_host_reverse: true, global_prefix: null },
    metrics_statsd: { statsd_host: 'localhost', statsd_port: 8125 },
    heartbeat_timeout: Number(deps.settings.ramdisk_heartbeat_timeout ?? 300),
    agent_containers: {
      allow_arbitrary_containers: false,
      allowed_containers: [],
      container_steps_file: '/etc/ironic-python-agent.d/mysteps.yaml',
      runner: 'podman',
      pull_options: [],
      run_options: ['--rm', '--network=host'],
    },
    agent_token: token,
    agent_token_required: true,
    agent_md5_checksum_enable: true,
    disable_deep_image_inspection: false,
    permitted_image_formats: ['raw', 'gpt', 'qcow2', 'iso'],
    agent_skip_bmc_detect: false,
    enable_bios_bootloader_install: false,
    tls_min_version: '1.3',
    tls_cipher_suites: null,
  };
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  router.post('/v1/continue_inspection', async (ctx) => {
    const minor = ctx.state.minor;
    const modern = minor >= 84;
    const nodeUuid = typeof ctx.query.node_uuid === 'string' ? ctx.query.node_uuid : undefined;
    // Ironic validates the body and node_uuid (decorator) before the version check
    const { inventory, pluginData } = checkInspectionData(ctx.state.body);
    if (nodeUuid !== undefined) checkUuid('node_uuid', nodeUuid);
    if (deps.settings.enable_inspection_callback === false || (!modern && minor !== 1) || (nodeUuid && !modern)) {
      throw new NotFound('API version 1.84 or newer is required');
    }
    const { macs, bmcs } = lookupKeys(inventory);
    if (!macs.length && !bmcs.length && !nodeUuid) throw new InvalidInput('No lookup information provided');
    const node = await findInspectedNode(deps, inventory, pluginData, macs, bmcs, nodeUuid);
    const conductor = conductorOf(deps);
    if (!conductor.continueInspection) throw new NotFound(NOT_FOUND);
    const route = { uuid: node.uuid, driver: node.driver, conductor_group: node.conductor_group };
    let token: { node: JsonObject; token: string } | null = null;
    if (modern && conductor.getNodeWithToken) token = await conductor.getNodeWithToken(route);
    await conductor.continueInspection(route, inventory, pluginData);
    ctx.status = 202;
    ctx.body = token ? lookupBody(ctx, deps, token.node, token.token, agentConfig(deps, token.token)) : { uuid: node.uuid };
  });
}
