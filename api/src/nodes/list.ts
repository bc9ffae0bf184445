/** GET /v1/nodes, /v1/nodes/detail, /v1/chassis/{id}/nodes: query parsing, filters, rendering, `next`. */
import { ALL_PROVISION_STATES, Fault, InvalidParameterValue, NotAcceptable } from '@anvil/sdk';
import type { NodeView } from '@anvil/db';
import type { ApiContext, RouteDeps } from '../context.ts';
import { baseUrl } from '../context.ts';
import { getChassis } from '../lookup.ts';
import { nextLink, PAGING_KEYS, paging, Query } from '../query.ts';
import { checkNodeFields, NODE_DEFAULT_LIST_FIELDS, NODE_QUERY_FIELDS, renderNode } from '../render/node.ts';
import { extrasNeedLookup, nodeExtras, nodeExtrasNow, servingConductor } from './extras.ts';

export const FILTER_KEYS = [
  'chassis_uuid', 'instance_uuid', 'associated', 'maintenance', 'retired', 'provision_state', 'driver',
  'resource_class', 'fault', 'conductor_group', 'conductor', 'owner', 'description_contains', 'lessee', 'project',
  'shard', 'sharded', 'include_children', 'parent_node', 'instance_name',
];
const INVALID_SORT_KEYS = [
  'properties', 'driver_info', 'extra', 'instance_info', 'driver_internal_info', 'clean_step', 'deploy_step',
  'raid_config', 'target_raid_config', 'traits', 'network_data', 'service_step',
];
/** Filter → minor that introduced it. */
export const FILTER_SINCE: Record<string, number> = {
  provision_state: 9, driver: 16, resource_class: 21, fault: 42, conductor_group: 46, conductor: 49, owner: 50,
  lessee: 65, shard: 82, sharded: 82, include_children: 83, parent_node: 83,
};

export interface NodeListMode {
  detail: boolean; // /detail sub-path
  url: string; // collection path for `next`
  chassisUuid?: string; // from /chassis/{id}/nodes
}

/** Stored columns a `fields` list needs (undefined: all); uuid, driver and conductor_group route the conductor. */
function nodeColumns(fields: string[] | undefined): string[] | undefined {
  if (fields === undefined) return undefined;
  const cols = new Set(['uuid', 'driver', 'conductor_group', 'allocation_id']);
  for (const f of fields) if (f !== 'traits' && f !== 'conductor' && f !== 'allocation_uuid') cols.add(f);
  return [...cols];
}

