/**
 * GET /v1/lookup (public, ≥1.22): the ramdisk finds its node by MAC addresses and/or node_uuid while the node is in a
 * state that expects a ramdisk (Ironic restrict_lookup); anything else is 404. The conductor issues the agent token
 * at the first lookup; later lookups see "******". Only uuid, properties, instance_info (masked), driver_internal_info
 * (token masked) and links are returned, plus the agent config.
 */
import { IncompleteLookup, type JsonObject, LOOKUP_ALLOWED_STATES, NotFound, traceBoot } from '@anvil/sdk';
import { type ApiContext, baseUrl, type ApiRouter, type RouteDeps } from '../context.ts';
import { maskDriverInternalInfo, maskInstanceInfo } from '../mask.ts';
import { conductorOf } from './node-states.ts';

const NOT_FOUND = 'Resource could not be found.';

export function register(router: ApiRouter, deps: RouteDeps): void {
  router.get('/v1/lookup', async (ctx) => {
    if (ctx.state.minor < 22) throw new NotFound('Resource could not be found.'); // Ironic: exception.NotFound
    const raw = typeof ctx.query.addresses === 'string' ? ctx.query.addresses : '';
    const addresses = raw.split(',').map((a) => a.trim().toLowerCase()).filter(Boolean);
    const nodeUuid = typeof ctx.query.node_uuid === 'string' ? ctx.query.node_uuid : '';
    if (!addresses.length && !nodeUuid) throw new IncompleteLookup("At least one of 'addresses' and 'node_uuid' parameters is required");
    let node: { uuid: string; driver: string; conductor_group: string; provision_state: string };
    const trace = (result: string, detail: string, nodeId: string | null) => {
      for (const mac of addresses.length ? addresses : [null]) traceBoot({ mac, node_uuid: nodeId, kind: 'lookup', result, detail });
    };
    try {
      node = nodeUuid ? await deps.db.nodes.getByUuid(nodeUuid) : await deps.db.nodes.getByPortAddresses(addresses);
    } catch {
      trace('rejected', nodeUuid ? `no node ${nodeUuid}` : `lookup from a MAC no port has (${addresses.join(', ')})`, null);
      throw new NotFound(NOT_FOUND);
    }
    if (deps.settings.restrict_lookup !== false && !LOOKUP_ALLOWED_STATES.includes(node.provision_state)) {
      trace('rejected', `node ${node.uuid} is in state "${node.provision_state}", which expects no ramdisk`, node.uuid);
      throw new NotFound(NOT_FOUND);
    }
    trace('ok', `node ${node.uuid} (${node.provision_state})`, node.uuid);
    const conductor = conductorOf(deps);
    if (!conductor.getNodeWithToken) throw new NotFound(NOT_FOUND);
    const { node: full, token } = await conductor.getNodeWithToken({ uuid: node.uuid, driver: node.driver, conductor_group: node.conductor_group });
    ctx.body = lookupBody(ctx, deps, full, token);
  });
}

/**
 * The /v1/lookup answer (also POST /v1/continue_inspection's at ≥ 1.84): the node's public part and the agent config
 * (`config` replaces the config part: continue_inspection answers with Ironic 39's).
 */
export function lookupBody(ctx: ApiContext, deps: RouteDeps, full: JsonObject, token: string, config?: JsonObject): JsonObject {
  const base = baseUrl(ctx, deps.settings);
  return {
    node: {
      uuid: full.uuid,
      properties: full.properties,
      instance_info: maskInstanceInfo((full.instance_info ?? {}) as JsonObject),
      driver_internal_info: maskDriverInternalInfo((full.driver_internal_info ?? {}) as JsonObject),
      links: [
        { href: `${base}/v1/nodes/${full.uuid}`, rel: 'self' },
        { href: `${base}/nodes/${full.uuid}`, rel: 'bookmark' },
      ],
    },
    config: config ?? {
      heartbeat_timeout: Number(deps.settings.ramdisk_heartbeat_timeout ?? 300),
      agent_token: token,
      agent_token_required: true,
      metrics: { backend: 'noop', prepend_host: false, prepend_uuid: false, prepend_host_reverse: true, global_prefix: null },
      metrics_statsd: { statsd_host: 'localhost', statsd_port: 8125 },
      disable_deep_image_inspection: false,
      permitted_image_formats: ['raw', 'qcow2', 'iso'],
      enable_bios_bootloader_install: false,
    },
  };
}
