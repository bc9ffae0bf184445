/**
 * Which policy rule guards a request (pure): method + normalised path (+ a PATCH body for nodes) → the rules and the
 * resource whose owner/lessee forms the target. null: no policy (public routes, unknown paths answered by the router).
 */

export interface RouteRule {
  /** Every rule must pass. */
  rules: string[];
  /** The resource that supplies the target. */
  kind: 'node' | 'allocation' | 'runbook' | 'none';
  /** Node ident or allocation ident from the path. */
  ident?: string;
  /**
   * The node sub-resource exists from 1.n on: below it Ironic's router answers 404 before any policy check, so the
   * middleware leaves the request to the route's own version gate.
   */
  since?: number;
  /** Special handling in the enforcement middleware. */
  special?: 'node_allocation_get' | 'node_list' | 'node_create' | 'node_delete' | 'allocation_list' | 'allocation_create' | 'runbook_list' | 'runbook_get';
}

const NODE_PATCH_FIELDS: Record<string, string> = {
  driver_info: 'baremetal:node:update:driver_info',
  properties: 'baremetal:node:update:properties',
  chassis_uuid: 'baremetal:node:update:chassis_uuid',
  instance_uuid: 'baremetal:node:update:instance_uuid',
  lessee: 'baremetal:node:update:lessee',
  owner: 'baremetal:node:update:owner',
  driver: 'baremetal:node:update:driver_interfaces',
  network_data: 'baremetal:node:update:network_data',
  conductor_group: 'baremetal:node:update:conductor_group',
  name: 'baremetal:node:update:name',
  retired: 'baremetal:node:update:retired',
  retired_reason: 'baremetal:node:update:retired',
  shard: 'baremetal:node:update:shard',
  instance_info: 'baremetal:node:update_instance_info',
  instance_name: 'baremetal:node:update_instance_info', // Ironic 39 (1.104)
  parent_node: 'baremetal:node:update:parent_node',
  disable_power_off: 'baremetal:node:update:disable_power_off',
  extra: 'baremetal:node:update_extra',
};

/** The rules for a node PATCH: one per distinct top-level field, plus the generic rule for anything unlisted. */
export function nodePatchRules(body: unknown): string[] {
  const rules = new Set<string>();
  let generic = false;
  for (const op of Array.isArray(body) ? body : []) {
    const path = typeof op?.path === 'string' ? op.path : '';
    const field = path.replace(/^\/+/, '').split('/')[0] ?? '';
    const rule = field.endsWith('_interface') ? 'baremetal:node:update:driver_interfaces' : NODE_PATCH_FIELDS[field];
    if (rule) rules.add(rule);
    else generic = true;
  }
  if (generic || rules.size === 0) rules.add('baremetal:node:update');
  return [...rules];
}

type Sub = Record<string, string>; // METHOD → rule

const NODE_SUB: Record<string, Sub> = {
  states: { GET: 'baremetal:node:get_states' },
  'states/power': { PUT: 'baremetal:node:set_power_state' },
  'states/provision': { PUT: 'baremetal:node:set_provision_state' },
  'states/raid': { PUT: 'baremetal:node:set_raid_state' },
  'states/console': { GET: 'baremetal:node:get_console', PUT: 'baremetal:node:set_console_state' },
  'states/boot_mode': { PUT: 'baremetal:node:set_boot_mode' },
  'states/secure_boot': { PUT: 'baremetal:node:set_secure_boot' },
  maintenance: { PUT: 'baremetal:node:set_maintenance', DELETE: 'baremetal:node:clear_maintenance' },
  validate: { GET: 'baremetal:node:validate' },
  'management/boot_device': { GET: 'baremetal:node:get_boot_device', PUT: 'baremetal:node:set_boot_device' },
  'management/boot_device/supported': { GET: 'baremetal:node:get_boot_device' },
  'management/inject_nmi': { PUT: 'baremetal:node:inject_nmi' },
  vifs: { GET: 'baremetal:node:vif:list', POST: 'baremetal:node:vif:attach', DELETE: 'baremetal:node:vif:detach' },
  traits: { GET: 'baremetal:node:traits:list', PUT: 'baremetal:node:traits:set', DELETE: 'baremetal:node:traits:delete' },
  bios: { GET: 'baremetal:node:bios:get' },
  vendor_passthru: { GET: 'baremetal:node:vendor_passthru', POST: 'baremetal:node:vendor_passthru', PUT: 'baremetal:node:vendor_passthru', PATCH: 'baremetal:node:vendor_passthru', DELETE: 'baremetal:node:vendor_passthru' },
  'vendor_passthru/methods': { GET: 'baremetal:node:vendor_passthru' },
  history: { GET: 'baremetal:node:history:get' },
  inventory: { GET: 'baremetal:node:inventory:get' },
  children: { GET: 'baremetal:node:get' },
  firmware: { GET: 'baremetal:node:firmware:get' },
  vmedia: { GET: 'baremetal:node:vmedia:get', POST: 'baremetal:node:vmedia:attach', DELETE: 'baremetal:node:vmedia:detach' },
  management: { GET: 'baremetal:node:get_indicator_state' },
  'management/indicators': { GET: 'baremetal:node:get_indicator_state', PUT: 'baremetal:node:set_indicator_state' },
};

