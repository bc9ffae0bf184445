/** DeployTemplateRepo: named lists of deploy steps; steps live in deploy_template_steps and are replaced as a whole. */
import type { Knex } from 'knex';
import { AlreadyExists, DuplicateName, NotFound } from '@anvil/sdk';
import type { DeployStep, DeployTemplateRecord } from '@anvil/sdk';
import { isUuidLike, nowDb, type TableSpec } from '../codec.ts';
import type { RepoContext } from '../context.ts';
import { crud } from '../crud.ts';
import { eq } from '../list.ts';
import type { DeployTemplateRepo } from '../types.ts';

export const DEPLOY_TEMPLATE_SPEC: TableSpec = {
  table: 'deploy_templates',
  label: 'Deploy template',
  columns: ['uuid', 'name', 'extra', 'created_at', 'updated_at'],
  json: { extra: 'object' },
  dates: ['created_at', 'updated_at'],
  derived: ['steps'],
};

const notFound = (ident: string | number) => new NotFound(`Deploy template ${ident} could not be found.`);

export function makeDeployTemplateRepo(ctx: RepoContext): DeployTemplateRepo {
  const base = crud<DeployTemplateRecord>(ctx, {
    spec: DEPLOY_TEMPLATE_SPEC,
    filters: { name: eq('deploy_templates.name') },
    unique: (cols, v) => {
      if (cols === 'name') return new DuplicateName(`A deploy template with name ${v.name} already exists.`);
      if (cols === 'uuid') return new AlreadyExists(`A deploy template with UUID ${v.uuid} already exists.`);
      return undefined;
    },
  });

  /** Attaches steps (in insertion order) to the templates. */
  async function withSteps(templates: DeployTemplateRecord[], k: Knex = ctx.k): Promise<DeployTemplateRecord[]> {
    if (templates.length === 0) return templates;
    const byId = new Map<number, DeployStep[]>(templates.map((t) => [t.id, []]));
    const ids = templates.map((t) => t.id);
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await k('deploy_template_steps').whereIn('deploy_template_id', ids.slice(i, i + 500)).orderBy('id');
      for (const r of rows) {
        byId.get(Number(r.deploy_template_id))?.push({ interface: r.interface, step: r.step, args: r.args ? JSON.parse(r.args) : {}, priority: Number(r.priority) });
      }
    }
    for (const t of templates) t.steps = byId.get(t.id) ?? [];
    return templates;
  }

  async function writeSteps(k: Knex, templateId: number, steps: DeployStep[]): Promise<void> {
    await k('deploy_template_steps').where('deploy_template_id', templateId).delete();
    if (steps.length === 0) return;
    const created_at = nowDb();
    await k('deploy_template_steps').insert(
      steps.map((s) => ({ deploy_template_id: templateId, interface: s.interface, step: s.step, args: JSON.stringify(s.args ?? {}), priority: s.priority, created_at })),
    );
  }

  const one = async (column: string, value: unknown, ident: string | number, k: Knex = ctx.k) =>
    (await withSteps([await base.get(column, value, () => notFound(ident), k)], k))[0];

  return {
    async create(values) {
      const { steps, ...rest } = values;
      return ctx.tx(async (k) => {
        const t = await base.insert(rest, k);
        await writeSteps(k, t.id, steps ?? []);
        return one('id', t.id, t.uuid, k);
      });
    },
    get: (id) => one('id', id, id),
    getByUuid: (uuid) => one('uuid', uuid, uuid),
    getByName: (name) => one('name', name, name),
    getByIdent: (ident) => (isUuidLike(ident) ? one('uuid', ident, ident) : one('name', ident, ident)),
    async listByNames(names) {
      if (names.length === 0) return [];
      const rows = await ctx.k('deploy_templates').whereIn('name', names).orderBy('id');
      return withSteps(rows.map(base.decode));
    },
    list: async (opts) => withSteps(await base.list(opts)),
    async update(uuid, values) {
      const { steps, ...rest } = values;
      return ctx.tx(async (k) => {
        const cur = await base.get('uuid', uuid, () => notFound(uuid), k);
        // like Ironic's ORM, the template row (and its updated_at) changes only when one of its own columns does
        const changed = Object.fromEntries(Object.entries(rest).filter(([c, v]) => JSON.stringify(v) !== JSON.stringify((cur as unknown as Record<string, unknown>)[c])));
        if (Object.keys(changed).length) await base.updateWhere({ id: cur.id }, changed, k, { uuid });
        if (steps !== undefined) await writeSteps(k, cur.id, steps);
        return one('id', cur.id, uuid, k);
      });
    },
    async destroy(uuid) {
      await ctx.tx(async (k) => {
        const cur = await k('deploy_templates').where('uuid', uuid).first('id');
        if (!cur) throw notFound(uuid);
        await k('deploy_template_steps').where('deploy_template_id', cur.id).delete();
        await k('deploy_templates').where('id', cur.id).delete();
      });
    },
  };
}
