/**
 * Setting declarations, like oslo.config options: each setting is declared once with its type, default, help and
 * whether it is a secret. Anvil's own are in core-options.ts; a plugin package declares its own in the module its
 * package.json names in `anvil.options` (default export: OptionSpec[]). Pure: parsing, checking, suggestions.
 */
import { InvalidParameterValue } from './errors.ts';

export type OptionType = 'str' | 'int' | 'float' | 'bool' | 'list';
export type OptionValue = string | number | boolean | string[] | null;

export interface OptionSpec {
  name: string;
  type: OptionType;
  /** null: unset (the reader derives a value, as the help says) */
  default: OptionValue;
  help: string;
  /** masked as *** wherever settings are shown */
  secret?: boolean;
  /** the only values allowed (str and each item of list) */
  choices?: readonly string[];
  min?: number;
}

type Extra = Pick<OptionSpec, 'secret' | 'choices' | 'min'>;
export const strOpt = (name: string, def: string | null, help: string, extra: Extra = {}): OptionSpec => ({ name, type: 'str', default: def, help, ...extra });
export const intOpt = (name: string, def: number | null, help: string, extra: Extra = {}): OptionSpec => ({ name, type: 'int', default: def, help, ...extra });
export const floatOpt = (name: string, def: number | null, help: string, extra: Extra = {}): OptionSpec => ({ name, type: 'float', default: def, help, ...extra });
export const boolOpt = (name: string, def: boolean, help: string): OptionSpec => ({ name, type: 'bool', default: def, help });
export const listOpt = (name: string, def: string[] | null, help: string, extra: Extra = {}): OptionSpec => ({ name, type: 'list', default: def, help, ...extra });

/** Where a value came from; `where` names the flag, variable or file as the user wrote it. */
export type OptionSource = 'default' | 'file' | 'env' | 'flag';

const TRUE = ['1', 'true', 'yes', 'on'];
const FALSE = ['0', 'false', 'no', 'off'];

/** The value `raw` (a string from a flag/env, or any JSON/YAML value from a file) as the option's type; throws one line. */
export function parseOption(spec: OptionSpec, raw: unknown, where: string): OptionValue {
  const bad = (why: string) => new InvalidParameterValue(`${where}: got '${Array.isArray(raw) ? raw.join(',') : String(raw)}', ${why}`);
  if (raw === null) return null;
  const choose = (v: string) => {
    if (spec.choices && !spec.choices.includes(v)) {
      const near = nearest(v, spec.choices);
      throw bad(`must be one of ${spec.choices.join(', ')}${near ? ` (did you mean '${near}'?)` : ''}`);
    }
    return v;
  };
  switch (spec.type) {
    case 'str':
      if (typeof raw !== 'string' && typeof raw !== 'number') throw bad('must be a string');
      return choose(String(raw));
    case 'int':
    case 'float': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
      if (!Number.isFinite(n)) throw bad(`must be ${spec.type === 'int' ? 'an integer' : 'a number'}`);
      if (spec.type === 'int' && !Number.isInteger(n)) throw bad('must be an integer');
      if (spec.min !== undefined && n < spec.min) throw bad(`must be at least ${spec.min}`);
      return n;
    }
    case 'bool':
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'string' && TRUE.includes(raw.toLowerCase())) return true;
      if (typeof raw === 'string' && FALSE.includes(raw.toLowerCase())) return false;
      throw bad('must be true or false');
    case 'list': {
      const items = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(',') : null;
      if (!items) throw bad('must be a list or a comma-separated string');
      return items.map((s) => s.trim()).filter(Boolean).map(choose);
    }
  }
}

/** Levenshtein distance (small strings only). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** The closest candidate when it is close enough to be a typo (or `word` is a prefix of it), else undefined. */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = c.startsWith(word) && word.length >= 3 ? 0.5 : editDistance(word, c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** The defaults of a list of options, as a settings object. */
export function optionDefaults(specs: readonly OptionSpec[]): Record<string, OptionValue> {
  return Object.fromEntries(specs.map((s) => [s.name, Array.isArray(s.default) ? [...s.default] : s.default]));
}

/** A value as shown to people: secrets masked, lists comma-joined, unset as empty. */
export function showOption(spec: OptionSpec | undefined, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (spec?.secret) return '***';
  return Array.isArray(value) ? value.join(',') : String(value);
}
