/**
 * joi → JSON Schema 2020-12 (OpenAPI 3.1), pure: the request validators in validate/*.ts are the one source of
 * truth, this reads their `describe()` output. Covers what Anvil's validators use: object (keys, unknown),
 * string (min/max/pattern, case-insensitive patterns expanded, `only` enums), boolean (with Ironic's truthy and
 * falsy words), number (integer/min/max), array (items/min/max), alternatives, any, `allow` (null, '', literals)
 * and `presence: required`. A rule it does not know is kept out of the schema (never made stricter than joi).
 */
import type Joi from 'joi';

export type JsonSchema = Record<string, unknown>;

interface Desc {
  type: string;
  flags?: { presence?: string; only?: boolean; unknown?: boolean; default?: unknown };
  allow?: unknown[];
  rules?: { name: string; args?: Record<string, unknown> }[];
  keys?: Record<string, Desc>;
  items?: Desc[];
  matches?: { schema?: Desc }[];
  truthy?: unknown[];
  falsy?: unknown[];
}

/** `/a[b-c]x/i` (as joi prints it) → an ECMA pattern matching the same strings without flags. */
export function regexToPattern(printed: string): string {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(printed);
  if (!m) return printed;
  const [, src, flags] = m;
  if (!flags.includes('i')) return src;
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      out += c + (src[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      const range = /^([a-zA-Z])-([a-zA-Z])/.exec(src.slice(i));
      if (range) {
        const flip = (s: string) => (s === s.toLowerCase() ? s.toUpperCase() : s.toLowerCase());
        out += `${range[0]}${flip(range[1])}-${flip(range[2])}`;
        i += 2;
        continue;
      }
      out += /[a-zA-Z]/.test(c) ? c.toLowerCase() + c.toUpperCase() : c;
      continue;
    }
    if (c === '[') inClass = true;
    out += /[a-zA-Z]/.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c;
  }
  return out;
}

function rule(d: Desc, name: string): Record<string, unknown> | undefined {
  return d.rules?.find((r) => r.name === name)?.args ?? (d.rules?.some((r) => r.name === name) ? {} : undefined);
}

function base(d: Desc): JsonSchema {
  switch (d.type) {
    case 'object': {
      const s: JsonSchema = { type: 'object' };
      if (d.keys) {
        const props: Record<string, JsonSchema> = {};
        const required: string[] = [];
        for (const [k, v] of Object.entries(d.keys)) {
          props[k] = describeToSchema(v);
          if (v.flags?.presence === 'required') required.push(k);
        }
        s.properties = props;
        if (required.length) s.required = required;
        if (d.flags?.unknown !== true) s.additionalProperties = false;
      }
      return s;
    }
    case 'string': {
      if (d.flags?.only) return { type: 'string', enum: (d.allow ?? []).filter((a) => typeof a === 'string') };
      const s: JsonSchema = { type: 'string' };
      const min = rule(d, 'min');
      const max = rule(d, 'max');
      const pattern = rule(d, 'pattern');
      if (min) s.minLength = min.limit;
      else if (!d.allow?.includes('')) s.minLength = 1; // joi refuses '' unless allowed
      if (max) s.maxLength = max.limit;
      if (pattern) s.pattern = regexToPattern(String(pattern.regex));
      return s;
    }
    case 'boolean': {
      const words = [...(d.truthy ?? []), ...(d.falsy ?? [])].filter((w) => typeof w === 'string');
      return words.length ? { anyOf: [{ type: 'boolean' }, { type: 'string', enum: words }] } : { type: 'boolean' };
    }
    case 'number': {
      const s: JsonSchema = { type: rule(d, 'integer') ? 'integer' : 'number' };
      const min = rule(d, 'min');
      const max = rule(d, 'max');
      if (min) s.minimum = min.limit;
      if (max) s.maximum = max.limit;
      return s;
    }
    case 'array': {
      const s: JsonSchema = { type: 'array' };
      if (d.items?.length === 1) s.items = describeToSchema(d.items[0]);
      else if (d.items?.length) s.items = { anyOf: d.items.map(describeToSchema) };
      const min = rule(d, 'min');
      const max = rule(d, 'max');
      if (min) s.minItems = min.limit;
      if (max) s.maxItems = max.limit;
      return s;
    }
    case 'alternatives':
      return { anyOf: (d.matches ?? []).filter((m) => m.schema).map((m) => describeToSchema(m.schema as Desc)) };
    default:
      return {};
  }
}

export function describeToSchema(d: Desc): JsonSchema {
  const s = base(d);
  if (d.flags?.only) return s; // enums already list their allowed values
  const extra = (d.allow ?? []).filter((a) => !(a === '' && d.type === 'string'));
  if (d.allow?.includes('') && d.type === 'string' && s.pattern === undefined) delete s.minLength;
  else if (d.allow?.includes('') && d.type === 'string') extra.push('');
  if (!extra.length) return s;
  const alts: JsonSchema[] = [s];
  if (extra.includes(null)) alts.push({ type: 'null' });
  const literals = extra.filter((a) => a !== null);
  if (literals.length) alts.push({ enum: literals });
  return { anyOf: alts };
}

/** The JSON Schema of a joi schema (the validators' own objects). */
export function joiToJsonSchema(schema: Joi.Schema): JsonSchema {
  return describeToSchema(schema.describe() as Desc);
}
