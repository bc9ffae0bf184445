/**
 * Query strings (pure): one value per key, unknown keys → 400 "Unexpected arguments: …", typed getters with
 * Ironic's messages, `fields` (lower-cased, de-duplicated), paging (limit ≤ max, marker, sort_key, sort_dir).
 */
import { InvalidParameterValue } from '@anvil/sdk';
import { isUuidLike, parseBool } from './validate/common.ts';

export const MAX_LIMIT = 1000;

export class Query {
  private readonly q: Record<string, string>;
  constructor(raw: Record<string, string | string[] | undefined>, allowed: readonly string[]) {
    const unexpected = Object.keys(raw).filter((k) => !allowed.includes(k));
    if (unexpected.length) throw new InvalidParameterValue(`Unexpected arguments: ${unexpected.sort().join(', ')}`);
    this.q = {};
    for (const [k, v] of Object.entries(raw)) if (v !== undefined) this.q[k] = Array.isArray(v) ? v[v.length - 1] : v;
  }
  has(k: string): boolean {
    return k in this.q;
  }
  str(k: string): string | undefined {
    return this.q[k];
  }
  bool(k: string): boolean | undefined {
    const v = this.q[k];
    return v === undefined ? undefined : parseBool(k, v);
  }
  uuid(k: string): string | undefined {
    const v = this.q[k];
    if (v !== undefined && !isUuidLike(v)) throw new InvalidParameterValue(`Expected a UUID for ${k}: ${v}`);
    return v;
  }
  int(k: string): number | undefined {
    const v = this.q[k];
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v.trim())) throw new InvalidParameterValue(`Expected an integer for ${k}: ${v}`);
    return Number(v);
  }
  list(k: string): string[] | undefined {
    const v = this.q[k];
    if (v === undefined) return undefined;
    return v.split(',').map((s) => s.trim()).filter(Boolean);
  }
  /** `fields`: lower-cased, de-duplicated, order kept. */
  fields(): string[] | undefined {
    const l = this.list('fields');
    return l && [...new Set(l.map((f) => f.toLowerCase()))];
  }
}

export interface Paging {
  limit: number;
  marker?: string;
  sortKey: string;
  sortDir: 'asc' | 'desc';
}

export const PAGING_KEYS = ['limit', 'marker', 'sort_key', 'sort_dir'] as const;

export function paging(q: Query, invalidSortKeys: readonly string[], markerIsUuid = true): Paging {
  const rawLimit = q.int('limit');
  if (rawLimit !== undefined && rawLimit <= 0) throw new InvalidParameterValue('Limit must be positive');
  const limit = Math.min(rawLimit ?? MAX_LIMIT, MAX_LIMIT);
  const sortDir = q.str('sort_dir') ?? 'asc';
  if (sortDir !== 'asc' && sortDir !== 'desc')
    throw new InvalidParameterValue(`Invalid sort direction: ${sortDir}. Acceptable values are 'asc' or 'desc'`);
  const sortKey = q.str('sort_key') ?? 'id';
  if (invalidSortKeys.includes(sortKey))
    throw new InvalidParameterValue(`The sort_key value ${sortKey} is an invalid field for sorting`);
  const marker = markerIsUuid ? q.uuid('marker') : q.str('marker');
  return { limit, marker, sortKey, sortDir };
}

/**
 * Ironic's `next` link: present iff the page is full; carries the given parameters, then limit and marker.
 * `url` is the collection path under /v1 (e.g. "nodes/detail").
 */
export function nextLink(
  base: string,
  url: string,
  items: { [k: string]: unknown }[],
  limit: number,
  params: Record<string, string | number | boolean | undefined>,
  keyField = 'uuid',
  /** The last item's key when `items` are rendered without it (e.g. `fields` without uuid). */
  lastKey?: string,
): string | undefined {
  if (items.length === 0 || items.length !== limit) return undefined;
  const args = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}&`)
    .join('');
  const marker = lastKey ?? items[items.length - 1][keyField];
  return `${base}/v1/${url}?${args}limit=${limit}&marker=${marker}`;
}
