/**
 * ironic-inspector's introspection rules (its rules.py and plugins/rules.py), pure, run by the same operators and
 * actions as Ironic's inspection rules (ops.ts): conditions `{op, field, multiple, invert, value}` where `field` is
 * a JSON path into the introspection data (`data://`, the default: the plugin data with `inventory`) or the node
 * (`node://`), actions `{action, ...params}`; `scope` limits a rule to nodes whose `inspection_scope` property
 * matches. Every rule's conditions are checked first, then the actions of those that matched, oldest rule first.
 */
import { HardwareInspectionFailure, type InspectionData, type JsonObject } from '@anvil/sdk';
import { isObj } from '../hooks/util.ts';
import { interpolate, pyRepr, pyStr } from './format.ts';
import { ACTIONS, OPERATORS } from './ops.ts';

export interface InspectorRule {
  uuid: string;
  description: string | null;
  scope: string | null;
  conditions: JsonObject[];
  actions: JsonObject[];
}

/** Inspector's condition plugins: required/optional params and the check over one field value. */
const CONDITIONS: Record<string, { required: string[]; optional?: string[]; allowNone?: boolean; check(field: unknown, p: JsonObject): boolean }> = {
  eq: { required: ['value'], check: (f, p) => OPERATORS.eq.check({ values: [coerce(f, p.value), p.value] }) },
  ne: { required: ['value'], check: (f, p) => !OPERATORS.eq.check({ values: [coerce(f, p.value), p.value] }) },
  lt: { required: ['value'], check: (f, p) => OPERATORS.lt.check({ values: [coerce(f, p.value), p.value] }) },
  gt: { required: ['value'], check: (f, p) => OPERATORS.gt.check({ values: [coerce(f, p.value), p.value] }) },
  le: { required: ['value'], check: (f, p) => !OPERATORS.gt.check({ values: [coerce(f, p.value), p.value] }) },
  ge: { required: ['value'], check: (f, p) => !OPERATORS.lt.check({ values: [coerce(f, p.value), p.value] }) },
  'in-net': { required: ['value'], check: (f, p) => OPERATORS['in-net'].check({ address: f, subnet: p.value }) },
  matches: { required: ['value'], check: (f, p) => OPERATORS.matches.check({ value: pyStr(f), regex: p.value }) },
  contains: { required: ['value'], check: (f, p) => OPERATORS.contains.check({ value: pyStr(f), regex: p.value }) },
  'is-empty': { required: [], allowNone: true, check: (f) => OPERATORS['is-empty'].check({ value: f }) },
};

/** Inspector's action plugins mapped onto Ironic's actions (same effects on the node). */
const ACTION_PARAMS: Record<string, { required: string[]; optional: string[]; formatted: string[]; run(d: InspectionData, p: JsonObject): void }> = {
  fail: { required: ['message'], optional: [], formatted: [], run: (_d, p) => { throw new HardwareInspectionFailure(pyStr(p.message)); } },
  'set-attribute': { required: ['path', 'value'], optional: ['reset_interfaces'], formatted: ['value'], run: (d, p) => ACTIONS['set-attribute'].run(d, { path: p.path, value: p.value }) },
  'extend-attribute': { required: ['path', 'value'], optional: ['unique'], formatted: ['value'], run: (d, p) => ACTIONS['extend-attribute'].run(d, { path: p.path, value: p.value, unique: p.unique ?? false }) },
  'set-capability': { required: ['name'], optional: ['value'], formatted: ['value'], run: (d, p) => ACTIONS['set-capability'].run(d, { name: p.name, value: p.value ?? null }) },
  'add-trait': { required: ['name'], optional: [], formatted: [], run: (d, p) => ACTIONS['add-trait'].run(d, { name: p.name }) },
  'remove-trait': { required: ['name'], optional: [], formatted: [], run: (d, p) => ACTIONS['remove-trait'].run(d, { name: p.name }) },
  // Inspector's example plugin: logs, changes nothing
  example: { required: [], optional: [], formatted: [], run: (d) => d.log.push(`example action applied to node ${d.node.uuid}`) },
};

// in the order Inspector's schema lists them (its plugins sorted by name)
export const INSPECTOR_CONDITIONS = Object.keys(CONDITIONS).sort();
export const INSPECTOR_ACTIONS = Object.keys(ACTION_PARAMS).sort();

