/**
 * Deploy and clean steps: collect the steps interfaces declare, order them like Ironic (priority desc, then
 * interface priority), validate user-given steps, and run them one by one. A step answering 'wait' pauses the run;
 * continueSteps resumes at the next index (agent/BMC callback).
 */
import { stepDuration, timed } from '../metrics.ts';
import { InvalidParameterValue, type InterfaceKind, type JsonObject, type NodeRecord, pyRepr, type StepDeclaration, type StepProvider } from '@anvil/sdk';
import type { TaskManager } from '../task/task.ts';

export type StepKind = 'clean' | 'deploy' | 'service';

export interface StepRef {
  interface: string;
  step: string;
  args: JsonObject;
  priority: number;
  abortable?: boolean;
}

/** Flow steps the conductor resolves itself (Ironic 39's reserved step names): user step validation skips them. */
export const RESERVED_STEPS = ['power_on', 'power_off', 'reboot', 'hold', 'wait'];

// Ironic's CLEANING_/DEPLOYING_/SERVICING_INTERFACE_PRIORITY: ties broken by interface (only the order matters)
const IFACE_PRIORITY: Record<StepKind, Record<string, number>> = {
  clean: { vendor: 7, power: 6, management: 5, firmware: 4, deploy: 3, bios: 2, raid: 1 },
  deploy: { vendor: 7, power: 6, management: 5, firmware: 4, deploy: 3, bios: 2, raid: 1, storage: 0.5 },
  service: { network: 8, vendor: 7, power: 6, management: 5, firmware: 4, deploy: 3, bios: 2, raid: 1 },
};
const STEP_KINDS: InterfaceKind[] = ['power', 'management', 'firmware', 'deploy', 'bios', 'raid', 'storage', 'boot', 'vendor'];
const DECLARED = { clean: 'cleanSteps', deploy: 'deploySteps', service: 'serviceSteps' } as const;

function provider(task: TaskManager, kind: InterfaceKind): StepProvider | null {
  try {
    return task.driver.get(kind) as unknown as StepProvider;
  } catch {
    return null;
  }
}

/** The declarations themselves (argsinfo, requires_ramdisk) per interface. */
export function stepDeclarations(task: TaskManager, kind: StepKind): { iface: InterfaceKind; decl: StepDeclaration }[] {
  return STEP_KINDS.flatMap((iface) => (provider(task, iface)?.[DECLARED[kind]] ?? []).map((decl) => ({ iface, decl })));
}

/** Every step the node's interfaces declare (any priority). */
export function declaredSteps(task: TaskManager, kind: StepKind): StepRef[] {
  const out: StepRef[] = [];
  for (const iface of STEP_KINDS) {
    const p = provider(task, iface);
    for (const d of p?.[DECLARED[kind]] ?? []) {
      // Ironic 39: deploy steps are abortable unless declared otherwise, clean and service steps are not
      const abortable = d.abortable ?? kind === 'deploy';
      out.push({ interface: iface, step: d.step, args: {}, priority: d.priority, abortable });
    }
  }
  if (kind === 'deploy' && !out.some((s) => s.interface === 'deploy' && s.step === 'deploy')) {
    out.push({ interface: 'deploy', step: 'deploy', args: {}, priority: 100, abortable: true });
  }
  return out;
}

export function sortSteps(steps: StepRef[], kind: StepKind): StepRef[] {
  const ip = IFACE_PRIORITY[kind];
  return [...steps].sort((a, b) => b.priority - a.priority || (ip[b.interface] ?? 0) - (ip[a.interface] ?? 0));
}

/** Steps run automatically: declared with priority > 0 (+ user deploy steps overriding priorities). */
export function automatedSteps(task: TaskManager, kind: StepKind, user: StepRef[] = []): StepRef[] {
  const byKey = new Map<string, StepRef>();
  for (const s of declaredSteps(task, kind)) byKey.set(`${s.interface}.${s.step}`, s);
  for (const u of user) byKey.set(`${u.interface}.${u.step}`, { ...byKey.get(`${u.interface}.${u.step}`), ...u });
  return sortSteps([...byKey.values()].filter((s) => s.priority > 0), kind);
}

