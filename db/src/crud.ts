/**
 * The generic half of a repository: get/insert/update/delete/list for one table, driven by its TableSpec.
 * Repositories add their own rules (cascades, reservations) on top; all SQL stays under db/src.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { InvalidParameterValue } from '@anvil/sdk';
import { fromRow, nowDb, toRow, type TableSpec } from './codec.ts';
import type { RepoContext } from './context.ts';
import { mapConstraintErrors } from './errors.ts';
import { applyFilters, type FilterMap, paginate } from './list.ts';
import type { ListOptions } from './types.ts';

export interface CrudConfig {
  spec: TableSpec;
  /** Base select (joins): all columns, or only `columns` (checked, id included) when given. Default: the table's. */
  select?: (k: Knex, columns?: readonly string[]) => Knex.QueryBuilder;
  filters?: FilterMap;
  /** Typed error for a unique violation on these columns ("name", "node_id,trait"), given the written values. */
  unique?: (columns: string, values: Record<string, unknown>) => Error | undefined;
  /** Column defaults for insert. */
  defaults?: () => Record<string, unknown>;
  /** Marker column for list (default uuid). */
  markerColumn?: string;
  defaultSort?: string;
  /** The table has a uuid column that is generated when absent (default true). */
  uuid?: boolean;
}

export interface Crud<R> {
  find(column: string, value: unknown, k?: Knex): Promise<R | undefined>;
  /** find() or throw NotFound built by notFound. */
  get(column: string, value: unknown, notFound: () => Error, k?: Knex): Promise<R>;
  insert(values: Record<string, unknown>, k?: Knex): Promise<R>;
  /**
   * insert() without reading the row back: the record is built from the written values, every other column
   * NULL. Only for tables whose columns have no database-side defaults beyond cfg.defaults.
   */
  insertWritten(values: Record<string, unknown>, k?: Knex): Promise<R>;
  /** Updates the row found by column=value; returns the number of rows changed (0 = none matched). */
  /** errorValues: extra values for error messages (e.g. the row's uuid). */
  updateWhere(where: Record<string, unknown>, values: Record<string, unknown>, k?: Knex, errorValues?: Record<string, unknown>): Promise<number>;
  deleteWhere(where: Record<string, unknown>, k?: Knex): Promise<number>;
  list(opts?: ListOptions, k?: Knex): Promise<R[]>;
  count(filters?: Record<string, unknown>, k?: Knex): Promise<number>;
  /** Raw row → record. */
  decode(row: Record<string, unknown>): R;
}

/** `table.column` for id and each requested column; a name that is not a column → InvalidParameterValue. */
export function selectedColumns(spec: TableSpec, columns: readonly string[]): string[] {
  const out = [`${spec.table}.id`];
  for (const c of new Set(columns)) {
    if (c === 'id') continue;
    if (!spec.columns.includes(c)) throw new InvalidParameterValue(`${spec.label} has no field '${c}'.`);
    out.push(`${spec.table}.${c}`);
  }
  return out;
}

export function crud<R>(ctx: RepoContext, cfg: CrudConfig): Crud<R> {
  const { spec } = cfg;
  const t = spec.table;
  const select = cfg.select ?? ((k: Knex, columns?: readonly string[]) => k(t).select(columns ? selectedColumns(spec, columns) : `${t}.*`));
  const decode = (row: Record<string, unknown>) => fromRow<R>(spec, row);
  const qualify = (where: Record<string, unknown>) => Object.fromEntries(Object.entries(where).map(([c, v]) => [c.includes('.') ? c : `${t}.${c}`, v]));
  const withUnique = <T>(values: Record<string, unknown>, fn: () => Promise<T>) =>
    mapConstraintErrors(fn, (cols) => cfg.unique?.(cols, values));

  async function insertRow(values: Record<string, unknown>, k: Knex): Promise<{ id: number; row: Record<string, unknown> }> {
    const full: Record<string, unknown> = { ...(cfg.defaults?.() ?? {}), ...values };
    if (cfg.uuid !== false && !full.uuid) full.uuid = randomUUID();
    const row = toRow(spec, full);
    row.created_at ??= nowDb();
    row.updated_at ??= null;
    const [id] = await withUnique(full, () => k(t).insert(row));
    return { id: Number(id), row };
  }

  const self: Crud<R> = {
    decode,
    async find(column, value, k = ctx.k) {
      const row = await select(k)
        .where(qualify({ [column]: value }))
        .first();
      return row ? decode(row) : undefined;
    },
    async get(column, value, notFound, k = ctx.k) {
      const found = await self.find(column, value, k);
      if (!found) throw notFound();
      return found;
    },
    async insert(values, k = ctx.k) {
      const id = await insertRow(values, k).then((r) => r.id);
      return self.get('id', id, () => new Error(`${spec.label} row ${id} vanished after insert`), k);
    },
    async insertWritten(values, k = ctx.k) {
      const { id, row } = await insertRow(values, k);
      const stored: Record<string, unknown> = { id };
      for (const c of spec.columns) stored[c] = row[c] ?? null;
      return decode(stored);
    },
    async updateWhere(where, values, k = ctx.k, errorValues = {}) {
      const row = toRow(spec, values);
      if (!('updated_at' in row)) row.updated_at = nowDb();
      return withUnique({ ...errorValues, ...values }, () => k(t).where(where).update(row));
    },
    async deleteWhere(where, k = ctx.k) {
      return k(t).where(where).delete();
    },
    async list(opts = {}, k = ctx.k) {
      const qb = select(k, opts.columns);
      applyFilters(qb, opts.filters, cfg.filters ?? {}, spec.label);
      await paginate(k, qb, opts, { spec, markerColumn: cfg.markerColumn, defaultSort: cfg.defaultSort });
      const rows = await qb;
      return rows.map(decode);
    },
    async count(filters, k = ctx.k) {
      const qb = k(t);
      applyFilters(qb, filters, cfg.filters ?? {}, spec.label);
      const row = await qb.count({ n: '*' }).first();
      return Number(row?.n ?? 0);
    },
  };
  return self;
}

/** The uuid-keyed repository methods over a Crud: create, get (id), getByUuid, list, update (by uuid, in a transaction). */
export interface UuidRepoMethods<R> {
  create(values: Record<string, unknown>): Promise<R>;
  get(id: number): Promise<R>;
  getByUuid(uuid: string): Promise<R>;
  list(opts?: ListOptions): Promise<R[]>;
  update(uuid: string, values: Record<string, unknown>): Promise<R>;
}

/**
 * notFound(ident) builds the NotFound for an id or uuid; prepare maps written values on create and update (e.g.
 * lower-case MACs); a unique violation on update sees the current row under the new values.
 */
export function uuidRepoMethods<R extends { id: number }>(
  ctx: RepoContext,
  base: Crud<R>,
  notFound: (ident: string | number) => Error,
  prepare: (values: Record<string, unknown>) => Record<string, unknown> = (v) => v,
): UuidRepoMethods<R> {
  return {
    create: (values) => base.insert(prepare(values)),
    get: (id) => base.get('id', id, () => notFound(id)),
    getByUuid: (uuid) => base.get('uuid', uuid, () => notFound(uuid)),
    list: (opts) => base.list(opts),
    async update(uuid, values) {
      return ctx.tx(async (k) => {
        const cur = await base.get('uuid', uuid, () => notFound(uuid), k);
        await base.updateWhere({ id: cur.id }, prepare(values), k, { ...cur, ...values });
        return base.get('id', cur.id, () => notFound(uuid), k);
      });
    },
  };
}
