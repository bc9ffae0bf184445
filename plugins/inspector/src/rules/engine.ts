/**
 * The inspection rules engine (Ironic's inspection_rules/engine.py, base.py, validation.py), pure: validate a rule
 * as the API does, normalise list/dict arguments against the op's signature, check conditions (with `!` negation,
 * loop and multiple), apply actions, highest priority first; a `fail` action or an error stops the run.
 */
import { HardwareInspectionFailure, type InspectionData, type JsonObject } from '@anvil/sdk';
import { isObj } from '../hooks/util.ts';
import { interpolate } from './format.ts';
import { ACTIONS, type OpSpec, OPERATORS, RuleError } from './ops.ts';

export interface InspectionRule {
  uuid: string;
  description?: string | null;
  priority: number;
  sensitive: boolean;
  phase: string;
  conditions: JsonObject[];
  actions: JsonObject[];
  built_in?: boolean;
}

/** A rule that could not be evaluated (Ironic's RuleConditionCheckFailure / RuleActionExecutionFailure texts). */
export class RuleFailure extends Error {}

export const SENSITIVE_FIELDS = ['password', 'auth_token', 'bmc_password'];
export type MaskSecrets = 'always' | 'never' | 'sensitive';

/** Ironic's parse_inverted_operator. */
export function parseOp(op: string): [string, boolean] {
  const s = op.trim();
  if ((s.match(/!/g) ?? []).length > 1) {
    throw new RuleError('validation', 'Multiple exclamation marks are not allowed. To apply the invert of an operation, simply add an exclamation mark (with an optional space) before the operator, e.g. eq - !eq.');
  }
  return [s.replace(/^!/, '').trim(), s.startsWith('!')];
}

/** List args are positional against (required..., optional...); dict args are taken as named. */
export function normalizeArgs(spec: OpSpec, args: unknown): Record<string, unknown> {
  if (isObj(args)) return { ...args, ...(spec.pluginData ? { plugin_data: {} } : {}) };
  if (!Array.isArray(args)) throw new RuleError('validation', 'args must be either a list or dictionary');
  const list = spec.pluginData ? [...args, {}] : [...args];
  if (list.length < spec.required.length) throw new RuleError('validation', `Not enough arguments provided. Missing: ${spec.required.slice(list.length).join(', ')}`);
  const out: Record<string, unknown> = {};
  spec.required.forEach((n, i) => {
    out[n] = list[i];
  });
  Object.keys(spec.optional).forEach((n, i) => {
    if (spec.required.length + i < list.length) out[n] = list[spec.required.length + i];
  });
  return out;
}

function checkSignature(spec: OpSpec, args: unknown): string | null {
  let a: Record<string, unknown>;
  try {
    a = normalizeArgs(spec, args);
  } catch (e) {
    return (e as Error).message;
  }
  const missing = spec.required.filter((n) => !(n in a));
  const unexpected = Object.keys(a).filter((n) => !spec.required.includes(n) && !(n in spec.optional));
  const msg: string[] = [];
  if (missing.length) msg.push(`missing required argument(s): ${missing.join(', ')}`);
  if (unexpected.length) msg.push(`unexpected argument(s): ${unexpected.join(', ')}`);
  return msg.length ? msg.join('; ') : null;
}

/** The API's validation of a rule body; returns the error text (a 400 "Invalid") or null. */
export function validateRule(rule: JsonObject, builtIn = false): string | null {
  const allowed = new Set(['uuid', 'priority', 'description', 'sensitive', 'phase', 'conditions', 'actions']);
  const errors: string[] = [];
  const schema = (m: string) => errors.push(`Validation failed for inspection rule: ${m}`);
  for (const k of Object.keys(rule)) if (!allowed.has(k)) schema(`Additional properties are not allowed ('${k}' was unexpected)`);
  if (!('actions' in rule)) schema("'actions' is a required property");
  if ('priority' in rule && !Number.isInteger(rule.priority)) schema(`${JSON.stringify(rule.priority)} is not of type 'integer'`);
  if (rule.description !== undefined && rule.description !== null && (typeof rule.description !== 'string' || rule.description.length > 255)) schema('description must be a string of at most 255 characters');
  if (rule.sensitive !== undefined && rule.sensitive !== null && typeof rule.sensitive !== 'boolean') schema(`${JSON.stringify(rule.sensitive)} is not of type 'boolean', 'null'`);
  const conditions = rule.conditions ?? [];
  const actions = rule.actions;
  if (!Array.isArray(conditions)) schema(`${JSON.stringify(conditions)} is not of type 'array'`);
  if (actions !== undefined && (!Array.isArray(actions) || actions.length < 1)) schema(Array.isArray(actions) ? '[] should be non-empty' : `${JSON.stringify(actions)} is not of type 'array'`);
  const phase = rule.phase ?? 'main';
  if (phase !== 'main') errors.push(`Invalid phase: ${phase}. Valid phases are: main`);
  const priority = typeof rule.priority === 'number' ? rule.priority : 0;
  if (priority < 0 && !builtIn) errors.push('Priority cannot be negative for user-defined rules.');
  if (priority > 9999 && !builtIn) errors.push('Priority must be between 0 and 9999 for user-defined rules.');
  const each = (items: unknown, table: Record<string, OpSpec>, what: string, negatable: boolean) => {
    if (!Array.isArray(items)) return;
    for (const item of items) {
      if (!isObj(item) || typeof item.op !== 'string' || !('args' in item)) {
        schema(`${JSON.stringify(item)} must be an object with 'op' and 'args'`);
        continue;
      }
      if (!Array.isArray(item.args) && !isObj(item.args)) {
        schema(`${JSON.stringify(item.args)} is not of type 'array', 'object'`);
        continue;
      }
      let name = item.op;
      if (negatable) {
        try {
          name = parseOp(item.op)[0];
        } catch (e) {
          errors.push((e as Error).message);
          continue;
        }
      }
      const spec = table[name];
      if (!spec || (!negatable && item.op.startsWith('!'))) {
        schema(`'${item.op}' is not one of [${Object.keys(table).map((k) => `'${k}'`).join(', ')}]`);
        continue;
      }
      const bad = checkSignature(spec, item.args);
      if (bad) errors.push(`Invalid parameters for ${what} operator ${name}: ${bad}`);
    }
  };
  each(conditions, OPERATORS, 'condition', true);
  each(actions, ACTIONS, 'action', false);
  if (!errors.length) return null;
  return errors.length === 1 ? errors[0] : `Multiple validation errors occurred: ${errors.join('; ')}`;
}

