/**
 * Allocation processing (Ironic conductor/allocations.py): pick a node for an allocation in state `allocating`
 * — available, not in maintenance, power state known, no instance, the allocation's resource class, every
 * requested trait, among candidate_nodes when given — reserve it, associate it (node.allocation_id,
 * instance_uuid, instance_info.traits) and mark the allocation `active`; when nothing fits the allocation goes to
 * `error` with last_error. Backfill (1.58) associates an existing deployment directly.
 */
import { AnvilError, type AllocationRecord, NodeAssociated, InvalidParameterValue } from '@anvil/sdk';
import type { Database, NodeView } from '@anvil/db';

/** Provision states in which a node's allocation may be removed (Ironic UPDATE_ALLOWED_STATES). */
export const DEALLOCATE_STATES = [
  'enroll', 'manageable', 'available', 'adopt failed', 'deploy failed', 'inspecting', 'inspect failed', 'inspect wait',
  'clean failed', 'error', 'verifying', 'rescue failed', 'unrescue failed',
];

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
    for (const node of nodes) {
      try {
        await db.nodes.reserve(node.uuid, hostname);
      } catch (e) {
        if (AnvilError.is(e) && e.status === 409) continue; // locked by someone else: try the next one
        throw e;
      }
      try {
        const fresh = await db.nodes.getByUuid(node.uuid);
        if (fresh.instance_uuid || fresh.allocation_id !== null || fresh.provision_state !== 'available' || fresh.maintenance) continue;
        return await db.allocations.update(alloc.uuid, { node_id: node.id, state: 'active', last_error: null });
      } catch (e) {
        if (AnvilError.is(e) && (e.code === 'NodeAssociated' || e.code === 'InstanceAssociated')) continue;
        throw e;
      } finally {
        await db.nodes.release(node.uuid, hostname).catch(() => undefined);
      }
    }
    throw new AllocationFailed(failMessage(alloc.uuid, 'all nodes were filtered out during reservation'));
  } catch (e) {
    const msg = e instanceof AllocationFailed ? e.message : failMessage(alloc.uuid, AnvilError.is(e) ? e.message : 'unexpected error');
    return db.allocations.update(alloc.uuid, { state: 'error', last_error: msg });
  }
}

/** Backfill (1.58): record an existing deployment on `node` as this allocation (state active at once). */
export async function backfillAllocation(db: Database, values: Partial<AllocationRecord>, node: NodeView): Promise<AllocationRecord> {
  if (node.allocation_id !== null) throw new NodeAssociated(`Node ${node.uuid} already has an allocation`);
  if (node.instance_uuid && values.uuid && node.instance_uuid !== values.uuid)
    throw new InvalidParameterValue(
      `Cannot create allocation with UUID ${values.uuid} for node ${node.uuid} with instance UUID ${node.instance_uuid}`,
    );
  const uuid = values.uuid ?? node.instance_uuid;
  return db.allocations.create({ ...values, ...(uuid ? { uuid } : {}), node_id: node.id, state: 'active', last_error: null });
}

/** Whether the allocation on `node` may be deleted now (Ironic verify_node_for_deallocation). */
export function deallocationRefusal(node: Pick<NodeView, 'uuid' | 'provision_state' | 'maintenance'>, allocUuid: string): string | null {
  if (node.maintenance || DEALLOCATE_STATES.includes(node.provision_state)) return null;
  return `Cannot remove allocation ${allocUuid} from node ${node.uuid} in provision state ${node.provision_state}`;
}
