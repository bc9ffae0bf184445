// Every transient state has an owner and a deadline (issue #19 item 5): derived from the node's own columns, so a
// takeover re-owns each one without rewriting anything. Pure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RULES } from '../periodic/callback-timeouts.ts';
import { transientDeadline } from './deadlines.ts';
import { STATES, STUCK_STATES_TREATED_AS_FAIL, UNSTABLE_STATES, WAIT_STATES } from './table.ts';

const settings = { heartbeat_interval: 2, heartbeat_timeout: 6, check_provision_state_interval: 60, deploy_callback_timeout: 1800, clean_callback_timeout: 1800, rescue_callback_timeout: 1800, inspect_wait_timeout: 1800, service_callback_timeout: 1800 };
const at = '2026-12-06T05:00:00.000Z';
const node = (provision_state: string, reservation: string | null = null) => ({ provision_state, provision_updated_at: at, inspection_started_at: at, reservation, maintenance: false });

test('every unstable state of the FSM is either failed by the takeover / stale sweep or timed out as a wait state', () => {
  for (const s of UNSTABLE_STATES) {
    const busy = STUCK_STATES_TREATED_AS_FAIL.includes(s);
    const waiting = WAIT_STATES.includes(s);
    assert.ok(busy !== waiting, `${s}: busy ${busy}, wait ${waiting}`);
  }
  assert.deepEqual([...RULES.map((r) => r.state)].sort(), [...WAIT_STATES].sort(), 'a callback-timeout rule per wait state');
});

test('an unlocked transient node always has a deadline; a locked one: its live holder, else the takeover', () => {
  const t = Date.parse(at);
  for (const s of UNSTABLE_STATES) {
    const free = transientDeadline(node(s), settings, null);
    assert.ok(free && Number.isFinite(free.at), `${s} unlocked: ${JSON.stringify(free)}`);
    if (WAIT_STATES.includes(s)) {
      assert.equal(free!.by, 'callback timeout');
      assert.equal(free!.at, t + (1800 + 60) * 1000);
      continue;
    }
    assert.deepEqual(free, { by: 'stale reservation sweep', at: t + 3 * 2 * 1000 });
    assert.deepEqual(transientDeadline(node(s, 'c1'), settings, null), { by: 'lock holder', at: null });
    assert.deepEqual(transientDeadline(node(s, 'c1'), settings, t), { by: 'takeover', at: t + (6 + 1) * 1000 });
  }
});

test('stable, failure and hold states have none (a hold waits for the operator, as in Ironic); nor maintenance or a disabled timeout', () => {
  for (const s of Object.keys(STATES).filter((x) => !UNSTABLE_STATES.includes(x))) assert.equal(transientDeadline(node(s), settings, null), null, s);
  assert.equal(transientDeadline({ ...node('clean wait'), maintenance: true }, settings, null), null);
  assert.equal(transientDeadline(node('wait call-back'), { ...settings, deploy_callback_timeout: 0 }, null), null);
});
