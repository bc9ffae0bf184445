/**
 * NodeRepo: nodes with their chassis_uuid (joined) and optionally traits; reservations (the conductor's
 * exclusive lock) taken with a single conditional UPDATE; destroy cascades to everything hanging off a node.
 */
import type { Knex } from 'knex';
import { AlreadyExists, DuplicateName, InvalidParameterValue, NodeAssociated, NodeLocked, NotFound } from '@anvil/sdk';
import type { NodeRecord } from '@anvil/sdk';
import { fromRow, isUuidLike, nowDb, toRow } from '../codec.ts';
import type { RepoContext } from '../context.ts';
import { crud, selectedColumns } from '../crud.ts';
import { InstanceAssociated, mapConstraintErrors, NodeNotLocked } from '../errors.ts';
import type { NodeGetOptions, NodeRepo, NodeView, Values } from '../types.ts';
import { NODE_DEFAULTS, NODE_FILTERS, NODE_SPEC } from './nodes-spec.ts';

/** Tables whose rows belong to a node, deleted with it (children before parents). Allocations are orphaned. */
const NODE_CHILDREN = ['ports', 'portgroups', 'node_traits', 'node_history', 'bios_settings', 'firmware_information', 'volume_connectors', 'volume_targets', 'node_inventory'];

/**
 * Ironic's update_node side effects: a provision_state change stamps provision_updated_at; entering inspecting
 * stamps inspection_started_at, leaving inspection for manageable stamps inspection_finished_at.
 */
function withProvisionTimestamps(values: Values<NodeRecord>, from: string): Values<NodeRecord> {
  if (values.provision_state === undefined) return values;
  const now = new Date();
  const out: Values<NodeRecord> = { ...values, provision_updated_at: now };
  const inspecting = from === 'inspecting' || from === 'inspect wait';
  if (values.provision_state === 'inspecting') {
    out.inspection_started_at = now;
    out.inspection_finished_at = null;
  } else if (inspecting && values.provision_state === 'manageable') {
    out.inspection_finished_at = now;
    out.inspection_started_at = null;
  } else if (inspecting && values.provision_state === 'inspect failed') {
    out.inspection_started_at = null;
  }
  return out;
}

export const nodeNotFound = (ident: string | number) => new NotFound(`Node ${ident} could not be found.`);

/** The typed error for a unique violation on a node's columns, given the written values. */
function nodeUnique(cols: string, v: Record<string, unknown>): Error | undefined {
  if (cols === 'name') return new DuplicateName(`A node with name ${v.name} already exists.`);
  if (cols === 'uuid') return new AlreadyExists(`A node with UUID ${v.uuid} already exists.`);
  if (cols === 'instance_uuid') {
    return new InstanceAssociated(`Instance ${v.instance_uuid} is already associated with a node, it cannot be associated with this other node ${v.uuid ?? ''}`.trimEnd());
  }
  return undefined;
}

