/**
 * Collection listing shared by every repository: filters by name, sort by a column with id as tiebreak,
 * keyset pagination after a marker row, limit.
 */
import type { Knex } from 'knex';
import { InvalidParameterValue, NotFound } from '@anvil/sdk';
import { sortable, type TableSpec } from './codec.ts';
import type { ListOptions } from './types.ts';

/** A filter applies itself to the query; value is never undefined. */
export type Filter = (qb: Knex.QueryBuilder, value: any) => void;
export type FilterMap = Record<string, Filter>;

export function applyFilters(qb: Knex.QueryBuilder, filters: Record<string, unknown> | undefined, map: FilterMap, label: string): void {
  for (const [name, value] of Object.entries(filters ?? {})) {
    if (value === undefined) continue;
    const f = map[name];
    if (!f) throw new InvalidParameterValue(`Unknown filter '${name}' for ${label} list.`);
    f(qb, value);
  }
}

/** column = value, or IN (...) when value is a list, or IS NULL for null. */
export const eq =
  (column: string): Filter =>
  (qb, v) => {
    if (Array.isArray(v)) qb.whereIn(column, v);
    else if (v === null) qb.whereNull(column);
    else qb.where(column, v);
  };

export const boolEq =
  (column: string): Filter =>
  (qb, v) =>
    qb.where(column, v ? 1 : 0);

/** Case-insensitive substring match, same on both engines. */
export const contains =
  (column: string): Filter =>
  (qb, v) => {
    // '!' as escape character: a backslash would need engine-specific quoting (MySQL treats it in literals).
    const needle = String(v).toLowerCase().replace(/[!%_]/g, (c) => `!${c}`);
    qb.whereRaw(`LOWER(??) LIKE ? ESCAPE '!'`, [column, `%${needle}%`]);
  };

export interface PageSpec {
  spec: TableSpec;
  /** Table alias the sort columns belong to (default spec.table). */
  alias?: string;
  /** Column the marker names (default 'uuid'). */
  markerColumn?: string;
  /** Default sort key (default 'id'). */
  defaultSort?: string;
}

/** Adds order, marker and limit to qb (rows of spec.table, possibly joined). */
export async function paginate(k: Knex, qb: Knex.QueryBuilder, opts: ListOptions, page: PageSpec): Promise<void> {
  const { spec } = page;
  const alias = page.alias ?? spec.table;
  const key = opts.sortKey ?? page.defaultSort ?? 'id';
  if (!sortable(spec).includes(key)) throw new InvalidParameterValue(`The sort_key value "${key}" is an invalid field for sorting`);
  const dir = opts.sortDir ?? 'asc';
  if (dir !== 'asc' && dir !== 'desc') throw new InvalidParameterValue(`Invalid sort direction: ${String(dir)}. Acceptable values are 'asc' or 'desc'`);
  const col = `${alias}.${key}`;
  const idCol = `${alias}.id`;
  if (opts.marker !== undefined && opts.marker !== null) {
    const markerColumn = page.markerColumn ?? 'uuid';
    const m = await k(spec.table).where(markerColumn, opts.marker).first(key === 'id' ? ['id'] : ['id', key]);
    if (!m) throw new NotFound(`${spec.label} ${opts.marker} could not be found.`);
    const mv = m[key];
    const mid = m.id;
    // NULLs sort first ascending and last descending on both engines.
    if (key === 'id') qb.where(idCol, dir === 'asc' ? '>' : '<', mid);
    else if (dir === 'asc') {
      if (mv === null) qb.where((w) => w.whereNotNull(col).orWhere((w2) => w2.whereNull(col).andWhere(idCol, '>', mid)));
      else qb.where((w) => w.where(col, '>', mv).orWhere((w2) => w2.where(col, mv).andWhere(idCol, '>', mid)));
    } else if (mv === null) qb.where((w) => w.whereNull(col).andWhere(idCol, '<', mid));
    else qb.where((w) => w.where(col, '<', mv).orWhereNull(col).orWhere((w2) => w2.where(col, mv).andWhere(idCol, '<', mid)));
  }
  if (key !== 'id') qb.orderBy(col, dir);
  qb.orderBy(idCol, dir);
  if (opts.limit !== undefined && opts.limit !== null) {
    if (!Number.isInteger(opts.limit) || opts.limit <= 0) throw new InvalidParameterValue('Limit must be positive');
    qb.limit(opts.limit);
  }
}
