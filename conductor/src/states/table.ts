/**
 * Ironic's provision state machine as data (common/state_machine.py of Ironic 39: 21.4's machine plus the hold states
 * of API 1.85, servicing of 1.87 and abort in `wait call-back` of 1.110): every state with its kind and the target it
 * carries, every event → next state, the API verbs and the microversion each verb needs.
 * Pure: no I/O. The task manager (task/task.ts) applies `applyEvent` to a node.
 */
import { ProvisionState as S } from '@anvil/sdk';

/** `hold`: the hold states of Ironic 39, in none of its STABLE/UNSTABLE/FAILURE sets. */
export type StateKind = 'stable' | 'unstable' | 'failure' | 'hold';

export interface StateInfo {
  kind: StateKind;
  /** target_provision_state the FSM sets while the node sits here (null for stable states). */
  target: string | null;
  /** event → next state */
  on: Readonly<Record<string, string>>;
}

/** User events (fired by API verbs) and conductor events (fired when async work progresses). */
export const USER_EVENTS = ['deploy', 'rebuild', 'delete', 'manage', 'provide', 'inspect', 'clean', 'abort', 'adopt', 'rescue', 'unrescue', 'unhold', 'service'] as const;
export const CONDUCTOR_EVENTS = ['done', 'fail', 'wait', 'resume', 'clean', 'manage', 'hold'] as const;

export const STATES: Readonly<Record<string, StateInfo>> = {
  [S.ENROLL]: { kind: 'stable', target: null, on: { manage: S.VERIFYING } },
  [S.VERIFYING]: { kind: 'unstable', target: S.MANAGEABLE, on: { done: S.MANAGEABLE, fail: S.ENROLL } },
  [S.MANAGEABLE]: {
    kind: 'stable',
    target: null,
    on: { provide: S.CLEANING, clean: S.CLEANING, inspect: S.INSPECTING, adopt: S.ADOPTING },
  },
  [S.AVAILABLE]: { kind: 'stable', target: null, on: { deploy: S.DEPLOYING, manage: S.MANAGEABLE } },
  [S.DEPLOYING]: { kind: 'unstable', target: S.ACTIVE, on: { done: S.ACTIVE, wait: S.DEPLOYWAIT, fail: S.DEPLOYFAIL, hold: S.DEPLOYHOLD } },
  [S.DEPLOYWAIT]: {
    kind: 'unstable',
    target: S.ACTIVE,
    on: { resume: S.DEPLOYING, fail: S.DEPLOYFAIL, delete: S.DELETING, hold: S.DEPLOYHOLD, abort: S.DEPLOYFAIL },
  },
  [S.DEPLOYHOLD]: { kind: 'hold', target: S.ACTIVE, on: { unhold: S.DEPLOYWAIT, abort: S.DEPLOYFAIL } },
  [S.DEPLOYFAIL]: { kind: 'failure', target: S.ACTIVE, on: { rebuild: S.DEPLOYING, deploy: S.DEPLOYING, delete: S.DELETING } },
  [S.ACTIVE]: { kind: 'stable', target: null, on: { rebuild: S.DEPLOYING, delete: S.DELETING, rescue: S.RESCUING, service: S.SERVICING } },
  [S.DELETING]: { kind: 'unstable', target: S.AVAILABLE, on: { clean: S.CLEANING, fail: S.ERROR } },
  [S.CLEANING]: {
    kind: 'unstable',
    target: S.AVAILABLE,
    on: { done: S.AVAILABLE, manage: S.MANAGEABLE, wait: S.CLEANWAIT, fail: S.CLEANFAIL, hold: S.CLEANHOLD },
  },
  [S.CLEANWAIT]: {
    kind: 'unstable',
    target: S.AVAILABLE,
    on: { resume: S.CLEANING, fail: S.CLEANFAIL, abort: S.CLEANFAIL, hold: S.CLEANHOLD },
  },
  [S.CLEANHOLD]: { kind: 'hold', target: S.AVAILABLE, on: { abort: S.CLEANFAIL, unhold: S.CLEANWAIT } },
  [S.CLEANFAIL]: { kind: 'failure', target: S.AVAILABLE, on: { manage: S.MANAGEABLE } },
  [S.ERROR]: { kind: 'stable', target: null, on: { rebuild: S.DEPLOYING, delete: S.DELETING } },
  [S.INSPECTING]: { kind: 'unstable', target: S.MANAGEABLE, on: { done: S.MANAGEABLE, wait: S.INSPECTWAIT, fail: S.INSPECTFAIL } },
  [S.INSPECTWAIT]: { kind: 'unstable', target: S.MANAGEABLE, on: { done: S.MANAGEABLE, fail: S.INSPECTFAIL, abort: S.INSPECTFAIL, resume: S.INSPECTING } },
  [S.INSPECTFAIL]: { kind: 'failure', target: S.MANAGEABLE, on: { manage: S.MANAGEABLE, inspect: S.INSPECTING } },
  [S.ADOPTING]: { kind: 'unstable', target: S.ACTIVE, on: { done: S.ACTIVE, fail: S.ADOPTFAIL } },
  [S.ADOPTFAIL]: { kind: 'failure', target: S.ACTIVE, on: { adopt: S.ADOPTING, manage: S.MANAGEABLE } },
  [S.RESCUING]: { kind: 'unstable', target: S.RESCUE, on: { done: S.RESCUE, wait: S.RESCUEWAIT, fail: S.RESCUEFAIL } },
  [S.RESCUEWAIT]: {
    kind: 'unstable',
    target: S.RESCUE,
    on: { resume: S.RESCUING, fail: S.RESCUEFAIL, abort: S.RESCUEFAIL, delete: S.DELETING },
  },
  [S.RESCUEFAIL]: { kind: 'failure', target: S.RESCUE, on: { rescue: S.RESCUING, unrescue: S.UNRESCUING, delete: S.DELETING } },
  [S.RESCUE]: { kind: 'stable', target: null, on: { rescue: S.RESCUING, unrescue: S.UNRESCUING, delete: S.DELETING } },
  [S.UNRESCUING]: { kind: 'unstable', target: S.ACTIVE, on: { done: S.ACTIVE, fail: S.UNRESCUEFAIL } },
  [S.UNRESCUEFAIL]: { kind: 'failure', target: S.ACTIVE, on: { rescue: S.RESCUING, unrescue: S.UNRESCUING, delete: S.DELETING } },
  [S.SERVICING]: { kind: 'unstable', target: S.ACTIVE, on: { done: S.ACTIVE, fail: S.SERVICEFAIL, wait: S.SERVICEWAIT, hold: S.SERVICEHOLD } },
  [S.SERVICEWAIT]: {
    kind: 'unstable',
    target: S.ACTIVE,
    on: { hold: S.SERVICEHOLD, resume: S.SERVICING, fail: S.SERVICEFAIL, abort: S.SERVICEFAIL, delete: S.DELETING },
  },
  [S.SERVICEHOLD]: {
    kind: 'hold',
    target: S.ACTIVE,
    on: { service: S.SERVICING, unhold: S.SERVICEWAIT, fail: S.SERVICEFAIL, abort: S.SERVICEFAIL },
  },
  [S.SERVICEFAIL]: {
    kind: 'failure',
    target: S.ACTIVE,
    on: { service: S.SERVICING, rescue: S.RESCUING, wait: S.SERVICEWAIT, hold: S.SERVICEHOLD, delete: S.DELETING, abort: S.ACTIVE },
  },
};