/** Ironic's NodesController._lookup: these sub-resources are a 404 below their version, whoever asks. */
const NODE_SUB_SINCE: Record<string, number> = { vifs: 28, bios: 40, allocation: 52, history: 78, inventory: 81, firmware: 86, vmedia: 89 };

const SYSTEM_COLLECTIONS: Record<string, string> = {
  ports: 'port',
  portgroups: 'portgroup',
  chassis: 'chassis',
  deploy_templates: 'deploy_template',
  volume: 'volume',
};

function crud(resource: string, method: string, collection: boolean): string | null {
  if (method === 'GET' || method === 'HEAD') return `baremetal:${resource}:${collection ? 'list' : 'get'}`;
  if (method === 'POST' && collection) return `baremetal:${resource}:create`;
  if (method === 'PATCH' && !collection) return `baremetal:${resource}:update`;
  if (method === 'DELETE' && !collection) return `baremetal:${resource}:delete`;
  return null;
}

export function routeRule(method: string, path: string, body?: unknown): RouteRule | null {
  const rr = ruleFor(method, path, body);
  const seg = path.split('/').filter(Boolean);
  const since = seg[1] === 'nodes' && seg.length > 3 ? NODE_SUB_SINCE[seg[3]] : undefined;
  return rr && since ? { ...rr, since } : rr;
}

