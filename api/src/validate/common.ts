/**
 * Joi building blocks with Ironic's rules (pure): UUIDs, logical names, MACs (normalised lower-case), Ironic's
 * lenient booleans, and validateBody/validateValue that turn joi errors into Ironic-style 400s.
 */
import Joi from 'joi';
import { InvalidParameterValue } from '@anvil/sdk';

export const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
export const isUuidLike = (s: string) => UUID_RE.test(s);
/** RFC 3986 unreserved characters, Ironic's logical name rule (≥ 1.10). */
export const LOGICAL_NAME_RE = /^[A-Za-z0-9._~-]{1,255}$/;
/** Hostname-safe names, the rule before 1.10. */
export const HOSTNAME_RE = /^(?=.{1,63}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i;
export const MAC_RE = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i;

export const TRUE_WORDS = ['1', 't', 'true', 'on', 'y', 'yes'];
export const FALSE_WORDS = ['0', 'f', 'false', 'off', 'n', 'no'];

/** Ironic's bool_from_string(strict): booleans or the words above (case-insensitive). */
export const boolLike = () =>
  Joi.boolean()
    .truthy(...TRUE_WORDS, ...TRUE_WORDS.map((w) => w.toUpperCase()), 'True')
    .falsy(...FALSE_WORDS, ...FALSE_WORDS.map((w) => w.toUpperCase()), 'False');

export const uuid = () =>
  Joi.string().pattern(UUID_RE, 'uuid');

export const mac = () =>
  Joi.string()
    .pattern(MAC_RE, 'mac')
    .lowercase()
    .custom((v: string) => v.replace(/-/g, ':'));

export const jsonObject = () => Joi.object().unknown(true);

export const logicalName = () =>
  Joi.string().pattern(LOGICAL_NAME_RE).messages({ 'string.pattern.base': 'Expected a logical name but received {#value}.' });

export function parseBool(name: string, raw: string): boolean {
  const v = raw.toLowerCase();
  if (TRUE_WORDS.includes(v)) return true;
  if (FALSE_WORDS.includes(v)) return false;
  const words = [...TRUE_WORDS, ...FALSE_WORDS].sort().map((w) => `'${w}'`);
  throw new InvalidParameterValue(`Invalid ${name}: Unrecognized value '${raw}', acceptable values are: ${words.join(', ')}`);
}

/** jsonschema's type list: 'object', 'null' when the schema also allows null (Ironic's ['object', 'null']). */
function typeList(schema: Joi.Schema, path: (string | number)[], type: string): string {
  let nullable = false;
  try {
    nullable = ((path.length ? schema.extract(path.map(String)) : schema).describe().allow ?? []).includes(null);
  } catch {
    // no sub-schema at that path
  }
  return nullable ? `'${type}', 'null'` : `'${type}'`;
}

function joiMessage(err: Joi.ValidationError, what: string, schema: Joi.Schema): string {
  const d = err.details[0];
  const prefix = `Schema error for ${what}: `;
  if (!d) return `${prefix}invalid`;
  const key = String(d.context?.key ?? d.path.join('.'));
  const value = d.context?.value;
  const shown = typeof value === 'string' ? `'${value}'` : JSON.stringify(value ?? null);
  if (d.type === 'string.pattern.name' && d.context?.name === 'uuid') return `Expected UUID for ${key}: ${value}`;
  if (d.type === 'string.pattern.name' && d.context?.name === 'mac') return `Expected valid MAC address for ${key}: ${value}`;
  if (d.type === 'object.unknown') return `${prefix}Additional properties are not allowed ('${key}' was unexpected)`;
  if (d.type === 'any.required') return `${prefix}'${key}' is a required property`;
  if (d.type === 'boolean.base') return `Invalid ${key}: Unrecognized value ${shown}, acceptable values are: ${[...TRUE_WORDS, ...FALSE_WORDS].sort().map((w) => `'${w}'`).join(', ')}`;
  if (d.type === 'string.base') return `${prefix}${shown} is not of type ${typeList(schema, d.path, 'string')}`;
  if (d.type === 'object.base') return `${prefix}${shown} is not of type ${typeList(schema, d.path, 'object')}`;
  if (d.type === 'array.base') return `${prefix}${shown} is not of type ${typeList(schema, d.path, 'array')}`;
  if (d.type === 'string.max') return `${prefix}${shown} is too long`;
  // jsonschema's wording for integer bounds (a value past the column's range is refused, not a database error)
  if (d.type === 'number.max') return `${prefix}${shown} is greater than the maximum of ${d.context?.limit}`;
  if (d.type === 'number.min') return `${prefix}${shown} is less than the minimum of ${d.context?.limit}`;
  // Ironic 39's jsonschema: minLength 1 on '' reads "should be non-empty" (node instance_name, 1.104)
  if (d.type === 'string.empty' && key === 'instance_name') return `${prefix}'' should be non-empty`;
  if (d.type === 'string.empty' || d.type === 'string.min') return `${prefix}${shown} is too short`;
  return `${prefix}${d.message.replace(/"/g, "'")}`;
}

/** Validate a request body with joi; returns the converted value or throws InvalidParameterValue (400). */
export function validateBody<T>(schema: Joi.Schema, body: unknown, what = 'body'): T {
  if (body === undefined) throw new InvalidParameterValue(`Missing argument: "${what}"`);
  const { value, error } = schema.validate(body, { abortEarly: true, convert: true });
  if (error) throw new InvalidParameterValue(joiMessage(error, what, schema));
  return value as T;
}
