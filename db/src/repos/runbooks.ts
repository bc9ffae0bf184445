/**
 * RunbookRepo: runbooks with their ordered steps (runbook_steps, replaced as a whole) and traits (runbook_traits,
 * the set that approves a runbook for nodes from API 1.112). Lists filter by `project` as Ironic does: the
 * project's own runbooks and every public one.
 */
import type { Knex } from 'knex';
import { AlreadyExists, DuplicateName, NotFound } from '@anvil/sdk';
import type { RunbookRecord, RunbookStep } from '@anvil/sdk';
import { isUuidLike, nowDb, type TableSpec } from '../codec.ts';
import type { RepoContext } from '../context.ts';
import { crud } from '../crud.ts';
import { eq } from '../list.ts';
import type { RunbookRepo } from '../types.ts';

export const RUNBOOK_SPEC: TableSpec = {
  table: 'runbooks',
  label: 'Runbook',
  columns: ['uuid', 'name', 'description', 'public', 'owner', 'disable_ramdisk', 'extra', 'created_at', 'updated_at'],
  json: { extra: 'object' },
  bools: ['public', 'disable_ramdisk'],
  dates: ['created_at', 'updated_at'],
  derived: ['steps', 'traits'],
};

const notFound = (ident: string | number) => new NotFound(`Runbook ${ident} could not be found.`);

export function makeRunbookRepo(ctx: RepoContext): RunbookRepo {
  const base = crud<RunbookRecord>(ctx, {
    spec: RUNBOOK_SPEC,
    filters: {
      name: eq('runbooks.name'),
      project: (qb, v) => qb.where((w) => w.where('runbooks.owner', v).orWhere('runbooks.public', 1)),
    },
    unique: (cols, v) => {
      if (cols === 'name') return new DuplicateName(`A runbook with name ${v.name} already exists.`);
      if (cols === 'uuid') return new AlreadyExists(`A runbook with UUID ${v.uuid} already exists.`);
      return undefined;
    },
  });

  /** Attaches steps (insertion order) and traits (sorted) to the runbooks. */
  async function withDetails(runbooks: RunbookRecord[], k: Knex = ctx.k): Promise<RunbookRecord[]> {
    if (runbooks.length === 0) return runbooks;
    const steps = new Map<number, RunbookStep[]>(runbooks.map((r) => [r.id, []]));
    const traits = new Map<number, string[]>(runbooks.map((r) => [r.id, []]));
    const ids = runbooks.map((r) => r.id);
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      for (const r of await k('runbook_steps').whereIn('runbook_id', chunk).orderBy('id')) {
        steps.get(Number(r.runbook_id))?.push({ interface: r.interface, step: r.step, args: r.args ? JSON.parse(r.args) : {}, order: Number(r.order) });
      }
      for (const r of await k('runbook_traits').whereIn('runbook_id', chunk).orderBy('trait')) traits.get(Number(r.runbook_id))?.push(r.trait);
    }
    for (const r of runbooks) {
      r.steps = steps.get(r.id) ?? [];
      r.traits = traits.get(r.id) ?? [];
    }
    return runbooks;
  }

  async function writeSteps(k: Knex, runbookId: number, steps: RunbookStep[]): Promise<void> {
    await k('runbook_steps').where('runbook_id', runbookId).delete();
    if (steps.length === 0) return;
    const created_at = nowDb();
    await k('runbook_steps').insert(
      steps.map((s) => ({ runbook_id: runbookId, interface: s.interface, step: s.step, args: JSON.stringify(s.args ?? {}), order: s.order, created_at })),
    );
  }

  async function writeTraits(k: Knex, runbookId: number, traits: string[]): Promise<void> {
    await k('runbook_traits').where('runbook_id', runbookId).delete();
    const unique = [...new Set(traits)];
    if (unique.length === 0) return;
    const created_at = nowDb();
    await k('runbook_traits').insert(unique.map((trait) => ({ runbook_id: runbookId, trait, created_at })));
  }

  const one = async (column: string, value: unknown, ident: string | number, k: Knex = ctx.k) =>
    (await withDetails([await base.get(column, value, () => notFound(ident), k)], k))[0];

  /** The runbook's id, locking its row for the rest of the transaction (serialises concurrent trait changes). */
  async function lockId(k: Knex, uuid: string): Promise<number> {
    const row = await k('runbooks').where('uuid', uuid).forUpdate().first('id');
    if (!row) throw notFound(uuid);
    return Number(row.id);
  }

  return {
    async create(values) {
      const { steps, traits, ...rest } = values;
      return ctx.tx(async (k) => {
        const r = await base.insert(rest, k);
        await writeSteps(k, r.id, steps ?? []);
        await writeTraits(k, r.id, traits ?? []);
        return one('id', r.id, r.uuid, k);
      });
    },
    getByUuid: (uuid) => one('uuid', uuid, uuid),
    getByName: (name) => one('name', name, name),
    getByIdent: (ident) => (isUuidLike(ident) ? one('uuid', ident, ident) : one('name', ident, ident)),
    list: async (opts) => withDetails(await base.list(opts)),
    async update(uuid, values) {
      const { steps, traits: _ignored, ...rest } = values;
      return ctx.tx(async (k) => {
        const cur = await base.get('uuid', uuid, () => notFound(uuid), k);
        // as Ironic's ORM: the runbook row (and its updated_at) changes only when one of its own columns does
        const changed = Object.fromEntries(Object.entries(rest).filter(([c, v]) => JSON.stringify(v) !== JSON.stringify((cur as unknown as Record<string, unknown>)[c])));
        if (Object.keys(changed).length) await base.updateWhere({ id: cur.id }, changed, k, { uuid });
        if (steps !== undefined) await writeSteps(k, cur.id, steps);
        return one('id', cur.id, uuid, k);
      });
    },
    async setTraits(uuid, traits) {
      await ctx.tx(async (k) => writeTraits(k, await lockId(k, uuid), traits));
    },
    async addTrait(uuid, trait) {
      await ctx.tx(async (k) => {
        const id = await lockId(k, uuid);
        const has = await k('runbook_traits').where({ runbook_id: id, trait }).first('trait');
        if (!has) await k('runbook_traits').insert({ runbook_id: id, trait, created_at: nowDb() });
      });
    },
    async removeTrait(uuid, trait) {
      return ctx.tx(async (k) => {
        const id = await lockId(k, uuid);
        return (await k('runbook_traits').where({ runbook_id: id, trait }).delete()) > 0;
      });
    },
    async destroy(uuid) {
      await ctx.tx(async (k) => {
        const id = await lockId(k, uuid);
        await k('runbook_steps').where('runbook_id', id).delete();
        await k('runbook_traits').where('runbook_id', id).delete();
        await k('runbooks').where('id', id).delete();
      });
    },
  };
}
