/** The why report (pure): wait deadline, lock holder alive or not, last failure from the recorded diagnosis, text form. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NodeDiagnosisRecord } from '@anvil/sdk';
import { explain, formatWhy, type WhyInput } from './explain.ts';

const NOW = Date.parse('2026-12-01T00:10:00.000Z');
const node: WhyInput['node'] = {
  uuid: '1be26c0b-03f2-4d2d-ae87-c02d7f33c123',
  name: 'n1',
  provision_state: 'wait call-back',
  target_provision_state: 'active',
  provision_updated_at: '2026-12-01T00:09:00+00:00',
  power_state: 'power on',
  maintenance: false,
  maintenance_reason: null,
  last_error: null,
};
const base: WhyInput = {
  node,
  lock: null,
  holderHeartbeat: null,
  diagnoses: [],
  trace: [],
  settings: { deploy_callback_timeout: 1800, heartbeat_timeout: 6 },
  windows: { lookupWithinSec: 60, heartbeatStaleSec: 60 },
  now: NOW,
};

test('a waiting node: what for, until when, seconds left, time in the state', () => {
  const r = explain(base);
  assert.equal(r.state_seconds, 60);
  assert.equal(r.waiting?.until, '2026-12-01T00:39:00.000Z');
  assert.equal(r.waiting?.seconds_left, 1740);
  assert.match(r.waiting?.for ?? '', /call back.*deploy_callback_timeout 1800/);
  assert.equal(r.lock, null);
  assert.equal(r.last_failure, null);
});

test('a held lock: lock.held while the holder heartbeats, conductor.lost once it stopped', () => {
  const lock = { holder: 'c1', since: '2026-12-01T00:09:30.000Z' };
  const alive = explain({ ...base, lock, holderHeartbeat: '2026-12-01T00:09:58+00:00' });
  assert.equal(alive.lock?.alive, true);
  assert.equal(alive.current?.code, 'lock.held');
  assert.match(alive.current?.cause ?? '', /c1 holds the node's lock since 2026-12-01T00:09:30.000Z \(30 s\)/);
  const dead = explain({ ...base, lock, holderHeartbeat: '2026-12-01T00:05:00+00:00' });
  assert.equal(dead.lock?.alive, false);
  assert.equal(dead.current?.code, 'conductor.lost');
});

test('the last failure uses the diagnosis recorded for that last_error; the text form prints code, cause, hint', () => {
  const rec: NodeDiagnosisRecord = {
    uuid: 'd1', node_uuid: node.uuid, code: 'image.unreachable', step: 'deploy.write_image', interface: 'deploy', cause: 'The agent could not download the instance image: HTTP 404.',
    hint: 'Check image_source.', retryable: false, last_error: 'boom', provision_state: 'wait call-back', conductor: 'c1', created_at: '2026-12-01T00:09:59.000Z',
  };
  const other = { ...rec, uuid: 'd2', code: 'driver.operation_failed' as const, last_error: 'console text' };
  const r = explain({ ...base, node: { ...node, provision_state: 'deploy failed', target_provision_state: null, last_error: 'boom' }, diagnoses: [rec, other] });
  assert.equal(r.last_failure?.diagnosis.code, 'image.unreachable');
  assert.equal(r.last_failure?.at, rec.created_at);
  assert.equal(r.waiting, null);
  const text = formatWhy({ ...r, scheduling: ['not available (provision_state deploy failed)'] });
  assert.match(text, /diagnosis: image\.unreachable at deploy\.write_image \(deploy interface\)/);
  assert.match(text, /hint: Check image_source\./);
  assert.match(text, /retry can help: no/);
  assert.match(text, /scheduling: not available/);
  const unrecorded = explain({ ...base, node: { ...node, provision_state: 'deploy failed', last_error: 'Timeout reached while waiting for callback for node x' } });
  assert.equal(unrecorded.last_failure?.diagnosis.code, 'deploy.callback_timeout', 'diagnosed from the text when none was recorded');
});