/** API verb (PUT /states/provision "target") → FSM event, Ironic's states.VERBS (+ `rebuild`, which is its own event). */
export const VERBS: Readonly<Record<string, string>> = {
  active: 'deploy',
  deploy: 'deploy',
  rebuild: 'rebuild',
  deleted: 'delete',
  undeploy: 'delete',
  manage: 'manage',
  provide: 'provide',
  inspect: 'inspect',
  abort: 'abort',
  clean: 'clean',
  adopt: 'adopt',
  rescue: 'rescue',
  unrescue: 'unrescue',
  unhold: 'unhold',
  service: 'service',
};

/**
 * Minimum API minor version per target (Ironic's MIN_VERB_VERSIONS); absent = 1.1. Ironic keys that table by verb
 * ('delete' for undeploy) but looks the target up in it, so `undeploy` (like `deleted` and `active`) is never
 * refused by version: real Ironic 21.4 answers an undeploy at 1.72 by its state (test/differential).
 */
export const VERB_MIN_VERSION: Readonly<Record<string, number>> = {
  manage: 4,
  provide: 4,
  inspect: 6,
  abort: 13,
  clean: 15,
  adopt: 17,
  rescue: 38,
  unrescue: 38,
  deploy: 73,
};

/** abort from `inspect wait` needs 1.41; from `wait call-back` 1.110. */
export const INSPECT_ABORT_MIN_VERSION = 41;
export const DEPLOY_ABORT_MIN_VERSION = 110;

/**
 * Verbs Ironic checks for version only after the state check (node.py provision(): `unhold` 1.85, `service` 1.87),
 * so an older request in a wrong state is still a 400 InvalidStateRequested.
 */
