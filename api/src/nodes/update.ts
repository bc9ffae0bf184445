/**
 * PATCH /v1/nodes/{node}: Ironic's checks in order — allowed roots, fields newer than the request (406), traits
 * path, reset_interfaces, state gates — then the patch is applied to the node document, re-validated against
 * the schema, and the changed columns are stored. Driver/interface changes are resolved through the registry.
 */
import {
  type ConductorApi,
  Conflict,
  InvalidInput,
  InvalidParameterValue,
  InvalidState,
  INTERFACE_KINDS,
  NotAcceptable,
  type InterfaceField,
  type JsonObject,
  type NodeRecord,
} from '@anvil/sdk';
import type { NodeView, Values } from '@anvil/db';
import { UPDATE_ALLOWED_STATES } from '@anvil/conductor/states';
import type { ApiContext, RouteDeps } from '../context.ts';
import { baseUrl } from '../context.ts';
import { getNodeChassis, getNode } from '../lookup.ts';
import { applyPatch, checkAllowedRoots, parsePatch, rootOf, valuesAt, type PatchOp } from '../patch.ts';
import { Query } from '../query.ts';
import { NODE_FIELDS, renderNode } from '../render/node.ts';
import { validateBody } from '../validate/common.ts';
import { checkNetworkData } from '../validate/network-data.ts';
import { checkNodeName, NODE_PATCH_SCHEMA, NODE_PATCHABLE } from '../validate/node.ts';
import { checkServed, nodeExtras } from './extras.ts';
import { resolveParentNode } from './parent.ts';

/** States where the driver, interfaces and resource_class may change (outside maintenance). */
const DRIVER_CHANGE_STATES = ['enroll', 'inspecting', 'inspect wait', 'manageable', 'available'];
const INTERFACE_FIELDS = INTERFACE_KINDS.map((k) => `${k}_interface` as InterfaceField);

function checkPatchRequest(ops: PatchOp[], minor: number, reset: boolean | undefined): void {
  checkAllowedRoots(ops, NODE_PATCHABLE);
  for (const [f, since] of Object.entries(NODE_FIELDS))
    if (since > minor && valuesAt(ops, `/${f}`).some((v) => v !== null && v !== undefined && v !== ''))
      throw new NotAcceptable('Request not acceptable.');
  if (valuesAt(ops, '/driver').length === 0 && reset !== undefined && reset)
    throw new InvalidInput("The reset_interfaces parameter can only be used when changing the node's driver.");
  const desc = valuesAt(ops, '/description')[0];
  if (typeof desc === 'string' && desc.length > 4096)
    throw new InvalidInput('Cannot update node with description exceeding 4096 characters');
}

function checkStateGates(node: NodeView, ops: PatchOp[], minor: number): void {
  const removeInstanceOnly = ops.length === 1 && ops[0].op === 'remove' && ops[0].path === '/instance_uuid';
  if (node.maintenance && removeInstanceOnly) return;
  if (node.target_provision_state && !UPDATE_ALLOWED_STATES.includes(node.provision_state))
    throw new InvalidState(
      `Node ${node.uuid} can not be updated while a state transition is in progress.`,
    );
  if (minor >= 39 && node.provision_state === 'inspecting')
    throw new InvalidState(`Node ${node.uuid} can not be updated while it is being inspected.`);
}

/** The document the patch applies to: the node's patchable view (unmasked). */
function patchDoc(node: NodeView): JsonObject {
  const doc: JsonObject = {};
  const rec = node as unknown as JsonObject;
  for (const f of NODE_PATCHABLE) doc[f] = f === 'chassis_uuid' ? (node.chassis_uuid ?? null) : (rec[f] ?? null);
  return doc;
}