/** Check user steps against what the driver declares (manual clean, deploy_steps). Returns them with flags. */
export function validateUserSteps(task: TaskManager, kind: StepKind, steps: JsonObject[]): StepRef[] {
  const declared = declaredSteps(task, kind);
  const out: StepRef[] = [];
  const unsupported: string[] = [];
  for (const raw of steps) {
    const iface = String(raw.interface ?? '');
    const name = String(raw.step ?? '');
    // Ironic 39 drops flow steps (hold, wait, power actions) and child-node steps from the validated list
    if (RESERVED_STEPS.includes(name) || raw.execute_on_child_nodes) continue;
    const found = declared.find((d) => d.interface === iface && d.step === name);
    if (!found) {
      unsupported.push(JSON.stringify({ interface: iface, step: name }));
      continue;
    }
    const args = (raw.args && typeof raw.args === 'object' && !Array.isArray(raw.args) ? raw.args : {}) as JsonObject;
    const priority = raw.priority === undefined ? found.priority : Number(raw.priority);
    out.push({ interface: iface, step: name, args, priority, abortable: found.abortable });
  }
  if (unsupported.length) {
    throw new InvalidParameterValue(`${kind === 'clean' ? 'Clean' : 'Deploy'} steps are not supported by the driver for node ${task.node.uuid}: ${unsupported.join(', ')}`);
  }
  return out;
}

/** A step as a user gave it (clean_steps / service_steps), annotated by checkUserSteps. */
export type UserStep = JsonObject & { interface?: string; step?: string; args?: JsonObject; abort_after?: boolean };

/**
 * Ironic 39's _validate_user_steps for clean and service steps: flow steps (hold, wait, power actions) and child-node
 * steps are dropped, the rest must be declared (unexpected / missing args, ramdisk needs). Known steps are annotated
 * in place (abortable, priority) even when validation fails, as Ironic's are. Returns the validated list or the
 * joined errors.
 */
export function checkUserSteps(
  kind: 'clean' | 'service',
  known: { iface: string; decl: StepDeclaration }[],
  steps: UserStep[],
  disableRamdisk: boolean,
): { steps: UserStep[]; error: string | null } {
  const declared = new Map(known.map(({ iface, decl }) => [`${iface}.${decl.step}`, decl]));
  const errors: string[] = [];
  const out: UserStep[] = [];
  for (const user of steps) {
    const name = String(user.step ?? '');
    if (user.execute_on_child_nodes || RESERVED_STEPS.includes(name)) continue;
    const decl = declared.get(`${user.interface}.${name}`);
    if (!decl) {
      errors.push(`node does not support this ${kind} step: ${pyRepr(user)}`);
      continue;
    }
    const argsinfo = decl.argsinfo ?? {};
    const args = (user.args ?? {}) as JsonObject;
    const unexpected = Object.keys(args).filter((a) => !(a in argsinfo));
    if (unexpected.length) errors.push(`${kind} step ${pyRepr(user)} has these unexpected arguments: ${unexpected.join(', ')}`);
    const missing = Object.entries(argsinfo).filter(([a, i]) => i.required && !(a in args)).map(([a, i]) => (i.description ? `${a} (${i.description})` : a));
    if (missing.length) errors.push(`${kind} step ${pyRepr(user)} is missing these required arguments: ${missing.join(', ')}`);
    if (disableRamdisk && decl.requires_ramdisk !== false) errors.push(`${kind} step ${pyRepr(user)} requires booting a ramdisk`);
    user.abortable = decl.abortable ?? false;
    user.priority = decl.priority ?? 0;
    out.push(user);
  }
  return { steps: out, error: errors.length ? errors.join('; ') : null };
}

