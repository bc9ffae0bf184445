/**
 * Runbook bodies (pure): Ironic 39's runbook schemas — 1.92 (name is a trait) and 1.112 (name is any URL-safe
 * string, description) — its step schema (interface among the cleaning interfaces, `order` an integer ≥ 0 or a
 * string of digits) and the duplicate-step rule, with jsonschema's messages.
 */
import { AnvilError, InvalidParameterValue, type JsonObject, type RunbookStep } from '@anvil/sdk';
import { pyRepr } from '@anvil/sdk';
import { isUuidLike } from './common.ts';
import { isTrait } from './trait.ts';

/** Ironic's CLEANING_INTERFACE_PRIORITY keys, in its order (the step schema's enum). */
export const RUNBOOK_STEP_INTERFACES = ['vendor', 'power', 'management', 'firmware', 'deploy', 'bios', 'raid'];
const NAME_PATTERN = '^[A-Za-z0-9\\-._~]+$';
const NAME_RE = new RegExp(NAME_PATTERN);

class InvalidDeployTemplate extends AnvilError {
  constructor(message: string) {
    super(message, 'InvalidDeployTemplate', 400);
  }
}

export interface RunbookBody {
  uuid?: string;
  name: string;
  description?: string | null;
  steps: RunbookStep[];
  disable_ramdisk: boolean;
  extra: JsonObject;
  public: boolean;
  owner: string | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

type Fail = (why: string) => never;

function typed(v: unknown, types: string, ok: boolean, fail: Fail): void {
  if (!ok) fail(`${pyRepr(v)} is not of type ${types}`);
}

/** One step (RUNBOOK_STEP_SCHEMA); `order` as an integer. */
export function checkRunbookStep(s: unknown, fail: Fail): RunbookStep {
  if (!isObject(s)) return fail(`${pyRepr(s)} is not of type 'object'`);
  if (s.args !== undefined) typed(s.args, "'object'", isObject(s.args), fail);
  if (s.interface !== undefined) {
    typed(s.interface, "'string'", typeof s.interface === 'string', fail);
    if (!RUNBOOK_STEP_INTERFACES.includes(s.interface as string)) fail(`${pyRepr(s.interface)} is not one of ${pyRepr(RUNBOOK_STEP_INTERFACES)}`);
  }
  if (s.step !== undefined) {
    typed(s.step, "'string'", typeof s.step === 'string', fail);
    if ((s.step as string).length < 1) fail("'' should be non-empty");
    if ((s.step as string).length > 255) fail(`${pyRepr(s.step)} is too long`); // the column's size (Ironic: a DB error)
  }
  const o = s.order;
  if (o !== undefined && !((typeof o === 'number' && Number.isInteger(o) && o >= 0) || (typeof o === 'string' && /^[0-9]+$/.test(o))))
    fail(`${pyRepr(o)} is not valid under any of the given schemas`);
  // the column is a 32-bit integer (Ironic's too: a larger order is a database error there, a 400 here)
  if (o !== undefined && Number(o) > 2147483647) fail(`${pyRepr(o)} is greater than the maximum of 2147483647`);
  for (const r of ['interface', 'step', 'order']) if (!(r in s)) fail(`'${r}' is a required property`);
  const extra = Object.keys(s).filter((k) => !['args', 'interface', 'step', 'order'].includes(k));
  if (extra.length) fail(`Additional properties are not allowed (${extra.map((k) => `'${k}'`).join(', ')} ${extra.length > 1 ? 'were' : 'was'} unexpected)`);
  return { interface: String(s.interface), step: String(s.step), args: (s.args ?? {}) as JsonObject, order: Number(o) };
}

/**
 * A whole runbook (create body, or the patched document with `what` = "patch"). modern: the 1.112 schema (also
 * used for every PATCH, as Ironic does).
 */
export function validateRunbook(body: unknown, modern: boolean, what = 'runbook'): RunbookBody {
  const fail: Fail = (why) => {
    throw new InvalidParameterValue(`Schema error for ${what}: ${why}`);
  };
  if (body === undefined) throw new InvalidParameterValue(`Missing argument: "${what}"`);
  if (!isObject(body)) return fail(`${pyRepr(body)} is not of type 'object'`);
  const b = body;
  const optString = (k: string, max: number) => {
    const v = b[k];
    if (v === undefined || v === null) return;
    typed(v, "'string', 'null'", typeof v === 'string', fail);
    if ((v as string).length > max) fail(`${pyRepr(v)} is too long`);
  };
  if (b.uuid !== undefined && b.uuid !== null) typed(b.uuid, "'string', 'null'", typeof b.uuid === 'string', fail);
  if (b.name !== undefined) {
    const n = b.name;
    if (modern) {
      typed(n, "'string'", typeof n === 'string', fail);
      const s = n as string;
      if (s.length < 1) fail("'' should be non-empty");
      if (s.length > 255) fail(`${pyRepr(s)} is too long`);
      if (!NAME_RE.test(s)) fail(`${pyRepr(s)} does not match ${pyRepr(NAME_PATTERN)}`);
    } else if (!isTrait(n)) {
      fail(`${pyRepr(n)} is not valid under any of the given schemas. Possible root cause: ${pyRepr(n)} does not match '^CUSTOM_[A-Z0-9_]+$'`);
    }
  }
  let steps: RunbookStep[] = [];
  if (b.steps !== undefined) {
    typed(b.steps, "'array'", Array.isArray(b.steps), fail);
    if ((b.steps as unknown[]).length === 0) fail('[] should be non-empty');
    steps = (b.steps as unknown[]).map((s) => checkRunbookStep(s, fail));
  }
  for (const k of ['disable_ramdisk', 'public']) if (b[k] !== undefined && b[k] !== null) typed(b[k], "'boolean', 'null'", typeof b[k] === 'boolean', fail);
  if (b.extra !== undefined && b.extra !== null) typed(b.extra, "'object', 'null'", isObject(b.extra), fail);
  optString('owner', 255);
  if (modern) optString('description', 255);
  for (const r of ['steps', 'name']) if (!(r in b)) fail(`'${r}' is a required property`);
  const known = ['uuid', 'name', 'steps', 'disable_ramdisk', 'extra', 'public', 'owner', ...(modern ? ['description'] : [])];
  const extra = Object.keys(b).filter((k) => !known.includes(k));
  if (extra.length) fail(`Additional properties are not allowed (${extra.map((k) => `'${k}'`).join(', ')} ${extra.length > 1 ? 'were' : 'was'} unexpected)`);
  checkDuplicateSteps(steps);
  if (typeof b.uuid === 'string' && !isUuidLike(b.uuid)) throw new InvalidParameterValue(`Expected UUID for uuid: ${b.uuid}`);
  const out: RunbookBody = {
    name: String(b.name),
    steps,
    disable_ramdisk: b.disable_ramdisk === true,
    extra: (b.extra as JsonObject | null) ?? {},
    public: b.public === true,
    owner: (b.owner as string | null | undefined) ?? null,
  };
  if (typeof b.uuid === 'string') out.uuid = b.uuid;
  if (modern && 'description' in b) out.description = (b.description as string | null) ?? null;
  return out;
}

/** Ironic's duplicate_steps (shared with deploy templates in Ironic 39, hence its wording). */
function checkDuplicateSteps(steps: RunbookStep[]): void {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const s of steps) {
    const key = `interface: ${s.interface}, step: ${s.step}`;
    if (seen.has(key)) dup.add(key);
    seen.add(key);
  }
  if (dup.size)
    throw new InvalidDeployTemplate(
      `Deploy template invalid: Duplicate deploy steps. A template cannot have multiple deploy steps with the same interface and step. Duplicates: ${[...dup].join('; ')}.`,
    );
}
