/**
 * The inspection rules engine (Ironic's inspection_rules/engine.py, base.py, validation.py), pure: validate a rule
 * as the API does, normalise list/dict arguments against the op's signature, check conditions (with `!` negation,
 * loop and multiple), apply actions, highest priority first; a `fail` action or an error stops the run.
 */
import { HardwareInspectionFailure, type InspectionData, type JsonObject } from '@anvil/sdk';
import { isObj } from '../hooks/util.ts';
import { interpolate, pyRepr } from './format.ts';
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

const SCHEMA_KEYS = ['uuid', 'priority', 'description', 'sensitive', 'phase', 'conditions', 'actions'];

/** The first error jsonschema would report for Ironic's rule schema (its wording), or null. */
function schemaError(rule: JsonObject): string | null {
  const extra = Object.keys(rule).filter((k) => !SCHEMA_KEYS.includes(k));
  if (extra.length) return `Additional properties are not allowed (${extra.map((k) => `'${k}'`).join(', ')} ${extra.length > 1 ? 'were' : 'was'} unexpected)`;
  if (!('actions' in rule)) return "'actions' is a required property";
  const typed = (v: unknown, types: string[], ok: boolean) => (ok ? null : `${pyRepr(v)} is not of type ${types.map((t) => `'${t}'`).join(', ')}`);
  const { uuid, priority, description, sensitive, phase, conditions, actions } = rule;
  const checks: (string | null)[] = [
    uuid === undefined ? null : typed(uuid, ['string', 'null'], uuid === null || typeof uuid === 'string'),
    priority === undefined ? null : typed(priority, ['integer'], Number.isInteger(priority)) ?? ((priority as number) < 0 ? `${priority} is less than the minimum of 0` : null),
    description === undefined ? null : typed(description, ['string', 'null'], description === null || typeof description === 'string') ?? (typeof description === 'string' && description.length > 255 ? `${pyRepr(description)} is too long` : null),
    sensitive === undefined ? null : typed(sensitive, ['boolean', 'null'], sensitive === null || typeof sensitive === 'boolean'),
    phase === undefined ? null : typed(phase, ['string', 'null'], phase === null || typeof phase === 'string') ?? (typeof phase === 'string' && phase.length > 16 ? `${pyRepr(phase)} is too long` : null),
    conditions === undefined || conditions === null ? null : typed(conditions, ['array'], Array.isArray(conditions)) ?? itemsError(conditions as unknown[], [...Object.keys(OPERATORS), ...Object.keys(OPERATORS).map((o) => `!${o}`)], true),
    typed(actions, ['array'], Array.isArray(actions)) ?? ((actions as unknown[]).length < 1 ? '[] should be non-empty' : itemsError(actions as unknown[], [...Object.keys(ACTIONS), 'api-call'], false)),
  ];
  return checks.find((c) => c) ?? null;
}

function itemsError(items: unknown[], ops: string[], condition: boolean): string | null {
  for (const item of items) {
    if (!isObj(item)) return `${pyRepr(item)} is not of type 'object'`;
    for (const k of ['op', 'args']) if (!(k in item)) return `'${k}' is a required property`;
    if (!ops.includes(item.op as string)) return `${pyRepr(item.op)} is not one of [${ops.map((o) => `'${o}'`).join(', ')}]`;
    if (!Array.isArray(item.args) && !isObj(item.args)) return `${pyRepr(item.args)} is not of type 'array', 'object'`;
    if (condition && 'multiple' in item && !['any', 'all', 'first', 'last'].includes(item.multiple as string)) return `${pyRepr(item.multiple)} is not one of ['any', 'all', 'first', 'last']`;
    if ('loop' in item && !Array.isArray(item.loop) && !isObj(item.loop)) return `${pyRepr(item.loop)} is not of type 'array', 'object'`;
  }
  return null;
}

/**
 * The API's validation of a rule body, in Ironic's order: its JSON schema ("Schema error: …", the first error), then
 * validate_rule (phase, priority range, each op's arguments against its signature). Returns the 400 text or null.
 */