function ruleFor(method: string, path: string, body?: unknown): RouteRule | null {
  const seg = path.split('/').filter(Boolean);
  if (seg[0] !== 'v1' || seg.length < 2) return null;
  const [, coll, id, ...rest] = seg;
  const m = method === 'HEAD' ? 'GET' : method;
  if (coll === 'lookup' || coll === 'heartbeat' || coll === 'continue_inspection') return null;
  if (coll === 'nodes') {
    if (id === undefined || (id === 'detail' && rest.length === 0)) {
      if (m === 'GET') return { rules: ['baremetal:node:list'], kind: 'none', special: 'node_list' };
      if (m === 'POST') return { rules: [], kind: 'none', special: 'node_create' };
      return null;
    }
    if (rest.length === 0) {
      if (m === 'GET') return { rules: ['baremetal:node:get'], kind: 'node', ident: id };
      if (m === 'PATCH') return { rules: nodePatchRules(body), kind: 'node', ident: id };
      if (m === 'DELETE') return { rules: [], kind: 'node', ident: id, special: 'node_delete' };
      return null;
    }
    const sub = rest.join('/');
    const direct = NODE_SUB[sub]?.[m];
    if (direct) return { rules: [direct], kind: 'node', ident: id };
    if (rest[0] === 'states' && !NODE_SUB[sub]) return null; // no such state: the router's 405/404, as Ironic's
    if (rest[0] === 'vifs' && rest.length === 2 && m === 'DELETE') return { rules: ['baremetal:node:vif:detach'], kind: 'node', ident: id };
    if (rest[0] === 'traits' && rest.length === 2) {
      const rule = m === 'PUT' ? 'baremetal:node:traits:set' : m === 'DELETE' ? 'baremetal:node:traits:delete' : null;
      if (rule) return { rules: [rule], kind: 'node', ident: id };
    }
    if (rest[0] === 'bios') return { rules: ['baremetal:node:bios:get'], kind: 'node', ident: id };
    if (rest[0] === 'ports' || rest[0] === 'portgroups' || rest[0] === 'volume') {
      return { rules: ['baremetal:node:get', `baremetal:${rest[0] === 'volume' ? 'volume' : rest[0].replace(/s$/, '')}:list`], kind: 'node', ident: id };
    }
    if (rest[0] === 'allocation') {
      const rules = ['baremetal:node:get', `baremetal:allocation:${m === 'DELETE' ? 'delete' : 'get'}`];
      return m === 'GET' ? { rules, kind: 'node', ident: id, special: 'node_allocation_get' } : { rules, kind: 'node', ident: id };
    }
    return { rules: [m === 'GET' ? 'baremetal:node:get' : 'baremetal:node:update'], kind: 'node', ident: id };
  }
  if (coll === 'allocations') {
    if (id === undefined) {
      if (m === 'GET') return { rules: ['baremetal:allocation:list'], kind: 'none', special: 'allocation_list' };
      if (m === 'POST') return { rules: ['baremetal:allocation:create'], kind: 'none', special: 'allocation_create' };
      return null;
    }
    const rule = crud('allocation', m, false);
    return rule ? { rules: [rule], kind: 'allocation', ident: id } : null;
  }
  if (coll === 'runbooks') return runbookRule(m, id, rest, body);
  const sysRes = SYSTEM_COLLECTIONS[coll];
  if (sysRes) {
    const collection = id === undefined || (id === 'detail' && rest.length === 0) || (coll === 'volume' && rest.length === 0);
    const rule = crud(sysRes, m, collection) ?? `baremetal:${sysRes}:${m === 'GET' ? 'get' : 'update'}`;
    return { rules: [rule], kind: 'none' };
  }
  if (coll === 'drivers') {
    if (rest[0] === 'vendor_passthru') return { rules: ['baremetal:driver:vendor_passthru'], kind: 'none' };
    if (rest[0] === 'properties') return { rules: ['baremetal:driver:get_properties'], kind: 'none' };
    if (rest[0] === 'raid') return { rules: ['baremetal:driver:get_raid_logical_disk_properties'], kind: 'none' };
    return { rules: ['baremetal:driver:get'], kind: 'none' };
  }
  if (coll === 'inspection_rules') {
    // Ironic's controller checks baremetal:inspection_rule:get for the list too
    const rule = m === 'GET' ? 'get' : m === 'POST' && id === undefined ? 'create' : m === 'PATCH' && id ? 'update' : m === 'DELETE' && id ? 'delete' : null;
    return rule ? { rules: [`baremetal:inspection_rule:${rule}`], kind: 'none' } : null;
  }
  if (coll === 'conductors') return { rules: ['baremetal:conductor:get'], kind: 'none' };
  if (coll === 'shards') return { rules: ['baremetal:shards:get'], kind: 'none' };
  if (coll === 'events') return { rules: ['baremetal:events:post'], kind: 'none' };
  if (coll === 'anvil') {
    // Anvil's explanations: a node's why/diagnoses/history/boot trace read like the node itself; a bare MAC's boot
    // trace (no node to own it) is for system readers; the event stream keeps its own rules (nova-bridge)
    if (id === 'nodes' && rest[0]) return { rules: ['baremetal:node:get'], kind: 'node', ident: rest[0] };
    if (id === 'boot-trace') return { rules: ['baremetal:conductor:get'], kind: 'none' };
    // correlated BMC outages span nodes and conductors: for system readers, like the conductor list
    if (id === 'bmc-incidents' && m === 'GET') return { rules: ['baremetal:conductor:get'], kind: 'none' };
    return null;
  }
  return null;
}

/** Ironic 39's runbook rules: owner-checked, PATCH of /owner and /public by their own rules, public ones readable. */
export function runbookRule(m: string, id: string | undefined, rest: string[], body?: unknown): RouteRule | null {
  if (id === undefined) {
    if (m === 'GET') return { rules: ['baremetal:runbook:list'], kind: 'none', special: 'runbook_list' };
    if (m === 'POST') return { rules: ['baremetal:runbook:create'], kind: 'none' };
    return null;
  }
  if (rest[0] === 'traits') return { rules: [m === 'GET' ? 'baremetal:runbook:get' : 'baremetal:runbook:update'], kind: 'runbook', ident: id };
  if (rest.length) return null;
  if (m === 'GET') return { rules: ['baremetal:runbook:get'], kind: 'runbook', ident: id, special: 'runbook_get' };
  if (m === 'DELETE') return { rules: ['baremetal:runbook:delete'], kind: 'runbook', ident: id };
  if (m !== 'PATCH') return null;
  const rules = new Set<string>();
  let generic = false;
  for (const op of Array.isArray(body) ? body : []) {
    const path = typeof op?.path === 'string' ? op.path : '';
    if (path.startsWith('/owner')) rules.add('baremetal:runbook:update:owner');
    else if (path.startsWith('/public')) rules.add('baremetal:runbook:update:public');
    else generic = true;
  }
  return { rules: generic || rules.size === 0 ? ['baremetal:runbook:update', ...rules] : [...rules], kind: 'runbook', ident: id };
}