export async function listNodes(ctx: ApiContext, deps: RouteDeps, mode: NodeListMode): Promise<void> {
  const minor = ctx.state.minor;
  const allowed = [...FILTER_KEYS, ...PAGING_KEYS, ...(mode.detail ? [] : ['fields', 'detail'])];
  const q = new Query(ctx.query, allowed);
  for (const [k, since] of Object.entries(FILTER_SINCE)) {
    if (!q.has(k) || minor >= since) continue;
    throw new NotAcceptable(k === 'provision_state' ? 'Request not acceptable.' : `Request not acceptable. The minimal required API version should be 1.${since}`);
  }
  if (q.has('instance_name') && minor < 104) throw new NotAcceptable('instance_name is not acceptable in this API version');
  let fields = mode.detail ? undefined : q.fields();
  checkNodeFields(fields, minor);
  const p = paging(q, INVALID_SORT_KEYS);
  if ((NODE_QUERY_FIELDS[p.sortKey] ?? 1) > minor) throw new NotAcceptable('Request not acceptable.');
  let detailParam: boolean | undefined;
  if (!mode.detail && q.has('detail')) {
    detailParam = q.bool('detail');
    if (minor < 43) throw new InvalidParameterValue(`Invalid query parameter ?detail=${detailParam ? 'True' : 'False'} received.`);
    if (fields !== undefined && detailParam) throw new InvalidParameterValue('Can not specify ?detail=True and fields in the same request.');
  }
  const full = mode.detail || detailParam === true;
  if (!full && fields === undefined) fields = NODE_DEFAULT_LIST_FIELDS;

  const filters: Record<string, unknown> = {};
  const provisionState = q.str('provision_state');
  if (provisionState !== undefined) {
    if (!ALL_PROVISION_STATES.includes(provisionState))
      throw new InvalidParameterValue(`Provision state "${provisionState}" is not valid`);
    filters.provision_state = provisionState;
  }
  const fault = q.str('fault');
  if (fault !== undefined) {
    const faults = Object.values(Fault) as string[];
    if (!faults.includes(fault))
      throw new InvalidParameterValue(`Unrecognized fault "${fault}" is specified, allowed faults are (${faults.map((f) => `'${f}'`).join(', ')})`);
    filters.fault = fault;
  }
  const chassisUuid = mode.chassisUuid ?? q.uuid('chassis_uuid');
  if (chassisUuid) filters.chassis_id = (await getChassis(deps.db, chassisUuid)).id;
  filters.instance_uuid = q.uuid('instance_uuid');
  filters.associated = q.bool('associated');
  filters.maintenance = q.bool('maintenance');
  filters.retired = q.bool('retired');
  filters.sharded = q.bool('sharded');
  for (const k of ['driver', 'resource_class', 'conductor_group', 'owner', 'lessee', 'project', 'description_contains'])
    filters[k] = q.str(k);
  if (typeof filters.conductor_group === 'string') filters.conductor_group = filters.conductor_group.toLowerCase();
  filters.shard = q.list('shard');
  filters.instance_name = q.str('instance_name');
  // Ironic 39 (at every version): child nodes are left out unless include_children=true (which also ignores
  // parent_node); parent_node=<uuid> lists that node's children.
  const parentNode = q.str('parent_node');
  if (q.bool('include_children') !== true) {
    if (parentNode !== undefined) filters.parent_node = parentNode;
    else filters.is_child = false;
  }
  if (ctx.state.auth?.projectFilter) filters.project = ctx.state.auth.projectFilter; // project-scoped caller
  for (const k of Object.keys(filters)) if (filters[k] === undefined) delete filters[k];

  const withTraits = minor >= 37 && (fields === undefined || fields.includes('traits'));
  let nodes: NodeView[] = await deps.db.nodes.list({
    filters, limit: p.limit, marker: p.marker, sortKey: p.sortKey, sortDir: p.sortDir, withTraits, columns: nodeColumns(fields),
  });
  const conductor = q.str('conductor');
  const base = baseUrl(ctx, deps.settings);
  const rendered: Record<string, unknown>[] = [];
  let lastUuid: string | undefined;
  for (const n of nodes) {
    // Ironic filters on the serving conductor whatever fields are shown
    if (conductor !== undefined && servingConductor(deps, n) !== conductor) continue;
    const extras = extrasNeedLookup(n, minor, fields) ? await nodeExtras(deps, n, minor, fields) : nodeExtrasNow(deps, n, minor, fields);
    rendered.push(renderNode(n, minor, base, fields, extras));
    lastUuid = n.uuid;
  }
  nodes = [];
  const params: Record<string, string | boolean | undefined> = { sort_key: p.sortKey, sort_dir: p.sortDir };
  if (filters.associated) params.associated = 'True';
  if (filters.maintenance) params.maintenance = 'True';
  if (filters.retired) params.retired = 'True';
  if (detailParam !== undefined) params.detail = detailParam ? 'True' : 'False';
  if (fields !== undefined) params.fields = fields.join(',');
  const limit = filters.instance_uuid ? 0 : p.limit;
  const body: Record<string, unknown> = { nodes: rendered };
  const next = nextLink(base, mode.url, rendered, limit, params, 'uuid', lastUuid);
  if (next) body.next = next;
  ctx.body = body;
}
