import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_PROVISION_STATES } from '@anvil/sdk';
import {
  STATES,
  VERBS,
  VERB_MIN_VERSION,
  applyEvent,
  eventForVerb,
  invalidStateMessage,
  isActionable,
  nextState,
  STABLE_STATES,
  UNSTABLE_STATES,
  FAILURE_STATES,
} from './table.ts';

// Independent transcription of Ironic 39 common/state_machine.py add_transition lines: [from, event, to].
const IRONIC_TRANSITIONS: [string, string, string][] = [
  ['available', 'deploy', 'deploying'],
  ['deploying', 'fail', 'deploy failed'],
  ['deploy failed', 'rebuild', 'deploying'],
  ['deploy failed', 'deploy', 'deploying'],
  ['deploying', 'wait', 'wait call-back'],
  ['wait call-back', 'resume', 'deploying'],
  ['wait call-back', 'fail', 'deploy failed'],
  ['deploying', 'done', 'active'],
  ['active', 'rebuild', 'deploying'],
  ['active', 'delete', 'deleting'],
  ['wait call-back', 'delete', 'deleting'],
  ['deploy failed', 'delete', 'deleting'],
  ['deleting', 'fail', 'error'],
  ['deleting', 'clean', 'cleaning'],
  ['cleaning', 'done', 'available'],
  ['cleaning', 'fail', 'clean failed'],
  ['clean wait', 'fail', 'clean failed'],
  ['clean wait', 'abort', 'clean failed'],
  ['cleaning', 'wait', 'clean wait'],
  ['clean wait', 'resume', 'cleaning'],
  ['clean failed', 'manage', 'manageable'],
  ['manageable', 'provide', 'cleaning'],
  ['manageable', 'clean', 'cleaning'],
  ['cleaning', 'manage', 'manageable'],
  ['available', 'manage', 'manageable'],
  ['error', 'rebuild', 'deploying'],
  ['error', 'delete', 'deleting'],
  ['manageable', 'inspect', 'inspecting'],
  ['inspecting', 'done', 'manageable'],
  ['inspecting', 'fail', 'inspect failed'],
  ['inspecting', 'wait', 'inspect wait'],
  ['inspect wait', 'done', 'manageable'],
  ['inspect wait', 'fail', 'inspect failed'],
  ['inspect wait', 'abort', 'inspect failed'],
  ['inspect wait', 'resume', 'inspecting'], // continue_inspection (Ironic ≥ 2023.2, in-band inspection)
  ['inspect failed', 'manage', 'manageable'],
  ['inspect failed', 'inspect', 'inspecting'],
  ['active', 'rescue', 'rescuing'],
  ['rescuing', 'done', 'rescue'],
  ['rescuing', 'wait', 'rescue wait'],
  ['rescue wait', 'resume', 'rescuing'],
  ['rescue', 'rescue', 'rescuing'],
  ['rescue', 'delete', 'deleting'],
  ['rescue wait', 'fail', 'rescue failed'],
  ['rescuing', 'fail', 'rescue failed'],
  ['rescue wait', 'abort', 'rescue failed'],
  ['rescue failed', 'rescue', 'rescuing'],
  ['rescue failed', 'unrescue', 'unrescuing'],
  ['rescue failed', 'delete', 'deleting'],
  ['rescue wait', 'delete', 'deleting'],
  ['rescue', 'unrescue', 'unrescuing'],
  ['unrescuing', 'done', 'active'],
  ['unrescuing', 'fail', 'unrescue failed'],
  ['unrescue failed', 'rescue', 'rescuing'],
  ['unrescue failed', 'unrescue', 'unrescuing'],
  ['unrescue failed', 'delete', 'deleting'],
  ['enroll', 'manage', 'verifying'],
  ['verifying', 'done', 'manageable'],
  ['verifying', 'fail', 'enroll'],
  ['manageable', 'adopt', 'adopting'],
  ['adopting', 'done', 'active'],
  ['adopting', 'fail', 'adopt failed'],
  ['adopt failed', 'adopt', 'adopting'],
  ['adopt failed', 'manage', 'manageable'],
  // Ironic 39: hold steps (1.85), abort in wait call-back (1.110), servicing (1.87)
  ['deploying', 'hold', 'deploy hold'],
  ['wait call-back', 'hold', 'deploy hold'],
  ['deploy hold', 'unhold', 'wait call-back'],
  ['deploy hold', 'abort', 'deploy failed'],
  ['wait call-back', 'abort', 'deploy failed'],
  ['cleaning', 'hold', 'clean hold'],
  ['clean wait', 'hold', 'clean hold'],
  ['clean hold', 'abort', 'clean failed'],
  ['clean hold', 'unhold', 'clean wait'],
  ['servicing', 'done', 'active'],
  ['active', 'service', 'servicing'],
  ['servicing', 'fail', 'service failed'],
  ['servicing', 'wait', 'service wait'],
  ['servicing', 'hold', 'service hold'],
  ['service wait', 'hold', 'service hold'],
  ['service hold', 'service', 'servicing'],
  ['service hold', 'unhold', 'service wait'],
  ['service wait', 'resume', 'servicing'],
  ['service wait', 'fail', 'service failed'],
  ['service hold', 'fail', 'service failed'],
  ['service wait', 'abort', 'service failed'],
  ['service hold', 'abort', 'service failed'],
  ['service failed', 'service', 'servicing'],
  ['service failed', 'rescue', 'rescuing'],
  ['service failed', 'wait', 'service wait'],
  ['service failed', 'hold', 'service hold'],
  ['service failed', 'delete', 'deleting'],
  ['service failed', 'abort', 'active'],
  ['service wait', 'delete', 'deleting'],
];

