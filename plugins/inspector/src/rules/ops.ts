/**
 * Inspection rule condition operators and actions (Ironic's inspection_rules/operators.py and actions.py), pure:
 * each op has Ironic's signature (required, then optional arguments), the arguments that are interpolated, and
 * its effect on the working InspectionData.
 */
import { HardwareInspectionFailure, type InspectionData, type JsonObject } from '@anvil/sdk';
import { inNet, isObj, setCapability, unsetCapability } from '../hooks/util.ts';
import { pyStr } from './format.ts';

export class RuleError extends Error {
  constructor(
    readonly kind: 'condition' | 'action' | 'validation',
    message: string,
  ) {
    super(message);
  }
}

export interface OpSpec {
  required: string[];
  optional: Record<string, unknown>;
  formatted: string[];
  pluginData?: boolean;
}

type Args = Record<string, unknown>;
export interface Operator extends OpSpec {
  check(a: Args): boolean;
}
export interface Action extends OpSpec {
  run(d: InspectionData, a: Args): void;
}

const typeName = (v: unknown) =>
  v === null ? 'NoneType' : Array.isArray(v) ? 'list' : typeof v === 'string' ? 'str' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : typeof v === 'boolean' ? 'bool' : 'dict';

function pyEq(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (typeof a === 'boolean' || typeof b === 'boolean') return (typeof a === 'boolean' ? Number(a) : a) === (typeof b === 'boolean' ? Number(b) : b);
  return JSON.stringify(a) === JSON.stringify(b);
}

