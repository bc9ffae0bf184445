/**
 * Allocation processing (Ironic conductor/allocations.py): pick a node for an allocation in state `allocating`
 * — available, not in maintenance, power state known, no instance, the allocation's resource class, every
 * requested trait, among candidate_nodes when given — reserve it, associate it (node.allocation_id,
 * instance_uuid, instance_info.traits) and mark the allocation `active`; when nothing fits the allocation goes to
 * `error` with last_error. Backfill (1.58) associates an existing deployment directly.
 */
import { AnvilError, type AllocationRecord, NodeAssociated, InvalidParameterValue } from '@anvil/sdk';
import type { Database, NodeView } from '@anvil/db';
import { UPDATE_ALLOWED_STATES } from '../states/table.ts';


const failMessage = (uuid: string, error: string) => `Failed to process allocation ${uuid}: ${error}.`;

/** Nodes that may take this allocation, in random order (Ironic shuffles them to spread concurrent allocations). */
export async function candidateNodes(db: Database, alloc: AllocationRecord): Promise<NodeView[]> {
  const filters: Record<string, unknown> = {
    provision_state: 'available',
    maintenance: false,
    associated: false,
    resource_class: alloc.resource_class,
  };
  if (alloc.candidate_nodes.length) filters.uuid_in = alloc.candidate_nodes;
  if (alloc.owner) filters.project = alloc.owner;
  let nodes = (await db.nodes.list({ filters, withTraits: alloc.traits.length > 0, limit: 100_000 })).filter(
    (n) => n.power_state !== null && n.power_state !== undefined,
  );
  if (nodes.length === 0) {
    const error = alloc.candidate_nodes.length
      ? `none of the requested nodes are available and match the resource class ${alloc.resource_class}`
      : `no available nodes match the resource class ${alloc.resource_class}`;
    throw new AllocationFailed(failMessage(alloc.uuid, error));
  }
  if (alloc.traits.length) {
    nodes = nodes.filter((n) => alloc.traits.every((t) => (n.traits ?? []).includes(t)));
    if (nodes.length === 0)
      throw new AllocationFailed(failMessage(alloc.uuid, `no suitable nodes have the requested traits ${alloc.traits.join(', ')}`));
  }
  for (let i = nodes.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [nodes[i], nodes[j]] = [nodes[j], nodes[i]];
  }
  // a node named like the allocation is tried first (Ironic does the same)
  const named = alloc.name ? nodes.findIndex((n) => n.name === alloc.name) : -1;
  if (named > 0) nodes.unshift(...nodes.splice(named, 1));
  return nodes;
}

class AllocationFailed extends Error {}

/**
 * Processes an `allocating` allocation; returns it as stored afterwards (active or error). `hostname` is the
 * reservation holder while a node is being associated.
 */
export async function processAllocation(db: Database, alloc: AllocationRecord, hostname: string): Promise<AllocationRecord> {
  try {
    const nodes = await candidateNodes(db, alloc);
    let locked = 0;
    for (const node of nodes) {
      try {
        await db.nodes.reserve(node.uuid, hostname);
      } catch (e) {
        if (AnvilError.is(e) && e.status === 409) {
          locked++; // locked by someone else: try the next one
          continue;
        }
        throw e;
      }
      try {
        const fresh = await db.nodes.getByUuid(node.uuid, { withTraits: alloc.traits.length > 0 });
        const stillFits =
          !fresh.maintenance && !fresh.instance_uuid && fresh.provision_state === 'available' && fresh.resource_class === alloc.resource_class &&
          alloc.traits.every((t) => (fresh.traits ?? []).includes(t));
        if (!stillFits) continue;
        return await db.allocations.update(alloc.uuid, { node_id: node.id, state: 'active', last_error: null });
      } catch (e) {
        if (AnvilError.is(e) && (e.code === 'NodeAssociated' || e.code === 'InstanceAssociated')) continue;
        throw e;
      } finally {
        await db.nodes.release(node.uuid, hostname).catch(() => undefined);
      }
    }
    const why = locked ? `could not reserve any of ${locked} suitable nodes` : 'all nodes were filtered out during reservation';
    throw new AllocationFailed(failMessage(alloc.uuid, why));
  } catch (e) {
    const msg = e instanceof AllocationFailed ? e.message : `Unexpected exception during allocation: ${e instanceof Error ? e.message : String(e)}`;
    return db.allocations.update(alloc.uuid, { node_id: null, state: 'error', last_error: msg }, { updateNode: false });
  }
}

/**
 * Backfill (1.58): record an existing deployment on `node` as an allocation. The record is created first; when
 * the node does not qualify it stays in `error` with last_error and the error is thrown (Ironic answers 500
 * AllocationFailed here; Anvil answers 400). NodeAssociated / InstanceAssociated (409) likewise.
 */
export async function backfillAllocation(db: Database, values: Partial<AllocationRecord>, node: NodeView): Promise<AllocationRecord> {
  const uuid = values.uuid ?? node.instance_uuid;
  const alloc = await db.allocations.create({ ...values, ...(uuid ? { uuid } : {}), state: 'allocating' });
  const errors: string[] = [];
  if (node.provision_state !== 'active') errors.push(`Node must be in the "active" state, but the current state is "${node.provision_state}"`);
  if (alloc.resource_class && node.resource_class !== alloc.resource_class)
    errors.push(`Resource class ${node.resource_class} does not match the requested resource class ${alloc.resource_class}`);
  if (alloc.traits.length && !alloc.traits.every((t) => (node.traits ?? []).includes(t)))
    errors.push(`List of traits ${JSON.stringify(node.traits ?? [])} does not match the requested traits ${JSON.stringify(alloc.traits)}`);
  if (alloc.candidate_nodes.length && !alloc.candidate_nodes.includes(node.uuid))
    errors.push(`Candidate nodes must be empty or contain the target node, but got ${JSON.stringify(alloc.candidate_nodes)}`);
  try {
    if (errors.length)
      throw new InvalidParameterValue(failMessage(alloc.uuid, `Cannot backfill an allocation for node ${node.uuid}: ${errors.join('; ')}`));
    if (node.allocation_id !== null) throw new NodeAssociated(`Node ${node.uuid} is associated with allocation ${node.allocation_id}.`);
    return await db.allocations.update(alloc.uuid, { node_id: node.id, state: 'active', last_error: null });
  } catch (e) {
    await db.allocations.update(alloc.uuid, { node_id: null, state: 'error', last_error: e instanceof Error ? e.message : String(e) }, { updateNode: false });
    throw e;
  }
}

/** Why the allocation on `node` may not be deleted now, or null (Ironic verify_node_for_deallocation). */
export function deallocationRefusal(
  node: Pick<NodeView, 'uuid' | 'provision_state' | 'target_provision_state' | 'maintenance'>,
  allocUuid: string,
): string | null {
  if (node.maintenance) return null;
  if (node.target_provision_state && !UPDATE_ALLOWED_STATES.includes(node.provision_state))
    return `Cannot remove allocation ${allocUuid} for node ${node.uuid}, because the node is in state ${node.provision_state} where updates are not allowed (and maintenance mode is off)`;
  if (node.provision_state === 'active')
    return `Cannot remove allocation ${allocUuid} for node ${node.uuid}, because the node is active (and maintenance mode is off)`;
  return null;
}