export function validateRule(rule: JsonObject, builtIn = false): string | null {
  const schema = builtIn ? null : schemaError(rule);
  if (schema) return `Schema error: ${schema}`;
  const errors: string[] = [];
  const phase = rule.phase ?? 'main';
  if (phase !== 'main') errors.push(`Invalid phase: ${phase}. Valid phases are: main`);
  const priority = typeof rule.priority === 'number' ? rule.priority : 0;
  if (priority < 0 && !builtIn) errors.push('Priority cannot be negative for user-defined rules.');
  if (priority > 9999 && !builtIn) errors.push('Priority must be between 0 and 9999 for user-defined rules.');
  const each = (items: unknown, table: Record<string, OpSpec>, what: string, negatable: boolean) => {
    if (!Array.isArray(items)) return;
    for (const item of items) {
      if (!isObj(item) || typeof item.op !== 'string' || (!Array.isArray(item.args) && !isObj(item.args))) {
        errors.push(`Invalid ${what}: ${pyRepr(item)}`);
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
      if (!negatable && name === 'api-call') {
        errors.push('Unsupported action operator: api-call (Anvil makes no HTTP calls from inspection rules)');
        continue;
      }
      if (!spec || (!negatable && item.op.startsWith('!'))) {
        errors.push(`Unsupported ${what} operator: ${item.op}`);
        continue;
      }
      const bad = checkSignature(spec, item.args);
      if (bad) errors.push(`Invalid parameters for ${what} operator ${name}: ${bad}`);
    }
  };
  each(rule.conditions ?? [], OPERATORS, 'condition', true);
  each(rule.actions ?? [], ACTIONS, 'action', false);
  if (!errors.length) return null;
  return errors.length === 1 ? errors[0] : `Multiple validation errors occurred: ${errors.join('; ')}`;
}

/** What a rule reads: the data, and the keys that read as '***' (none when masking is off for the rule). */
interface RuleContext {
  data: Record<string, unknown>;
  masked: readonly string[];
}

function processArgs(spec: OpSpec, op: JsonObject, ctx: RuleContext, loop: boolean): Record<string, unknown> {
  const a = normalizeArgs(spec, op.args ?? {});
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(a)) out[k] = spec.formatted.includes(k) || loop ? interpolate(v, ctx.data, ctx.masked) : v;
  return out;
}

function checkCondition(cond: JsonObject, ctx: RuleContext, item?: { item: unknown }): boolean {
  const [name, inverted] = parseOp(String(cond.op));
  const spec = OPERATORS[name];
  if (!spec) throw new RuleError('condition', `Unsupported operator: '${name}'. Supported operators are: ${Object.keys(OPERATORS).join(', ')}.`);
  const a = processArgs(spec, cond, item ? { data: { ...ctx.data, ...item }, masked: ctx.masked } : ctx, Boolean(item));
  if (item && 'force_strings' in spec.optional) a.force_strings = true;
  const result = spec.check({ ...spec.optional, ...a });
  return inverted ? !result : result;
}

function conditionHolds(cond: JsonObject, ctx: RuleContext): boolean {
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

function runAction(action: JsonObject, d: InspectionData, ctx: RuleContext): void {
  const name = String(action.op);
  const spec = ACTIONS[name];
  if (!spec) throw new RuleError('action', `Unsupported action: '${name}'. Supported actions are: ${Object.keys(ACTIONS).join(', ')}.`);
  const loop = action.loop;
  const items = Array.isArray(loop) && loop.length ? loop : isObj(loop) && Object.keys(loop).length ? [loop] : null;
  for (const item of items ?? [undefined]) {
    const a = processArgs(spec, action, item === undefined ? ctx : { data: { ...ctx.data, item }, masked: ctx.masked }, item !== undefined);
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
      const ctx = (): RuleContext => ({ data: { node: d.node, inventory: d.inventory, plugin_data: d.plugin_data }, masked: masked ? SENSITIVE_FIELDS : [] });
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