async function executeStep(task: TaskManager, step: StepRef, kind: StepKind): Promise<'done' | 'wait'> {
  const iface = task.driver.get(step.interface as InterfaceKind) as unknown as StepProvider & { deploy?: (t: TaskManager) => Promise<'done' | 'wait'> };
  if (typeof iface.executeStep === 'function') {
    return (await iface.executeStep(task, step.step, step.args ?? {}, kind)) === 'wait' ? 'wait' : 'done';
  }
  if (kind === 'deploy' && step.interface === 'deploy' && step.step === 'deploy' && typeof iface.deploy === 'function') {
    return iface.deploy(task);
  }
  throw new InvalidParameterValue(`The ${step.interface} interface of node ${task.node.uuid} cannot run ${kind} step ${step.step}`);
}

const stepField = (kind: StepKind) => `${kind}_step` as 'clean_step' | 'deploy_step' | 'service_step';

/** Store the plan (with extra internal info) together with the first step, and run from index 0. No steps → 'done', no write. */
export async function startSteps(task: TaskManager, kind: StepKind, steps: StepRef[], extra: Record<string, unknown> = {}): Promise<'done' | 'wait'> {
  if (steps.length === 0) return 'done';
  return runSteps(task, kind, 0, { [`${kind}_steps`]: steps, ...extra });
}

/** Run the stored plan (or `plan` info given by startSteps) from index `from`; 'wait' leaves the current step set. */
export async function runSteps(task: TaskManager, kind: StepKind, from: number, plan?: Record<string, unknown>): Promise<'done' | 'wait'> {
  const steps = ((plan?.[`${kind}_steps`] ?? task.node.driver_internal_info[`${kind}_steps`]) ?? []) as unknown as StepRef[];
  for (let i = from; i < steps.length; i++) {
    const info = task.mergedInternalInfo({ ...(i === from ? plan : {}), [`${kind}_step_index`]: i }) ?? task.node.driver_internal_info;
    await task.saveNode({ [stepField(kind)]: steps[i] as unknown as JsonObject, driver_internal_info: info });
    // anvil_step_duration_seconds: the step's own call (a step that waits for the agent is timed until it yields)
    const step = steps[i];
    if ((await timed(stepDuration, { flow: kind, interface: step.interface, step: step.step }, () => executeStep(task, step, kind))) === 'wait') return 'wait';
  }
  return 'done';
}

/** Index to resume at after a wait. */
export function nextStepIndex(task: TaskManager, kind: StepKind): number {
  const i = task.node.driver_internal_info[`${kind}_step_index`];
  return typeof i === 'number' ? i + 1 : 0;
}

/** Node fields that clear the step bookkeeping (plus `more` internal keys); {} when nothing to clear. */
export function clearedStepFields(task: TaskManager, kind: StepKind, more: Record<string, unknown> = {}): Partial<NodeRecord> {
  const merged = task.mergedInternalInfo({ [`${kind}_step_index`]: null, [`agent_cached_${kind}_steps`]: null, ...more });
  // Ironic's wipe_*_internal_info keeps `<kind>_steps` as null (set_driver_internal_info(..., None)) and deletes the rest
  const info = merged ?? { ...task.node.driver_internal_info };
  // (deploys always end in that wipe; cleaning only when it ran, so an absent clean_steps stays absent)
  const nullSteps = kind === 'deploy' ? info.deploy_steps !== null : info[`${kind}_steps`] !== null && info[`${kind}_steps`] !== undefined;
  if (nullSteps) info[`${kind}_steps`] = null;
  const out: Partial<NodeRecord> = {};
  if (merged || nullSteps) out.driver_internal_info = info;
  if (Object.keys(task.node[stepField(kind)] ?? {}).length > 0) out[stepField(kind)] = {};
  return out;
}

/** Clear the step bookkeeping once a run ends (success or failure); no write when already clear. */
export async function clearSteps(task: TaskManager, kind: StepKind): Promise<void> {
  const fields = clearedStepFields(task, kind);
  if (Object.keys(fields).length) await task.saveNode(fields);
}