const ALL_EVENTS = ['deploy', 'rebuild', 'delete', 'manage', 'provide', 'inspect', 'clean', 'abort', 'adopt', 'rescue', 'unrescue', 'done', 'fail', 'wait', 'resume', 'hold', 'unhold', 'service'];

test('the table has exactly the SDK provision states', () => {
  assert.deepEqual(Object.keys(STATES).sort(), [...ALL_PROVISION_STATES].sort());
});

test('state kinds match Ironic STABLE/UNSTABLE sets', () => {
  assert.deepEqual(STABLE_STATES.sort(), ['active', 'available', 'enroll', 'error', 'manageable', 'rescue']);
  assert.deepEqual(
    UNSTABLE_STATES.sort(),
    ['adopting', 'clean wait', 'cleaning', 'deleting', 'deploying', 'inspect wait', 'inspecting', 'rescue wait', 'rescuing', 'service wait', 'servicing', 'unrescuing', 'verifying', 'wait call-back'],
  );
  assert.deepEqual(FAILURE_STATES.sort(), ['adopt failed', 'clean failed', 'deploy failed', 'inspect failed', 'rescue failed', 'service failed', 'unrescue failed']);
});

test('every Ironic transition is allowed and lands on the right state', () => {
  for (const [from, event, to] of IRONIC_TRANSITIONS) assert.equal(nextState(from, event), to, `${from} --${event}-->`);
});

test('every other (state, event) pair is rejected', () => {
  const allowed = new Set(IRONIC_TRANSITIONS.map(([f, e]) => `${f}|${e}`));
  let rejected = 0;
  for (const state of ALL_PROVISION_STATES) {
    for (const event of ALL_EVENTS) {
      const key = `${state}|${event}`;
      assert.equal(isActionable(state, event), allowed.has(key), key);
      if (!allowed.has(key)) rejected++;
    }
  }
  assert.equal(rejected, ALL_PROVISION_STATES.length * ALL_EVENTS.length - IRONIC_TRANSITIONS.length);
});

