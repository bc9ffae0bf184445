/**
 * AllocationRepo: node allocations. Associating an allocation with a node also sets the node's allocation_id
 * and instance_uuid in the same transaction; deleting it clears them (Ironic's update_allocation/destroy_allocation).
 */
import type { Knex } from 'knex';
import { AlreadyExists, DuplicateName, NodeAssociated, NotFound } from '@anvil/sdk';
import type { AllocationRecord } from '@anvil/sdk';
import { isUuidLike, type TableSpec } from '../codec.ts';
import type { RepoContext } from '../context.ts';
import { crud } from '../crud.ts';
import { eq } from '../list.ts';
import type { AllocationRepo } from '../types.ts';

export const ALLOCATION_SPEC: TableSpec = {
  table: 'allocations',
  label: 'Allocation',
  columns: ['uuid', 'name', 'node_id', 'state', 'last_error', 'resource_class', 'traits', 'candidate_nodes', 'extra', 'owner', 'conductor_affinity', 'created_at', 'updated_at'],
  json: { traits: 'array', candidate_nodes: 'array', extra: 'object' },
  dates: ['created_at', 'updated_at'],
  derived: ['node_uuid'],
};

const notFound = (ident: string | number) => new NotFound(`Allocation ${ident} could not be found.`);

export function makeAllocationRepo(ctx: RepoContext): AllocationRepo {
  const base = crud<AllocationRecord>(ctx, {
    spec: ALLOCATION_SPEC,
    defaults: () => ({ state: 'allocating', traits: [], candidate_nodes: [], extra: {} }),
    filters: {
      node_id: eq('allocations.node_id'),
      resource_class: eq('allocations.resource_class'),
      state: eq('allocations.state'),
      owner: eq('allocations.owner'),
      conductor_affinity: eq('allocations.conductor_affinity'),
    },
    unique: (cols, v) => {
      if (cols === 'name') return new DuplicateName(`An allocation with name ${v.name} already exists.`);
      if (cols === 'uuid') return new AlreadyExists(`An allocation with UUID ${v.uuid} already exists.`);
      return undefined;
    },
  });

  /** Points node nodeId at the allocation (allocation_id, instance_uuid = allocation uuid). */
  async function associate(k: Knex, nodeId: number, alloc: { id: number; uuid: string }): Promise<void> {
    const node = await ctx.dialect.forUpdate(k('nodes').where('id', nodeId).first('id', 'uuid', 'instance_uuid', 'allocation_id'));
    if (!node) throw new NotFound(`Node ${nodeId} could not be found.`);
    if (node.instance_uuid && node.instance_uuid !== alloc.uuid) {
      throw new NodeAssociated(`Node ${node.uuid} is associated with instance ${node.instance_uuid}.`);
    }
    if (node.allocation_id && Number(node.allocation_id) !== alloc.id) {
      throw new NodeAssociated(`Node ${node.uuid} is associated with instance ${node.instance_uuid ?? node.allocation_id}.`);
    }
    await k('nodes').where('id', nodeId).update({ allocation_id: alloc.id, instance_uuid: alloc.uuid });
  }

  async function dissociate(k: Knex, alloc: { id: number; uuid: string }): Promise<void> {
    await k('nodes').where('allocation_id', alloc.id).where('instance_uuid', alloc.uuid).update({ allocation_id: null, instance_uuid: null });
    await k('nodes').where('allocation_id', alloc.id).update({ allocation_id: null });
  }

  const getByUuid = (uuid: string, k?: Knex) => base.get('uuid', uuid, () => notFound(uuid), k);

  return {
    async create(values) {
      if (values.node_id === undefined || values.node_id === null) return base.insert(values);
      return ctx.tx(async (k) => {
        const created = await base.insert(values, k);
        await associate(k, Number(values.node_id), created);
        return created;
      });
    },
    get: (id) => base.get('id', id, () => notFound(id)),
    getByUuid: (uuid) => getByUuid(uuid),
    getByName: (name) => base.get('name', name, () => notFound(name)),
    getByIdent: (ident) => (isUuidLike(ident) ? getByUuid(ident) : base.get('name', ident, () => notFound(ident))),
    list: (opts) => base.list(opts),
    async update(uuid, values, opts = {}) {
      return ctx.tx(async (k) => {
        const cur = await getByUuid(uuid, k);
        await base.updateWhere({ id: cur.id }, values, k, { uuid });
        if (opts.updateNode !== false && values.node_id !== undefined && values.node_id !== cur.node_id) {
          if (cur.node_id !== null) await dissociate(k, cur);
          if (values.node_id !== null) await associate(k, Number(values.node_id), cur);
        }
        return base.get('id', cur.id, () => notFound(uuid), k);
      });
    },
    async destroy(uuid) {
      await ctx.tx(async (k) => {
        const cur = await getByUuid(uuid, k);
        await dissociate(k, cur);
        await k('allocations').where('id', cur.id).delete();
      });
    },
  };
}
