/**
 * A node as Ironic shows it at a microversion (pure): field order as Ironic 21.4, fields newer than the request
 * omitted (Ironic 39's order for 1.83+ fields), secrets masked, legacy provision-state names, links. Versions: ironic/api/controllers/v1/utils.py.
 */
import { InvalidInput, type NodeRecord } from '@anvil/sdk';
import { linkPair } from '../links.ts';
import { maskDriverInfo, maskDriverInternalInfo, maskInstanceInfo } from '../mask.ts';
import { checkFieldsAllowed, type FieldTable } from './fields.ts';

/** Node fields after uuid/created_at/updated_at, in Ironic's output order, with the minor that added them. */
export const NODE_FIELDS: FieldTable = {
  automated_clean: 47,
  bios_interface: 40,
  boot_interface: 31,
  boot_mode: 75,
  clean_step: 7,
  conductor_group: 46,
  console_enabled: 1,
  console_interface: 31,
  disable_power_off: 95,
  deploy_interface: 31,
  deploy_step: 44,
  description: 51,
  driver: 1,
  driver_info: 1,
  driver_internal_info: 3,
  extra: 1,
  fault: 42,
  firmware_interface: 86,
  health: 109,
  inspection_finished_at: 6,
  inspection_started_at: 6,
  inspect_interface: 31,
  instance_info: 1,
  instance_name: 104,
  instance_uuid: 1,
  last_error: 1,
  lessee: 65,
  maintenance: 1,
  maintenance_reason: 1,
  management_interface: 31,
  name: 5,
  network_data: 66,
  network_interface: 20,
  owner: 50,
  parent_node: 83,
  power_interface: 31,
  power_state: 1,
  properties: 1,
  protected: 48,
  protected_reason: 48,
  provision_state: 1,
  provision_updated_at: 1,
  raid_config: 12,
  raid_interface: 31,
  rescue_interface: 38,
  reservation: 1,
  resource_class: 21,
  retired: 61,
  retired_reason: 61,
  secure_boot: 75,
  service_step: 87,
  shard: 82,
  storage_interface: 33,
  target_power_state: 1,
  target_provision_state: 1,
  target_raid_config: 12,
  traits: 37,
  vendor_interface: 31,
};
const NODE_FIELD_ORDER = Object.keys(NODE_FIELDS);
/** Computed by the API, not stored. */
export const NODE_API_FIELDS: FieldTable = { conductor: 49, allocation_uuid: 52, chassis_uuid: 1 };
/** Every name `fields=` accepts for nodes (created_at/updated_at are not among them, as in Ironic). */
export const NODE_QUERY_FIELDS: FieldTable = { uuid: 1, ...NODE_FIELDS, ...NODE_API_FIELDS };
export const NODE_DEFAULT_LIST_FIELDS = ['instance_uuid', 'maintenance', 'power_state', 'provision_state', 'uuid', 'name'];

export interface NodeRenderExtras {
  /** Host name of the conductor serving the node (1.49), null when none. */
  conductor?: string | null;
  /** UUID of the node's allocation (1.52). */
  allocationUuid?: string | null;
}

export function checkNodeFields(fields: string[] | undefined, minor: number): void {
  checkFieldsAllowed(fields, minor, NODE_QUERY_FIELDS);
  if (fields === undefined) return;
  for (const f of fields) if (!(f in NODE_QUERY_FIELDS)) throw new InvalidInput(`Field ${f} is not a valid field.`);
}

/**
 * Stored fields to render, in output order, for (minor, fields): computed once per request shape. A list passes the
 * same `fields` array for every node, so plans are cached per array (and per minor), with no per-node key building.
 */
const PLANS_ALL = new Map<number, string[]>();
const PLANS_BY_FIELDS = new WeakMap<string[], Map<number, string[]>>();
function renderPlan(minor: number, fields: string[] | undefined): string[] {
  const cache = fields === undefined ? PLANS_ALL : (PLANS_BY_FIELDS.get(fields) ?? new Map<number, string[]>());
  let plan = cache.get(minor);
  if (plan) return plan;
  plan = [...new Set((fields ?? NODE_FIELD_ORDER).filter((f) => f in NODE_FIELDS && NODE_FIELDS[f] <= minor))];
  cache.set(minor, plan);
  if (fields !== undefined) PLANS_BY_FIELDS.set(fields, cache);
  return plan;
}

export function renderNode(
  node: NodeRecord & { traits?: string[] },
  minor: number,
  base: string,
  fields?: string[],
  extras: NodeRenderExtras = {},
): Record<string, unknown> {
  const rec = node as unknown as Record<string, unknown>;
  const all = fields === undefined;
  const out: Record<string, unknown> = {};
  if (all || fields.includes('uuid')) out.uuid = node.uuid;
  if (all) {
    out.created_at = node.created_at;
    out.updated_at = node.updated_at;
  }
  // Ironic: all fields in its order, or (with `fields`) uuid first and then the requested order.
  for (const f of renderPlan(minor, fields)) {
    if (f === 'traits') out.traits = node.traits ?? [];
    else if (f === 'driver_info') out.driver_info = maskDriverInfo(node.driver_info ?? {});
    else if (f === 'instance_info') out.instance_info = maskInstanceInfo(node.instance_info ?? {});
    else if (f === 'driver_internal_info') out.driver_internal_info = maskDriverInternalInfo(node.driver_internal_info ?? {});
    else if (f === 'provision_state') out.provision_state = legacyProvisionState(node.provision_state, minor);
    else out[f] = rec[f] ?? (DICT_FIELDS.has(f) ? {} : null);
  }
  out.links = linkPair(base, 'nodes', node.uuid);
  if (minor >= 49 && (all || fields.includes('conductor'))) out.conductor = extras.conductor ?? null;
  if (minor >= 52 && (all || fields.includes('allocation_uuid'))) out.allocation_uuid = extras.allocationUuid ?? null;
  if (all || fields.includes('chassis_uuid')) out.chassis_uuid = node.chassis_uuid ?? null;
  if (all) {
    out.ports = linkPair(base, 'nodes', `${node.uuid}/ports`);
    if (minor >= 14) out.states = linkPair(base, 'nodes', `${node.uuid}/states`);
    if (minor >= 24) out.portgroups = linkPair(base, 'nodes', `${node.uuid}/portgroups`);
    if (minor >= 32) out.volume = linkPair(base, 'nodes', `${node.uuid}/volume`);
  }
  return out;
}

/** < 1.2 shows "available" as null; < 1.39 shows "inspect wait" as "inspecting". */
function legacyProvisionState(state: string | null, minor: number): string | null {
  if (minor < 2 && state === 'available') return null;
  if (minor < 39 && state === 'inspect wait') return 'inspecting';
  return state;
}

const DICT_FIELDS = new Set([
  'driver_info', 'driver_internal_info', 'properties', 'instance_info', 'extra', 'clean_step', 'deploy_step',
  'raid_config', 'target_raid_config', 'network_data', 'service_step',
]);