export async function updateNode(ctx: ApiContext, deps: RouteDeps, ident: string): Promise<void> {
  const minor = ctx.state.minor;
  const q = new Query(ctx.query, ['reset_interfaces']);
  const reset = q.bool('reset_interfaces');
  if (reset !== undefined && minor < 45) throw new NotAcceptable('Request not acceptable.');
  const ops = parsePatch(ctx.state.body);
  checkPatchRequest(ops, minor, reset);
  const node = await getNode(deps.db, ident, minor, minor >= 37);
  checkStateGates(node, ops, minor);

  const before = patchDoc(node);
  const patched = applyPatch(before, ops);
  const clean: JsonObject = {};
  for (const [k, v] of Object.entries(patched)) if (v !== null) clean[k] = v;
  // Ironic validates the patched node with its patch schema: messages say "Schema error for patch"
  const valid = validateBody<JsonObject>(NODE_PATCH_SCHEMA, { ...clean, driver: patched.driver ?? '' }, 'patch');
  if (!patched.driver) throw new InvalidParameterValue("Schema error for node: 'driver' is a required property");
  checkNetworkData(valid.network_data);

  const changed = new Set(ops.map((o) => rootOf(o.path)).filter((f) => JSON.stringify(before[f]) !== JSON.stringify(patched[f])));
  const values: Values<NodeRecord> = {};
  const after = (f: string) => (f in valid ? valid[f] : null);
  for (const f of changed) {
    if (f === 'chassis_uuid') continue;
    const v = after(f);
    (values as Record<string, unknown>)[f] = v === null && ['driver_info', 'properties', 'instance_info', 'extra', 'network_data'].includes(f) ? {} : v;
  }
  if (changed.has('name') && typeof valid.name === 'string') checkNodeName(valid.name, minor, 'Node cannot be updated with invalid name');
  if (changed.has('conductor_group')) values.conductor_group = String(valid.conductor_group ?? '').toLowerCase();
  if (changed.has('maintenance') && values.maintenance === null) values.maintenance = false;
  if (values.maintenance === false) Object.assign(values, { maintenance_reason: null, fault: null });
  if (changed.has('chassis_uuid')) {
    if (typeof valid.chassis_uuid === 'string') values.chassis_id = (await getNodeChassis(deps.db, valid.chassis_uuid)).id;
    else {
      if (minor < 25) throw new NotAcceptable('Request not acceptable.');
      values.chassis_id = null;
    }
  }

  const driverChange = changed.has('driver') || INTERFACE_FIELDS.some((f) => changed.has(f));
  const canChangeDriver = node.maintenance || DRIVER_CHANGE_STATES.includes(node.provision_state);
  if (driverChange) {
    // Ironic's update_node: an interface field (not the driver itself) changes only in these states or in maintenance
    const iface = INTERFACE_FIELDS.find((f) => changed.has(f));
    if (iface && !canChangeDriver)
      throw new InvalidState(
        `Node ${node.uuid} can not have ${iface} updated unless it is in one of allowed (${DRIVER_CHANGE_STATES.join(', ')}) states or in maintenance mode.`,
      );
    // and it looks for a conductor serving the new driver before resolving interfaces
    if (changed.has('driver'))
      await checkServed(deps, { uuid: node.uuid, driver: String(valid.driver), conductor_group: String(values.conductor_group ?? node.conductor_group ?? '') });
    if (changed.has('driver') && node.console_enabled)
      throw new InvalidState(`Node ${ident} can not update the driver while the console is enabled. Please stop the console first.`);
    const explicit: Partial<Record<InterfaceField, string | null>> = {};
    for (const f of INTERFACE_FIELDS) {
      const v = after(f);
      if (reset && !changed.has(f)) continue;
      if (typeof v === 'string') explicit[f] = v;
    }
    Object.assign(values, deps.registry.resolveInterfaces(String(valid.driver), explicit));
  }
  if (changed.has('driver') || changed.has('conductor_group'))
    await checkServed(deps, { uuid: node.uuid, driver: String(valid.driver), conductor_group: String(values.conductor_group ?? node.conductor_group ?? '') });
  if (changed.has('resource_class') && node.resource_class && !canChangeDriver)
    throw new InvalidState(`Cannot update resource_class of node ${node.uuid} in provision state ${node.provision_state}.`);
  if (changed.has('protected') || changed.has('protected_reason')) {
    const prot = changed.has('protected') ? after('protected') === true : node.protected;
    if (changed.has('protected') && prot && !['active', 'rescue'].includes(node.provision_state))
      throw new InvalidState(
        `Node ${node.uuid} can only be made protected in provision states 'active' or 'rescue', the current state is '${node.provision_state}'`,
      );
    if (!prot && after('protected_reason') && changed.has('protected_reason'))
      throw new InvalidParameterValue('The protected_reason field can only be set when protected is True');
    values.protected = prot;
    if (!prot) values.protected_reason = null;
  }
  if (changed.has('retired') || changed.has('retired_reason')) {
    const ret = changed.has('retired') ? after('retired') === true : node.retired;
    if (changed.has('retired') && ret && node.provision_state === 'available')
      throw new InvalidState(`Node ${node.uuid} can not be retired in state available; move it to manageable first.`);
    if (!ret && after('retired_reason') && changed.has('retired_reason'))
      throw new InvalidParameterValue('The retired_reason field can only be set when retired is True');
    values.retired = ret;
    if (!ret) values.retired_reason = null;
  }
  if (changed.has('automated_clean') && values.automated_clean === undefined) values.automated_clean = null;
  if (changed.has('disable_power_off')) values.disable_power_off = after('disable_power_off') === true;
  if (changed.has('parent_node') && typeof valid.parent_node === 'string') {
    const parent = await resolveParentNode(deps.db, valid.parent_node, minor);
    if (parent === node.uuid) delete values.parent_node; // Ironic: a node is not made its own parent
    else values.parent_node = parent;
  }
  // Ironic 39: instance_info.display_name fills an empty instance_name
  const info = (values.instance_info ?? null) as JsonObject | null;
  if (changed.has('instance_info') && !(values.instance_name ?? node.instance_name) && info && typeof info.display_name === 'string' && info.display_name)
    values.instance_name = info.display_name;
  // like Ironic's get_topic_for on the updated node: no alive conductor for its group + driver → 400 NoValidHost
  const conductorApi = deps.conductor as Partial<ConductorApi> | undefined;
  if (conductorApi?.hostFor && (changed.has('conductor_group') || changed.has('driver'))) {
    await conductorApi.hostFor({
      uuid: node.uuid,
      driver: String(values.driver ?? node.driver),
      conductor_group: String(values.conductor_group ?? node.conductor_group),
    });
  }

  // Ironic: removing instance_uuid from a node with an allocation deletes the allocation (allowed states or
  // maintenance only); an owner change is refused while the node's allocation has an owner.
  let dropAllocation: number | null = null;
  if (node.allocation_id !== null && changed.has('instance_uuid') && !after('instance_uuid')) {
    if (!node.maintenance && !DRIVER_CHANGE_STATES.includes(node.provision_state))
      throw new InvalidState(
        `Node ${node.uuid} with an allocation can not have instance_uuid removed unless it is in one of allowed (${DRIVER_CHANGE_STATES.join(', ')}) states or in maintenance mode.`,
      );
    dropAllocation = node.allocation_id;
  }
  if (node.allocation_id !== null && changed.has('owner')) {
    const alloc = await deps.db.allocations.get(node.allocation_id).catch(() => null);
    if (alloc?.owner) throw new Conflict(`Cannot update owner of node "${node.uuid}" while it is allocated to an allocation with an  owner.`);
  }
  if (dropAllocation !== null) {
    const alloc = await deps.db.allocations.get(dropAllocation).catch(() => null);
    if (alloc) await deps.db.allocations.destroy(alloc.uuid);
  }

  // Like Ironic (update_node takes the exclusive lock): a node reserved by a conductor task is 409 NodeLocked.
  const updated = Object.keys(values).length ? await deps.db.nodes.update(node.uuid, values, { expectReservation: null }) : node;
  const view = { ...updated, traits: node.traits ?? [] };
  ctx.body = renderNode(view, minor, baseUrl(ctx, deps.settings), undefined, await nodeExtras(deps, view, minor));
}