/** Inspector's coerce: the field takes the type of the expected value (int/float). */
function coerce(field: unknown, expected: unknown): unknown {
  if (typeof expected !== 'number' && typeof expected !== 'boolean') return field;
  const n = typeof field === 'boolean' ? Number(field) : Number(field);
  if (field === null || field === '' || Number.isNaN(n)) throw new Error(`invalid literal for ${Number.isInteger(expected) ? 'int' : 'float'}(): ${pyRepr(field)}`);
  return Number.isInteger(expected) || typeof expected === 'boolean' ? Math.trunc(n) : n;
}

/** `data://a.b[0].c`, `node://driver_info.x`, `a.*.b`: the scheme (default data) and the JSON path. */
export function parseField(field: string): [string, string] {
  const i = field.indexOf('://');
  return i < 0 ? ['data', field] : [field.slice(0, i), field.slice(i + 3)];
}

/** The JSON path subset rules use: `$`, `.key`, `['key']`, `[n]`, `*` / `[*]` (every item or value). */
export function pathTokens(path: string): (string | number | '*')[] {
  const out: (string | number | '*')[] = [];
  const re = /\s*(?:\$|\.?\s*\*|\[\s*\*\s*\]|\[\s*(\d+)\s*\]|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]|\.?\s*([A-Za-z0-9_\-@:]+))\s*/y;
  let pos = 0;
  const s = path.trim();
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m || m[0] === '') throw new Error(`Parse error at ${pos} near token ${s.slice(pos, pos + 8)}`);
    if (m[0].trim() !== '$') out.push(m[1] !== undefined ? Number(m[1]) : (m[2] ?? m[3] ?? m[4]) !== undefined ? (m[2] ?? m[3] ?? m[4]) : '*');
    pos = re.lastIndex;
  }
  return out;
}

export function findPath(root: unknown, path: string): unknown[] {
  let cur: unknown[] = [root];
  for (const tok of pathTokens(path)) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (tok === '*') {
        if (Array.isArray(v)) next.push(...v);
        else if (isObj(v)) next.push(...Object.values(v));
      } else if (typeof tok === 'number') {
        if (Array.isArray(v) && tok < v.length) next.push(v[tok]);
      } else if (isObj(v) && tok in v) next.push(v[tok]);
    }
    cur = next;
  }
  return cur;
}

const RESERVED = new Set(['op', 'field', 'multiple', 'invert']);

function paramsError(required: string[], optional: string[], params: JsonObject): string | null {
  const passed = Object.keys(params).filter((k) => params[k] !== null && params[k] !== undefined);
  const missing = required.filter((k) => !passed.includes(k));
  const unexpected = passed.filter((k) => !required.includes(k) && !optional.includes(k));
  const msg: string[] = [];
  if (missing.length) msg.push(`missing required parameter(s): ${missing.join(', ')}`);
  if (unexpected.length) msg.push(`unexpected parameter(s): ${unexpected.join(', ')}`);
  return msg.length ? msg.join('; ') : null;
}

/**
 * Inspector's rule creation checks, in its order and with its texts: the conditions schema, each field's scheme and
 * JSON path, each operator's parameters; then the actions. Returns the normalised rule (conditions with `multiple`
 * and `invert` filled in) or the 400 message.
 */