export const LATE_VERB_MIN_VERSION: Readonly<Record<string, number>> = { unhold: 85, service: 87 };

/** Verbs a user may send whose state change is synchronous (no worker): the RPC returns with the node moved. */
export const SYNC_MANAGE_FROM: readonly string[] = [S.AVAILABLE, S.CLEANFAIL, S.INSPECTFAIL, S.ADOPTFAIL];

export const STABLE_STATES = Object.keys(STATES).filter((s) => STATES[s].kind === 'stable');
export const UNSTABLE_STATES = Object.keys(STATES).filter((s) => STATES[s].kind === 'unstable');
export const FAILURE_STATES = Object.keys(STATES).filter((s) => STATES[s].kind === 'failure');

/** Unreserved nodes found in these on takeover / conductor start get `fail` (Ironic STUCK_STATES_TREATED_AS_FAIL). */
export const STUCK_STATES_TREATED_AS_FAIL: readonly string[] = [
  S.DEPLOYING,
  S.CLEANING,
  S.VERIFYING,
  S.INSPECTING,
  S.ADOPTING,
  S.RESCUING,
  S.UNRESCUING,
  S.DELETING,
  S.SERVICING,
];

/** States waiting for a ramdisk/BMC callback: kept on takeover (the callback may still arrive), timed out periodically. */
export const WAIT_STATES: readonly string[] = [S.DEPLOYWAIT, S.CLEANWAIT, S.RESCUEWAIT, S.INSPECTWAIT, S.SERVICEWAIT];

/** PATCH allowed even while a target is set (Ironic 39's list also names the verb `service`, never a state). */
export const UPDATE_ALLOWED_STATES: readonly string[] = [
  S.DEPLOYFAIL,
  S.INSPECTING,
  S.INSPECTFAIL,
  S.INSPECTWAIT,
  S.CLEANFAIL,
  S.ERROR,
  S.VERIFYING,
  S.ADOPTFAIL,
  S.RESCUEFAIL,
  S.UNRESCUEFAIL,
  S.SERVICEHOLD,
  S.SERVICEFAIL,
];

export const DELETE_ALLOWED_STATES: readonly string[] = [S.MANAGEABLE, S.ENROLL, S.ADOPTFAIL];

export function isKnownState(state: string): boolean {
  return Object.hasOwn(STATES, state);
}

export function isStable(state: string): boolean {
  return STATES[state]?.kind === 'stable';
}

/** Next state for `event` from `state`, or null when the event is not allowed there. */
export function nextState(state: string, event: string): string | null {
  const info = STATES[state];
  if (!info || !Object.hasOwn(info.on, event)) return null;
  return info.on[event];
}

export function isActionable(state: string, event: string): boolean {
  return nextState(state, event) !== null;
}

/** Events allowed from a state, for messages and tests. */
export function eventsFrom(state: string): string[] {
  return Object.keys(STATES[state]?.on ?? {});
}

/** The event an API verb fires, or null for an unknown verb. */
export function eventForVerb(verb: string): string | null {
  return Object.hasOwn(VERBS, verb) ? VERBS[verb] : null;
}

export interface Transition {
  from: string;
  event: string;
  provision_state: string;
  target_provision_state: string | null;
}

/**
 * Apply an event like Ironic's TaskManager.process_event + fsm.FSM:
 * the target is the explicit one if given, else the new state's FSM target; when no async work follows
 * (`async` false) and the new state is stable, the target is cleared. Returns null when not allowed.
 */
export function applyEvent(
  state: string,
  event: string,
  opts: { targetState?: string | null; async?: boolean } = {},
): Transition | null {
  const next = nextState(state, event);
  if (next === null) return null;
  let target: string | null = opts.targetState ?? STATES[next].target;
  if (!opts.async && STATES[next].kind === 'stable') target = null;
  return { from: state, event, provision_state: next, target_provision_state: target };
}

/** Ironic's InvalidStateRequested text. */
export function invalidStateMessage(action: string, node: string, state: string | null): string {
  return `The requested action "${action}" can not be performed on node "${node}" while it is in state "${state}".`;
}

/** Transitions the conductor fires internally; Ironic's API lets them through in theory, Anvil rejects them. */
const INTERNAL_ONLY: readonly string[] = [`${S.CLEANING}|manage`, `${S.DELETING}|clean`];

/** Whether an API verb may be sent in a state (unknown verb → false). */
export function isVerbActionable(state: string, verb: string): boolean {
  const event = eventForVerb(verb);
  if (event === null || INTERNAL_ONLY.includes(`${state}|${event}`)) return false;
  return isActionable(state, event);
}
