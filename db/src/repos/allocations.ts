/**
 * AllocationRepo: node allocations. Associating an allocation with a node also sets the node's allocation_id,
 * instance_uuid and instance_info.traits in the same transaction; deleting it clears them (Ironic's
 * update_allocation / destroy_allocation). A deleted node orphans its allocations (node_id = null).
 */
import type { Knex } from 'knex';
import { AlreadyExists, DuplicateName, NodeAssociated, NotFound } from '@anvil/sdk';
import type { AllocationRecord } from '@anvil/sdk';
import { isUuidLike, nowDb, type TableSpec } from '../codec.ts';
import { InstanceAssociated, mapConstraintErrors } from '../errors.ts';
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

  /**
   * Points node nodeId at the allocation: allocation_id, instance_uuid = allocation uuid, instance_info.traits =
   * allocation traits. A node with another instance → NodeAssociated; the uuid used elsewhere → InstanceAssociated.
   */
  async function associate(k: Knex, nodeId: number, alloc: { id: number; uuid: string; traits: string[] }): Promise<void> {
    const node = await ctx.dialect.forUpdate(k('nodes').where('id', nodeId).first('id', 'uuid', 'instance_uuid', 'instance_info'));
    if (!node) throw new NotFound(`Node ${nodeId} could not be found.`);
    if (node.instance_uuid && node.instance_uuid !== alloc.uuid) {
      throw new NodeAssociated(`Node ${node.uuid} is associated with instance ${node.instance_uuid}.`);
    }
    const info = node.instance_info ? JSON.parse(node.instance_info) : {};
    info.traits = alloc.traits ?? [];
    await mapConstraintErrors(
      () => k('nodes').where('id', nodeId).update({ allocation_id: alloc.id, instance_uuid: alloc.uuid, instance_info: JSON.stringify(info), updated_at: nowDb() }),
      (cols) =>
        cols === 'instance_uuid'
          ? new InstanceAssociated(`Instance ${alloc.uuid} is already associated with a node, it cannot be associated with this other node ${node.uuid}`)
          : undefined,
    );
  }

  /** Clears the allocation from its node (Ironic's destroy_allocation: allocation_id and instance_uuid). */
  async function dissociate(k: Knex, alloc: { id: number }): Promise<void> {
    await k('nodes').where('allocation_id', alloc.id).update({ allocation_id: null, instance_uuid: null, updated_at: nowDb() });
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
        const updated = await base.get('id', cur.id, () => notFound(uuid), k);
        if (opts.updateNode !== false && values.node_id) await associate(k, Number(values.node_id), updated);
        return updated;
      });
    },
    async takeOver(uuid, oldConductorId, newConductorId) {
      return ctx.tx(async (k) => {
        const cur = await ctx.dialect.forUpdate(k('allocations').where('uuid', uuid).first('id', 'conductor_affinity'));
        if (!cur) throw notFound(uuid);
        if ((cur.conductor_affinity ?? null) !== (oldConductorId ?? null)) return false;
        await k('allocations').where('id', cur.id).update({ conductor_affinity: newConductorId, updated_at: nowDb() });
        return true;
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
