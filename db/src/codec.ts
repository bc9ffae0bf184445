/**
 * Row <-> record conversion, driven by one TableSpec per table: JSON columns are text in the database and
 * objects in records, booleans are 0/1 integers, dates are "YYYY-MM-DD HH:MM:SS" (UTC) in the database and
 * "YYYY-MM-DDTHH:MM:SS+00:00" in records. Pure: no knex, no I/O.
 */
import { InvalidParameterValue } from '@anvil/sdk';

/** How a JSON column reads back when NULL: an empty object, an empty list, or null. */
export type JsonKind = 'object' | 'array' | 'nullable';

export interface TableSpec {
  table: string;
  /** Every column a caller may write (besides id). */
  columns: readonly string[];
  json?: Readonly<Record<string, JsonKind>>;
  bools?: readonly string[];
  dates?: readonly string[];
  /** Keys accepted in input and silently dropped (derived fields such as chassis_uuid). */
  derived?: readonly string[];
  /** Singular name used in messages ("Node", "Port"). */
  label: string;
  /** Columns never read into records (Anvil bookkeeping such as nodes.reserved_at). */
  hidden?: readonly string[];
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A Date (or ISO/DB string) as the database's UTC "YYYY-MM-DD HH:MM:SS". */
export function toDbDate(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  let d: Date;
  if (v instanceof Date) d = v;
  else if (typeof v === 'string') {
    const s = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?$/.test(v) ? `${v.replace(' ', 'T')}Z` : v;
    d = new Date(s);
  } else if (typeof v === 'number') d = new Date(v);
  else throw new InvalidParameterValue(`Invalid date value: ${String(v)}`);
  if (Number.isNaN(d.getTime())) throw new InvalidParameterValue(`Invalid date value: ${String(v)}`);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** The database's "YYYY-MM-DD HH:MM:SS" as Ironic's "YYYY-MM-DDTHH:MM:SS+00:00". */
export function fromDbDate(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return `${toDbDate(v)!.replace(' ', 'T')}+00:00`;
  const s = String(v);
  return `${s.slice(0, 19).replace(' ', 'T')}+00:00`;
}

export function nowDb(): string {
  return toDbDate(new Date())!;
}

function encodeJson(col: string, v: unknown, kind: JsonKind): string | null {
  if (v === undefined || v === null) return kind === 'nullable' ? null : JSON.stringify(kind === 'array' ? [] : {});
  if (kind === 'object' && (typeof v !== 'object' || Array.isArray(v))) {
    throw new InvalidParameterValue(`Field ${col} must be a JSON object.`);
  }
  if (kind === 'array' && !Array.isArray(v)) throw new InvalidParameterValue(`Field ${col} must be a JSON list.`);
  return JSON.stringify(v);
}

function decodeJson(v: unknown, kind: JsonKind): unknown {
  if (v === null || v === undefined || v === '') return kind === 'object' ? {} : kind === 'array' ? [] : null;
  if (typeof v !== 'string') return v;
  return JSON.parse(v);
}

/** Input values → a row for insert/update. Unknown keys throw InvalidParameterValue. */
export function toRow(spec: TableSpec, values: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || spec.derived?.includes(k)) continue;
    if (k === 'id') continue;
    if (!spec.columns.includes(k)) throw new InvalidParameterValue(`${spec.label} has no field '${k}'.`);
    const kind = spec.json?.[k];
    if (kind) row[k] = encodeJson(k, v, kind);
    else if (spec.bools?.includes(k)) row[k] = v === null ? null : v ? 1 : 0;
    else if (spec.dates?.includes(k)) row[k] = toDbDate(v);
    else row[k] = v;
  }
  return row;
}

/** How fromRow converts one column: 1 boolean, 2 date, or the JSON kind. */
type ColumnKind = 1 | 2 | JsonKind;
const KINDS = new WeakMap<TableSpec, Map<string, ColumnKind>>();

/** The spec's column kinds, computed once per spec (fromRow runs for every row of every list). */
function kindsOf(spec: TableSpec): Map<string, ColumnKind> {
  let kinds = KINDS.get(spec);
  if (kinds) return kinds;
  kinds = new Map<string, ColumnKind>();
  for (const c of spec.dates ?? []) kinds.set(c, 2);
  for (const c of spec.bools ?? []) kinds.set(c, 1);
  for (const [c, kind] of Object.entries(spec.json ?? {})) kinds.set(c, kind);
  KINDS.set(spec, kinds);
  return kinds;
}

/** A database row → the record (only spec columns plus id and any extra selected columns). */
export function fromRow<R>(spec: TableSpec, row: Record<string, unknown>): R {
  const kinds = kindsOf(spec);
  const out: Record<string, unknown> = {};
  for (const k in row) {
    if (spec.hidden?.includes(k)) continue;
    const v = row[k];
    const kind = kinds.get(k);
    if (kind === undefined) out[k] = typeof v === 'bigint' ? Number(v) : v;
    else if (kind === 1) out[k] = v === null || v === undefined ? null : Boolean(Number(v));
    else if (kind === 2) out[k] = fromDbDate(v);
    else out[k] = decodeJson(v, kind);
  }
  return out as R;
}

/** Columns that may be used as sort keys (JSON columns excluded). */
export function sortable(spec: TableSpec): string[] {
  return ['id', ...spec.columns.filter((c) => !spec.json?.[c])];
}

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
export function isUuidLike(s: string): boolean {
  return UUID_RE.test(s);
}