export function validateInspectorRule(body: JsonObject): { rule: Omit<InspectorRule, 'uuid'> } | { error: string } {
  const conditions = body.conditions ?? [];
  const actions = body.actions ?? [];
  const condErr = (m: string) => ({ error: `Validation failed for conditions: ${m}` });
  if (!Array.isArray(conditions)) return condErr(`${pyRepr(conditions)} is not of type 'array'`);
  const outConds: JsonObject[] = [];
  for (const c of conditions) {
    if (!isObj(c)) return condErr(`${pyRepr(c)} is not of type 'object'`);
    for (const k of ['op', 'field']) if (!(k in c)) return condErr(`'${k}' is a required property`);
    if (!(String(c.op) in CONDITIONS)) return condErr(`${pyRepr(c.op)} is not one of [${INSPECTOR_CONDITIONS.map((o) => `'${o}'`).join(', ')}]`);
    if (typeof c.field !== 'string') return condErr(`${pyRepr(c.field)} is not of type 'string'`);
    if ('multiple' in c && !['all', 'any', 'first'].includes(c.multiple as string)) return condErr(`${pyRepr(c.multiple)} is not one of ['all', 'any', 'first']`);
    if ('invert' in c && typeof c.invert !== 'boolean') return condErr(`${pyRepr(c.invert)} is not of type 'boolean'`);
    const [scheme, path] = parseField(c.field);
    if (scheme !== 'node' && scheme !== 'data') return { error: `Unsupported scheme for field: ${scheme}, valid values are node:// or data://` };
    try {
      pathTokens(path);
    } catch (e) {
      return { error: `Unable to parse field JSON path ${c.field}: ${(e as Error).message}` };
    }
    const spec = CONDITIONS[String(c.op)];
    const params = Object.fromEntries(Object.entries(c).filter(([k]) => !RESERVED.has(k)));
    let bad = paramsError(spec.required, spec.optional ?? [], params);
    if (!bad && (c.op === 'matches' || c.op === 'contains')) {
      try {
        new RegExp(String(params.value));
      } catch (e) {
        bad = `invalid regular expression: ${(e as Error).message}`;
      }
    }
    if (!bad && c.op === 'in-net' && !/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(String(params.value))) bad = `invalid value: invalid IPNetwork ${params.value}`;
    if (bad) return { error: `Invalid parameters for operator ${c.op}: ${bad}` };
    outConds.push({ ...params, op: c.op, field: c.field, multiple: (c.multiple as string) ?? 'any', invert: c.invert === true });
  }
  const actErr = (m: string) => ({ error: `Validation failed for actions: ${m}` });
  if (!Array.isArray(actions)) return actErr(`${pyRepr(actions)} is not of type 'array'`);
  if (!actions.length) return actErr('[] is too short');
  const outActs: JsonObject[] = [];
  for (const a of actions) {
    if (!isObj(a)) return actErr(`${pyRepr(a)} is not of type 'object'`);
    if (!('action' in a)) return actErr("'action' is a required property");
    const spec = ACTION_PARAMS[String(a.action)];
    if (!spec) return actErr(`${pyRepr(a.action)} is not one of [${INSPECTOR_ACTIONS.map((o) => `'${o}'`).join(', ')}]`);
    const { action: _a, ...params } = a;
    // set-attribute takes an explicit null value (Inspector checks for the key, not the value)
    const bad = a.action === 'set-attribute' && !('value' in params) ? 'missing required parameter(s): value' : paramsError(a.action === 'set-attribute' ? ['path'] : spec.required, [...spec.optional, ...(a.action === 'set-attribute' ? ['value'] : [])], params);
    if (bad) return { error: `Invalid parameters for action ${a.action}: ${bad}` };
    outActs.push({ ...params, action: a.action });
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return { rule: { description: str(body.description), scope: str(body.scope), conditions: outConds, actions: outActs } };
}

/** The introspection data Inspector's rules read: the plugin data with the inventory under `inventory`. */
export const inspectorData = (d: InspectionData): JsonObject => ({ ...d.plugin_data, inventory: d.inventory });

function conditionHolds(c: JsonObject, d: InspectionData): boolean {
  const [scheme, path] = parseField(String(c.field));
  const spec = CONDITIONS[String(c.op)];
  let values = findPath(scheme === 'node' ? d.node : inspectorData(d), path);
  if (!values.length) {
    if (!spec.allowNone) return false;
    values = [null];
  }
  let result = false;
  for (const v of values) {
    result = spec.check(v, c);
    if (c.invert === true) result = !result;
    if (c.multiple === 'first' || (c.multiple === 'all' && !result) || ((c.multiple ?? 'any') === 'any' && result)) break;
  }
  return result;
}

/**
 * Inspector's rules.apply over a copy of the data: rules in scope whose conditions all hold, then their actions in
 * rule order. A `fail` action (or an error) stops the run; the changes before it stay in the returned copy.
 */
export function applyInspectorRules(input: InspectionData, rules: InspectorRule[]): { data: InspectionData; failure: Error | null } {
  const d = structuredClone(input);
  const scope = (d.node.properties as JsonObject | undefined)?.inspection_scope;
  const toApply: InspectorRule[] = [];
  try {
    for (const r of rules) if ((!r.scope || r.scope === scope) && r.conditions.every((c) => conditionHolds(c, d))) toApply.push(r);
    for (const r of toApply) {
      d.log.push(`Applying actions of introspection rule "${r.description ?? r.uuid}" to node ${d.node.uuid}`);
      for (const a of r.actions) {
        const spec = ACTION_PARAMS[String(a.action)];
        const params: JsonObject = { ...a };
        for (const k of spec.formatted) if (k in params) params[k] = interpolate(params[k], { data: inspectorData(d) }) as JsonObject[string];
        spec.run(d, params);
      }
    }
  } catch (err) {
    if (err instanceof HardwareInspectionFailure) return { data: d, failure: err };
    return { data: d, failure: new Error(`Failed to apply introspection rules: ${(err as Error).message}`) };
  }
  return { data: d, failure: null };
}