test('every verb from every state: allowed exactly where Ironic allows it', () => {
  const allowedFrom: Record<string, string[]> = {
    active: ['available', 'deploy failed'],
    deploy: ['available', 'deploy failed'],
    rebuild: ['active', 'deploy failed', 'error'],
    deleted: ['active', 'wait call-back', 'deploy failed', 'error', 'rescue', 'rescue wait', 'rescue failed', 'unrescue failed', 'service failed', 'service wait'],
    undeploy: ['active', 'wait call-back', 'deploy failed', 'error', 'rescue', 'rescue wait', 'rescue failed', 'unrescue failed', 'service failed', 'service wait'],
    // manage from cleaning is an internal conductor transition, reachable via the API only in theory
    manage: ['enroll', 'available', 'clean failed', 'inspect failed', 'adopt failed', 'cleaning'],
    provide: ['manageable'],
    inspect: ['manageable', 'inspect failed'],
    clean: ['manageable', 'deleting'],
    abort: ['clean wait', 'rescue wait', 'inspect wait', 'wait call-back', 'deploy hold', 'clean hold', 'service wait', 'service hold', 'service failed'],
    adopt: ['manageable', 'adopt failed'],
    rescue: ['active', 'rescue', 'rescue failed', 'unrescue failed', 'service failed'],
    unrescue: ['rescue', 'rescue failed', 'unrescue failed'],
    unhold: ['deploy hold', 'clean hold', 'service hold'],
    service: ['active', 'service hold', 'service failed'],
  };
  assert.deepEqual(Object.keys(VERBS).sort(), Object.keys(allowedFrom).sort());
  for (const [verb, froms] of Object.entries(allowedFrom)) {
    const event = eventForVerb(verb)!;
    for (const state of ALL_PROVISION_STATES) {
      assert.equal(isActionable(state, event), froms.includes(state), `${verb} from ${state}`);
    }
  }
  assert.equal(eventForVerb('done'), null);
  assert.equal(eventForVerb('power on'), null);
});

test('verb minimum microversions follow Ironic MIN_VERB_VERSIONS', () => {
  const min: Record<string, number> = { ...VERB_MIN_VERSION };
  assert.equal(min.active, undefined);
  assert.equal(min.deleted, undefined);
  assert.equal(min.rebuild, undefined);
  assert.deepEqual(min, {
    manage: 4, provide: 4, inspect: 6, abort: 13, clean: 15, adopt: 17, rescue: 38, unrescue: 38, deploy: 73,
  });
});

test('applyEvent sets targets like TaskManager.process_event', () => {
  assert.deepEqual(applyEvent('available', 'deploy', { async: true }), {
    from: 'available', event: 'deploy', provision_state: 'deploying', target_provision_state: 'active',
  });
  // synchronous manage to a stable state clears the target
  assert.equal(applyEvent('available', 'manage')!.target_provision_state, null);
  assert.equal(applyEvent('deploying', 'done')!.target_provision_state, null);
  // failure states keep their target
  assert.equal(applyEvent('deploying', 'fail')!.target_provision_state, 'active');
  assert.equal(applyEvent('cleaning', 'fail', { targetState: 'manageable' })!.target_provision_state, 'manageable');
  // manual clean passes an explicit target
  assert.equal(applyEvent('manageable', 'clean', { async: true, targetState: 'manageable' })!.target_provision_state, 'manageable');
  assert.equal(applyEvent('manageable', 'provide', { async: true })!.target_provision_state, 'available');
  assert.equal(applyEvent('enroll', 'manage', { async: true })!.target_provision_state, 'manageable');
  assert.equal(applyEvent('verifying', 'fail')!.target_provision_state, null);
  assert.equal(applyEvent('wait call-back', 'delete', { async: true })!.target_provision_state, 'available');
  assert.equal(applyEvent('active', 'rescue', { async: true })!.target_provision_state, 'rescue');
  assert.equal(applyEvent('active', 'done'), null);
  // Ironic 39: servicing targets active; abort from service failed lands on active with no target
  assert.equal(applyEvent('active', 'service', { async: true, targetState: 'active' })!.target_provision_state, 'active');
  assert.equal(applyEvent('service failed', 'abort', { async: true })!.target_provision_state, null);
  assert.equal(applyEvent('clean hold', 'unhold', { targetState: 'manageable' })!.target_provision_state, 'manageable');
});

test('InvalidStateRequested message is Ironic text', () => {
  assert.equal(
    invalidStateMessage('provide', '1be26c0b-03f2-4d2e-ae87-c02d7f33c123', 'enroll'),
    'The requested action "provide" can not be performed on node "1be26c0b-03f2-4d2e-ae87-c02d7f33c123" while it is in state "enroll".',
  );
});

test('isVerbActionable rejects internal-only transitions and unknown verbs', async () => {
  const { isVerbActionable } = await import('./table.ts');
  assert.equal(isVerbActionable('cleaning', 'manage'), false);
  assert.equal(isVerbActionable('deleting', 'clean'), false);
  assert.equal(isVerbActionable('manageable', 'clean'), true);
  assert.equal(isVerbActionable('available', 'active'), true);
  assert.equal(isVerbActionable('available', 'bogus'), false);
});