export function makeNodeRepo(ctx: RepoContext): NodeRepo {
  const base = crud<NodeView>(ctx, {
    spec: NODE_SPEC,
    select: (k, columns) => {
      if (!columns) return k('nodes').leftJoin('chassis', 'nodes.chassis_id', 'chassis.id').select('nodes.*', 'chassis.uuid as chassis_uuid');
      const qb = k('nodes').select(selectedColumns(NODE_SPEC, columns.filter((c) => c !== 'chassis_uuid' && c !== 'traits')));
      // The chassis join only when its uuid is wanted.
      if (columns.includes('chassis_uuid')) qb.leftJoin('chassis', 'nodes.chassis_id', 'chassis.id').select('chassis.uuid as chassis_uuid');
      return qb;
    },
    filters: NODE_FILTERS,
    defaults: NODE_DEFAULTS,
    unique: nodeUnique,
  });

  async function withTraits(nodes: NodeView[], opts: NodeGetOptions | undefined, k: Knex): Promise<NodeView[]> {
    if (!opts?.withTraits || nodes.length === 0) return nodes;
    const byNode = new Map<number, string[]>(nodes.map((nd) => [nd.id, []]));
    const ids = nodes.map((nd) => nd.id);
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await k('node_traits').whereIn('node_id', ids.slice(i, i + 500)).orderBy('trait').select('node_id', 'trait');
      for (const r of rows) byNode.get(Number(r.node_id))?.push(r.trait);
    }
    for (const nd of nodes) nd.traits = byNode.get(nd.id) ?? [];
    return nodes;
  }

  async function getBy(column: string, value: unknown, ident: string | number, opts?: NodeGetOptions, k: Knex = ctx.k): Promise<NodeView> {
    const node = await base.get(column, value, () => nodeNotFound(ident), k);
    return (await withTraits([node], opts, k))[0];
  }

  /**
   * The save under a known holder (expectReservation): one conditional UPDATE (reservation and, when setting an
   * instance, no other instance in its WHERE), then one read of the saved row — or, when the holder passes the
   * node as it holds it (`held`), no read: the record is the held one with the written values applied (a node
   * under a reservation changes only through its holder). No row changed → one read tells why (not found, lock
   * lost, other instance). undefined → the caller takes the transaction path: a provision state whose timestamps
   * depend on the state left (unless `held` says which state that is), a uuid change, nothing to write, or a row
   * that changed between the UPDATE and the diagnosis.
   */
  async function updateHeld(uuid: string, values: Values<NodeRecord>, holder: string | null, held?: NodeView): Promise<NodeView | undefined> {
    if (held && held.uuid !== uuid) held = undefined;
    if (!held && (values.provision_state === 'manageable' || values.provision_state === 'inspect failed')) return undefined;
    if (values.uuid !== undefined && values.uuid !== uuid) return undefined;
    const row = toRow(NODE_SPEC, withProvisionTimestamps(values, held?.provision_state ?? ''));
    if (Object.keys(row).length === 0) return undefined;
    if (!('updated_at' in row)) row.updated_at = nowDb();
    const wanted = values.instance_uuid;
    const q = ctx.k('nodes').where('uuid', uuid);
    if (holder === null) q.whereNull('reservation');
    else q.where('reservation', holder);
    if (wanted) q.where((w) => w.whereNull('instance_uuid').orWhere('instance_uuid', wanted));
    const n = await mapConstraintErrors(
      () => q.update(row),
      (cols) => nodeUnique(cols, { uuid, ...values }),
    );
    if (n === 1) {
      // the chassis join (chassis_uuid) is the only value not in the row itself
      if (held && !('chassis_id' in row)) return { ...held, ...fromRow<NodeView>(NODE_SPEC, row) };
      return getBy('uuid', uuid, uuid);
    }
    const current = await ctx.k('nodes').where('uuid', uuid).first('reservation', 'instance_uuid');
    if (!current) throw nodeNotFound(uuid);
    checkHolder(uuid, current, holder);
    checkInstance(uuid, current, wanted);
    return undefined;
  }

  const repo: NodeRepo = {
    async create(values) {
      const { traits, ...rest } = values;
      // Without traits one INSERT is the whole write: no transaction round trips (BEGIN/COMMIT) needed.
      if (!traits?.length) {
        // Without a chassis the written values are the whole row (chassis_uuid null): no read-back SELECT.
        const node = rest.chassis_id == null ? { ...(await base.insertWritten(rest)), chassis_uuid: null } : await base.insert(rest);
        if (traits !== undefined) node.traits = [];
        return node;
      }
      return ctx.tx(async (k) => {
        const node = await base.insert(rest, k);
        if (traits?.length) {
          const created_at = nowDb();
          await k('node_traits').insert([...new Set(traits)].map((trait) => ({ node_id: node.id, trait, created_at })));
        }
        // base.insert already read the row back (with chassis_uuid); only the traits are left to load.
        return (await withTraits([node], { withTraits: traits !== undefined }, k))[0];
      });
    },
    get: (id, opts) => getBy('id', id, id, opts),
    getByUuid: (uuid, opts) => getBy('uuid', uuid, uuid, opts),
    getByName: (name, opts) => getBy('name', name, name, opts),
    getByIdent: (ident, opts) => (isUuidLike(ident) ? getBy('uuid', ident, ident, opts) : getBy('name', ident, ident, opts)),
    getByInstanceUuid: async (instanceUuid, opts) => {
      const node = await base.find('instance_uuid', instanceUuid);
      if (!node) throw new NotFound(`Instance ${instanceUuid} could not be found.`);
      return (await withTraits([node], opts, ctx.k))[0];
    },
    async getByPortAddresses(addresses, opts) {
      const ids = await ctx.k('ports').whereIn('address', addresses.map((a) => a.toLowerCase())).distinct('node_id');
      if (ids.length !== 1) {
        const list = `[${addresses.map((a) => `'${a}'`).join(', ')}]`;
        throw new NotFound(ids.length === 0 ? `Node with port addresses ${list} was not found` : `Multiple nodes with port addresses ${list} were found`);
      }
      return getBy('id', Number(ids[0].node_id), addresses.join(','), opts);
    },
    async list(opts = {}) {
      const nodes = await base.list(opts);
      return withTraits(nodes, opts, ctx.k);
    },
    count: (filters) => base.count(filters),

    async update(uuid, values, opts = {}) {
      if ('expectReservation' in opts) {
        const done = await updateHeld(uuid, values, opts.expectReservation ?? null, opts.held);
        if (done) return done;
      }
      return ctx.tx(async (k) => {
        const current = await ctx.dialect.forUpdate(k('nodes').where('uuid', uuid).first('id', 'uuid', 'instance_uuid', 'reservation', 'provision_state'));
        if (!current) throw nodeNotFound(uuid);
        if ('expectReservation' in opts) checkHolder(uuid, current, opts.expectReservation ?? null);
        if (values.uuid !== undefined && values.uuid !== current.uuid) {
          throw new InvalidParameterValue('Cannot overwrite UUID for an existing Node.');
        }
        checkInstance(uuid, current, values.instance_uuid);
        const row = withProvisionTimestamps(values, current.provision_state);
        if (Object.keys(toRow(NODE_SPEC, row)).length > 0) await base.updateWhere({ id: current.id }, row, k, { uuid });
        return getBy('id', current.id, uuid, undefined, k);
      });
    },

    async destroy(uuid) {
      await ctx.tx(async (k) => {
        const node = await k('nodes').where('uuid', uuid).first('id');
        if (!node) throw nodeNotFound(uuid);
        await k('allocations').where('node_id', node.id).update({ node_id: null, updated_at: nowDb() });
        for (const table of NODE_CHILDREN) {
          if (table === 'portgroups') await k('ports').where('node_id', node.id).delete();
          await k(table).where('node_id', node.id).delete();
        }
        await k('nodes').where('id', node.id).delete();
      });
    },

    async reserve(uuid, hostname, onLocked) {
      const n = await ctx.k('nodes').where('uuid', uuid).whereNull('reservation').update({ reservation: hostname, reserved_at: new Date().toISOString(), updated_at: nowDb() });
      if (n === 1) {
        onLocked?.();
        return repo.getByUuid(uuid);
      }
      const current = await ctx.k('nodes').where('uuid', uuid).first('reservation');
      if (!current) throw nodeNotFound(uuid);
      throw lockedBy(uuid, current.reservation ?? 'unknown');
    },

    async release(uuid, hostname) {
      const n = await ctx.k('nodes').where({ uuid, reservation: hostname }).update({ reservation: null, updated_at: nowDb() });
      if (n === 1) return;
      const current = await ctx.k('nodes').where('uuid', uuid).first('reservation');
      if (!current) throw nodeNotFound(uuid);
      if (current.reservation) throw lockedBy(uuid, current.reservation);
      throw new NodeNotLocked(`Node ${uuid} found not to be locked on release`);
    },

    async lockInfo(uuid) {
      const row = await ctx.k('nodes').where('uuid', uuid).first('reservation', 'reserved_at');
      return row ? { reservation: row.reservation ?? null, reserved_at: row.reservation ? (row.reserved_at ?? null) : null } : null;
    },

    releaseAllHeldBy: (hostname) => ctx.k('nodes').where('reservation', hostname).update({ reservation: null, updated_at: nowDb() }),
  };
  return repo;
}

/** The node's reservation is not holder: NodeLocked when someone holds it, NodeNotLocked when no one does. */
function checkHolder(uuid: string, current: { reservation?: string | null }, holder: string | null): void {
  if ((current.reservation ?? null) === holder) return;
  if (current.reservation) throw lockedBy(uuid, current.reservation);
  throw new NodeNotLocked(`Node ${uuid} found not to be locked on release`);
}

/** Setting instance uuid `wanted` on a node associated with another instance → NodeAssociated. */
function checkInstance(uuid: string, current: { instance_uuid?: string | null }, wanted: unknown): void {
  if (wanted && current.instance_uuid && current.instance_uuid !== wanted) {
    throw new NodeAssociated(`Node ${uuid} is associated with instance ${current.instance_uuid}.`);
  }
}

function lockedBy(uuid: string, host: string): Error {
  return new NodeLocked(`Node ${uuid} is locked by host ${host}, please retry after the current operation is completed.`);
}