/** ShallowMaskDict: sensitive keys read as "***". */
function mask(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(mask);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, SENSITIVE_FIELDS.includes(k) ? '***' : mask(x)]));
  return v;
}

function processArgs(spec: OpSpec, op: JsonObject, ctx: Record<string, unknown>, loop: boolean): Record<string, unknown> {
  const a = normalizeArgs(spec, op.args ?? {});
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(a)) out[k] = spec.formatted.includes(k) || loop ? interpolate(v, ctx) : v;
  return out;
}

function checkCondition(cond: JsonObject, ctx: Record<string, unknown>, item?: { item: unknown }): boolean {
  const [name, inverted] = parseOp(String(cond.op));
  const spec = OPERATORS[name];
  if (!spec) throw new RuleError('condition', `Unsupported operator: '${name}'. Supported operators are: ${Object.keys(OPERATORS).join(', ')}.`);
  const a = processArgs(spec, cond, item ? { ...ctx, ...item } : ctx, Boolean(item));
  if (item && 'force_strings' in spec.optional) a.force_strings = true;
  const result = spec.check({ ...spec.optional, ...a });
  return inverted ? !result : result;
}

function conditionHolds(cond: JsonObject, ctx: Record<string, unknown>): boolean {
  const loop = cond.loop;
  const hasLoop = Array.isArray(loop) ? loop.length > 0 : isObj(loop) && Object.keys(loop).length > 0;
  if (!hasLoop) return checkCondition(cond, ctx);
  const multiple = typeof cond.multiple === 'string' ? cond.multiple : 'any';
  if (isObj(loop)) return checkCondition(cond, ctx, { item: loop });
  let results: boolean[] = [];
  for (const item of loop as unknown[]) {
    const r = checkCondition(cond, ctx, { item });
    results.push(r);
    if (multiple === 'first' && r) return true;
    if (multiple === 'last') results = [r];
  }
  if (multiple === 'any') return results.some(Boolean);
  if (multiple === 'all') return results.every(Boolean);
  return results[0] ?? false;
}

function runAction(action: JsonObject, d: InspectionData, ctx: Record<string, unknown>): void {
  const name = String(action.op);
  const spec = ACTIONS[name];
  if (!spec) throw new RuleError('action', `Unsupported action: '${name}'. Supported actions are: ${Object.keys(ACTIONS).join(', ')}.`);
  const loop = action.loop;
  const items = Array.isArray(loop) && loop.length ? loop : isObj(loop) && Object.keys(loop).length ? [loop] : null;
  for (const item of items ?? [undefined]) {
    const a = processArgs(spec, action, item === undefined ? ctx : { ...ctx, item }, item !== undefined);
    spec.run(d, { ...spec.optional, ...a });
  }
}

/**
 * Apply the rules of a phase to a copy of the data (priority high → low). Returns the changed copy and, when a rule
 * failed, the failure: the effects of the actions before it stay (Ironic saves each action as it goes).
 */
export function applyRules(input: InspectionData, rules: InspectionRule[], opts: { maskSecrets?: MaskSecrets; phase?: string } = {}): { data: InspectionData; failure: Error | null } {
  const d = structuredClone(input);
  const phase = opts.phase ?? 'main';
  const ordered = rules.filter((r) => (r.phase ?? 'main') === phase).sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0));
  for (const rule of ordered) {
    const masked = opts.maskSecrets === 'never' ? false : opts.maskSecrets === 'sensitive' ? !rule.sensitive : true;
    try {
      const ctx = () => ({ node: d.node, inventory: masked ? mask(d.inventory) : d.inventory, plugin_data: masked ? mask(d.plugin_data) : d.plugin_data });
      if (!(rule.conditions ?? []).every((c) => conditionHolds(c, ctx()))) continue;
      d.log.push(`Applying actions for rule ${rule.uuid} to node ${d.node.uuid}`);
      for (const action of rule.actions) runAction(action, d, ctx());
    } catch (err) {
      if (err instanceof HardwareInspectionFailure) return { data: d, failure: err };
      if (err instanceof RuleError) {
        const reason = err.kind === 'condition' ? 'Inspection rule condition check failed' : err.kind === 'action' ? 'Inspection rule action execution failed' : 'Inspection rule validation failed';
        return { data: d, failure: new RuleFailure(`${reason}. Reason: ${err.message}`) };
      }
      return { data: d, failure: new RuleFailure(`Failed to apply rule ${rule.uuid} to node ${d.node.uuid}: ${(err as Error).message}`) };
    }
  }
  return { data: d, failure: null };
}
