/** Shared rendering helpers (pure): versioned field tables and `fields=` checks. */
import { InvalidParameterValue, NotAcceptable } from '@anvil/sdk';

/** name → microversion minor that introduced it. */
export type FieldTable = Record<string, number>;

/** `fields=` before 1.8 → 406; a field newer than the request → 406. */
export function checkFieldsAllowed(fields: string[] | undefined, minor: number, table: FieldTable): void {
  if (fields === undefined) return;
  if (minor < 8) throw new NotAcceptable('Request not acceptable.');
  for (const f of fields) if ((table[f] ?? 1) > minor) throw new NotAcceptable('Request not acceptable.');
}

/** Unknown requested fields → 400, Ironic's wording for most resources. */
export function checkFieldsKnown(fields: string[] | undefined, known: readonly string[]): void {
  if (fields === undefined) return;
  const bad = fields.filter((f) => !known.includes(f));
  if (bad.length) throw new InvalidParameterValue(`Field(s) "${bad.join(', ')}" are not valid`);
}

/** Keep only requested keys (+ links). */
export function pick(obj: Record<string, unknown>, fields: string[] | undefined): Record<string, unknown> {
  if (fields === undefined) return obj;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (k === 'links' || fields.includes(k)) out[k] = v;
  return out;
}