function pyCompare(sym: '<' | '>', a: unknown, b: unknown): boolean {
  const ok = (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
  if (!ok) throw new TypeError(`'${sym}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
  return sym === '<' ? (a as number) < (b as number) : (a as number) > (b as number);
}

function simple(name: string, op: (a: unknown, b: unknown) => boolean): Operator {
  return {
    required: ['values'],
    optional: { force_strings: false },
    formatted: ['values'],
    check({ values, force_strings }) {
      if (!Array.isArray(values)) {
        throw new RuleError('condition', `Failed to check condition: '${name}' on values: ${pyStr(values)}: Expected list for 'values', got: ${typeName(values)}`);
      }
      if (values.length < 2) return true;
      const vs = force_strings ? values.map((v) => pyStr(v)) : values;
      return vs.slice(1).every((v, i) => op(vs[i], v));
    },
  };
}

function regex(pattern: unknown): RegExp {
  try {
    return new RegExp(String(pattern));
  } catch (e) {
    throw new RuleError('condition', `invalid regular expression: ${(e as Error).message}`);
  }
}

export const OPERATORS: Record<string, Operator> = {
  eq: simple('eq', pyEq),
  lt: simple('lt', (a, b) => pyCompare('<', a, b)),
  gt: simple('gt', (a, b) => pyCompare('>', a, b)),
  'is-empty': { required: ['value'], optional: {}, formatted: ['value'], check: ({ value }) => ['', 'None', '[]', '{}'].includes(pyStr(value)) },
  'in-net': {
    required: ['address', 'subnet'],
    optional: {},
    formatted: ['address', 'subnet'],
    check: ({ address, subnet }) => {
      try {
        return inNet(String(address), String(subnet));
      } catch (e) {
        throw new RuleError('condition', (e as Error).message);
      }
    },
  },
  matches: {
    required: ['value', 'regex'],
    optional: {},
    formatted: ['value'],
    check: ({ value, regex: r }) => {
      const src = String(r);
      return regex(`^(?:${src.endsWith('$') ? src : `${src}$`})`).test(pyStr(value));
    },
  },
  contains: { required: ['value', 'regex'], optional: {}, formatted: ['value'], check: ({ value, regex: r }) => regex(r).test(pyStr(value)) },
  'one-of': { required: ['value'], optional: { values: [] }, formatted: ['value'], check: ({ value, values }) => Array.isArray(values) && values.some((v) => pyEq(v, value)) },
  'is-none': { required: ['value'], optional: {}, formatted: ['value'], check: ({ value }) => pyStr(value) === 'None' },
  'is-true': {
    required: ['value'],
    optional: {},
    formatted: ['value'],
    check: ({ value: v }) => (typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : typeof v === 'string' ? ['yes', 'true'].includes(v.toLowerCase()) : false),
  },
  'is-false': {
    required: ['value'],
    optional: {},
    formatted: ['value'],
    check: ({ value: v }) => (typeof v === 'boolean' ? !v : typeof v === 'number' ? v === 0 : typeof v === 'string' ? ['no', 'false'].includes(v.toLowerCase()) : v === null || v === undefined),
  },
};

/** Ironic's normalize_path: "/a/b" or "a.b" → ["a", "b"]. */
export const normalizePath = (p: unknown) => (String(p).includes('/') ? String(p).replace(/^\/+|\/+$/g, '').split('/') : String(p).split('.'));

function container(root: Record<string, unknown>, parts: string[], create: boolean): Record<string, unknown> {
  let cur = root;
  for (const part of parts.slice(0, -1)) {
    if (!isObj(cur[part])) {
      if (!create) throw new Error(`'${part}'`);
      cur[part] = {};
    }
    cur = cur[part] as Record<string, unknown>;
  }
  return cur;
}

const READONLY_NODE = new Set(['uuid', 'id', 'traits']);

function setAttr(obj: Record<string, unknown>, path: unknown, value: unknown, what: string) {
  const parts = normalizePath(path);
  if (parts.length === 1 && what === 'node' && READONLY_NODE.has(parts[0])) throw new Error(`Cannot set read-only field ${parts[0]}`);
  if (what !== 'plugin_data' && parts.length > 1 && !(parts[0] in obj)) throw new Error(`'${what}' object has no attribute '${parts[0]}'`);
  container(obj, parts, true)[parts[parts.length - 1]] = value;
}

function extendAttr(obj: Record<string, unknown>, path: unknown, value: unknown, unique: unknown) {
  const parts = normalizePath(path);
  const c = container(obj, parts, true);
  const last = parts[parts.length - 1];
  const cur = (c[last] ??= []);
  if (!Array.isArray(cur)) throw new Error(`Cannot extend non-list attribute ${path} with value ${pyStr(value)}`);
  if (!unique || !cur.some((x) => pyEq(x, value))) cur.push(value);
}

function delAttr(obj: Record<string, unknown>, path: unknown) {
  const parts = normalizePath(path);
  const c = container(obj, parts, false);
  const last = parts[parts.length - 1];
  if (!(last in c)) throw new Error(`'${last}'`);
  delete c[last];
}

const wrap = (msg: (e: Error) => string, f: () => void) => {
  try {
    f();
  } catch (e) {
    if (e instanceof HardwareInspectionFailure || e instanceof RuleError) throw e;
    throw new RuleError('action', msg(e as Error));
  }
};

function portOf(d: InspectionData, id: unknown) {
  const p = d.ports.find((x) => x.uuid === id);
  if (!p) throw new RuleError('action', `Port ${id} could not be found.`);
  return p as unknown as Record<string, unknown>;
}

const node = (d: InspectionData) => d.node as unknown as Record<string, unknown>;

export const ACTIONS: Record<string, Action> = {
  fail: {
    required: ['msg'],
    optional: {},
    formatted: [],
    run: (_d, { msg }) => {
      throw new HardwareInspectionFailure(pyStr(msg));
    },
  },
  log: {
    required: ['msg'],
    optional: { level: 'info' },
    formatted: ['msg'],
    run: (d, { msg, level }) => {
      const l = String(level).toLowerCase();
      if (!['debug', 'info', 'warning', 'error', 'critical'].includes(l)) throw new RuleError('action', `Invalid log level: ${level}`);
      d.log.push(`${l}: ${pyStr(msg)}`);
    },
  },
  'set-attribute': {
    required: ['path', 'value'],
    optional: {},
    formatted: ['value'],
    run: (d, { path, value }) => wrap((e) => `Failed to set attribute ${path} with value ${pyStr(value)}: ${e.message}`, () => setAttr(node(d), path, value, 'node')),
  },
  'extend-attribute': {
    required: ['path', 'value'],
    optional: { unique: false },
    formatted: ['value'],
    run: (d, { path, value, unique }) => wrap((e) => `Failed to extend attribute ${path}: ${e.message}`, () => extendAttr(node(d), path, value, unique)),
  },
  'del-attribute': {
    required: ['path'],
    optional: {},
    formatted: [],
    run: (d, { path }) => wrap((e) => `Failed to delete attribute at ${path}: ${e.message}`, () => delAttr(node(d), path)),
  },
  'set-capability': { required: ['name', 'value'], optional: {}, formatted: ['value'], run: (d, { name, value }) => setCapability(d.node, String(name), pyStr(value)) },
  'unset-capability': { required: ['name'], optional: {}, formatted: [], run: (d, { name }) => unsetCapability(d.node, String(name)) },
  'add-trait': {
    required: ['name'],
    optional: {},
    formatted: [],
    run: (d, { name }) => {
      if (!d.node.traits.includes(String(name))) d.node.traits = [...d.node.traits, String(name)];
    },
  },
  'remove-trait': {
    required: ['name'],
    optional: {},
    formatted: [],
    run: (d, { name }) => {
      if (!d.node.traits.includes(String(name))) d.log.push(`warning: Failed to remove trait ${name}: Node ${d.node.uuid} doesn't have a trait ${name}`);
      d.node.traits = d.node.traits.filter((t) => t !== name);
    },
  },
  'set-plugin-data': {
    required: ['path', 'value', 'plugin_data'],
    optional: {},
    formatted: ['value'],
    pluginData: true,
    run: (d, { path, value }) => wrap((e) => `Failed to set plugin data at ${path}: ${e.message}`, () => setAttr(d.plugin_data, String(path).split('.').join('/'), value, 'plugin_data')),
  },
  'extend-plugin-data': {
    required: ['path', 'value', 'plugin_data'],
    optional: { unique: false },
    formatted: ['value'],
    pluginData: true,
    run: (d, { path, value, unique }) => wrap((e) => `Failed to extend plugin data at ${path}: ${e.message}`, () => extendAttr(d.plugin_data, String(path).split('.').join('/'), value, unique)),
  },
  'unset-plugin-data': {
    required: ['path', 'plugin_data'],
    optional: {},
    formatted: [],
    pluginData: true,
    run: (d, { path }) => {
      try {
        delAttr(d.plugin_data, String(path).split('.').join('/'));
      } catch {
        d.log.push(`warning: Path ${path} not found`);
      }
    },
  },
  'set-port-attribute': {
    required: ['port_id', 'path', 'value'],
    optional: {},
    formatted: ['value'],
    run: (d, { port_id, path, value }) => {
      const p = portOf(d, port_id);
      wrap((e) => `Failed to set attribute ${path} for port ${port_id}: ${e.message}`, () => setAttr(p, path, value, 'port'));
    },
  },
  'extend-port-attribute': {
    required: ['port_id', 'path', 'value'],
    optional: { unique: false },
    formatted: ['value'],
    run: (d, { port_id, path, value, unique }) => {
      const p = portOf(d, port_id);
      wrap((e) => `Failed to extend attribute ${path} for port ${port_id}: ${e.message}`, () => extendAttr(p, path, value, unique));
    },
  },
  'del-port-attribute': {
    required: ['port_id', 'path'],
    optional: {},
    formatted: [],
    run: (d, { port_id, path }) => {
      const p = portOf(d, port_id);
      wrap((e) => `Failed to delete attribute ${path} for port ${port_id}: ${e.message}`, () => delAttr(p, path));
    },
  },
};

export type { JsonObject };
