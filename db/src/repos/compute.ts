/**
 * ComputeRepo: Nova's instances and instance faults. An instance is one row (its record as JSON plus the
 * columns that are queried and guarded); updates run in a transaction with Nova's guards — the expected
 * task_state (UnexpectedTaskStateError) and the expected host (a compute service only writes what it manages).
 */
import type { Knex } from 'knex';
import { DuplicateName, type Instance, type InstanceFault, NotFound, UnexpectedTaskState } from '@anvil/sdk';
import type { RepoContext } from '../context.ts';
import { isUuidLike } from '../codec.ts';
import type { ComputeRepo, InstanceGuard } from '../types.ts';

const T = 'compute_instances';
const F = 'compute_instance_faults';
type Row = Record<string, unknown>;

const decode = (r: Row): Instance => JSON.parse(String(r.data)) as Instance;
const columns = (i: Instance) => ({ name: i.name, status: i.status, task_state: i.task_state, host: i.host, node: i.node, data: JSON.stringify(i), updated_ms: Date.now() });
const notFound = (ref: string) => new NotFound(`Instance ${ref} could not be found.`);

export function makeComputeRepo(ctx: RepoContext): ComputeRepo {
  const lock = <Q extends Knex.QueryBuilder>(q: Q) => ctx.dialect.forUpdate(q);

  function check(i: Instance, g: InstanceGuard | undefined): void {
    if (g?.taskState !== undefined && !g.taskState.includes(i.task_state)) {
      throw new UnexpectedTaskState(`Conflict updating instance ${i.uuid}. Expected: {'task_state': ${JSON.stringify(g.taskState)}}. Actual: {'task_state': ${JSON.stringify(i.task_state)}}`);
    }
    if (g?.host !== undefined && i.host !== g.host) throw new UnexpectedTaskState(`instance ${i.uuid} is managed by ${i.host}, not ${g.host}`);
  }

  const repo: ComputeRepo = {
    async createInstance(i) {
      i.updated_at = new Date().toISOString();
      await ctx.k(T).insert({ uuid: i.uuid, ...columns(i) });
      return i;
    },
    async findInstance(uuid) {
      const r = (await ctx.k(T).where({ uuid }).first()) as Row | undefined;
      return r ? decode(r) : undefined;
    },
    async instance(ref) {
      if (isUuidLike(ref)) {
        const hit = await repo.findInstance(ref);
        if (hit) return hit;
      }
      const rows = (await ctx.k(T).where({ name: ref }).select('data')) as Row[];
      if (rows.length > 1) throw new DuplicateName(`Multiple instances are named ${ref}; use the id.`);
      if (!rows.length) throw notFound(ref);
      return decode(rows[0]);
    },
    async instances(f = {}) {
      let q = ctx.k(T).select('data').orderBy('id');
      if (f.host !== undefined) q = q.where({ host: f.host });
      if (f.status !== undefined) q = q.where({ status: f.status });
      if (f.name !== undefined) q = q.where({ name: f.name });
      if (f.node !== undefined) q = q.where({ node: f.node });
      if (f.busy) q = q.whereNotNull('task_state');
      return ((await q) as Row[]).map(decode);
    },
    updateInstance(uuid, patch, guard) {
      return ctx.tx(async (k) => {
        const r = (await lock(k(T).where({ uuid })).first()) as Row | undefined;
        if (!r) throw notFound(uuid);
        const cur = decode(r);
        check(cur, guard);
        const next: Instance = { ...cur, ...patch, uuid, updated_at: new Date().toISOString() };
        await k(T).where({ uuid }).update(columns(next));
        return next;
      });
    },
    deleteInstance(uuid, guard) {
      return ctx.tx(async (k) => {
        const r = (await lock(k(T).where({ uuid })).first()) as Row | undefined;
        if (!r) return false;
        check(decode(r), guard);
        await k(T).where({ uuid }).delete();
        await k(F).where({ instance_uuid: uuid }).delete();
        return true;
      });
    },
    async adopt(uuid, fromHost, toHost) {
      return ctx.tx(async (k) => {
        const r = (await lock(k(T).where({ uuid, host: fromHost })).first()) as Row | undefined;
        if (!r) return undefined;
        const next: Instance = { ...decode(r), host: toHost, updated_at: new Date().toISOString() };
        await k(T).where({ uuid }).update(columns(next));
        return next;
      });
    },
    async addFault(uuid, f) {
      const created_at = f.created_at ?? new Date().toISOString();
      await ctx.k(F).insert({ instance_uuid: uuid, code: f.code, name: f.name, message: f.message.slice(0, 60000), details: f.details ?? null, host: f.host ?? null, created_at });
    },
    async faults(uuid) {
      const rows = (await ctx.k(F).where({ instance_uuid: uuid }).orderBy('id', 'desc')) as Row[];
      return rows.map(
        (r): InstanceFault => ({ code: Number(r.code), name: String(r.name), message: String(r.message), details: r.details == null ? undefined : String(r.details), host: (r.host as string | null) ?? null, created_at: String(r.created_at) }),
      );
    },
  };
  return repo;
}
