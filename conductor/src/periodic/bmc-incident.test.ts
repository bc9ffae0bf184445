/** The correlated-BMC-failure decision core (pure): one incident for many silent BMCs, Ironic's counting for one. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffMs, decideRound, deferred, type IncidentPolicy, type OpenIncident, threshold } from './bmc-incident.ts';

const P: IncidentPolicy = { minNodes: 3, minFraction: 0.1, backoffBaseMs: 1000, backoffMaxMs: 8000 };
const nodes = (n: number, p = 'n') => Array.from({ length: n }, (_, i) => `${p}${i}`);
const outcomes = (up: string[], down: string[]) => [...up.map((node) => ({ node, unreachable: false })), ...down.map((node) => ({ node, unreachable: true }))];
let ids = 0;
const newId = () => `inc-${++ids}`;

test('threshold: the larger of the minimum count and the fraction of the nodes read', () => {
  assert.equal(threshold(10, P), 3);
  assert.equal(threshold(100, P), 10);
  assert.equal(threshold(10_000, { ...P, minFraction: 0.02 }), 200);
  assert.equal(threshold(0, { ...P, minNodes: 0 }), 1);
});

test('a single flaky BMC is left to Ironic\'s per-node counting; no incident', () => {
  const { incident, decision } = decideRound(null, outcomes(nodes(19), ['x']), 20, 0, P, newId);
  assert.equal(incident, null);
  assert.deepEqual(decision, { opened: null, joined: [], cleared: [], retried: [], resolved: null, countNormally: ['x'] });
});

test('many silent BMCs in one round are one incident; retried with backoff; cleared as they answer; resolved by itself', () => {
  const down = nodes(5, 'd');
  let r = decideRound(null, outcomes(nodes(20), down), 25, 0, P, newId);
  const inc = r.incident as OpenIncident;
  assert.ok(inc);
  assert.equal(r.decision.opened, inc.uuid);
  assert.deepEqual(r.decision.joined, down);
  assert.deepEqual(r.decision.countNormally, [], 'no node is counted toward maintenance');
  // backoff: not read again until base × 2^(failures-1)
  assert.deepEqual(deferred(inc, 500), new Set(down));
  assert.deepEqual(deferred(inc, 1000), new Set());
  r = decideRound(inc, outcomes([], down), 5, 1000, P, newId);
  assert.equal(r.incident, inc);
  assert.deepEqual(r.decision.retried, down);
  assert.equal(inc.members.get('d0')?.nextTryAt, 1000 + 2000);
  for (let i = 0; i < 6; i++) decideRound(inc, outcomes([], down), 5, 0, P, newId);
  assert.equal(backoffMs(inc.members.get('d0')?.failures ?? 0, P), 8000, 'capped');
  // two answer again: they leave; a flaky one elsewhere meanwhile is counted normally
  r = decideRound(inc, outcomes(['d0', 'd1', ...nodes(20)], ['d2', 'd3', 'd4', 'flaky']), 25, 50_000, P, newId);
  assert.deepEqual(r.decision.cleared, ['d0', 'd1']);
  assert.deepEqual(r.decision.countNormally, ['flaky']);
  assert.equal(r.decision.resolved, null);
  // the rest answer: the incident resolves, naming every node it held
  r = decideRound(inc, outcomes(['d2', 'd3', 'd4'], []), 3, 60_000, P, newId);
  assert.deepEqual(r.decision.cleared, ['d2', 'd3', 'd4']);
  assert.equal(r.decision.resolved, inc.uuid);
  assert.equal(r.incident, null);
  assert.deepEqual([...inc.affected], down);
});

test('an outage split over two rounds is one incident; later a second wave joins it, a lone failure does not', () => {
  let r = decideRound(null, outcomes(nodes(20), nodes(4, 'a')), 24, 0, P, newId);
  const inc = r.incident as OpenIncident;
  // the round right after: 2 more (below the threshold) still join
  r = decideRound(inc, outcomes(nodes(20), nodes(2, 's')), 22, 10, P, newId);
  assert.deepEqual(r.decision.joined, nodes(2, 's'));
  assert.deepEqual(r.decision.countNormally, []);
  // later: one alone is Ironic's case, a wave at the threshold joins
  r = decideRound(inc, outcomes(nodes(20), ['lone']), 21, 20, P, newId);
  assert.deepEqual(r.decision.countNormally, ['lone']);
  r = decideRound(inc, outcomes(nodes(20), nodes(3, 'b')), 23, 30, P, newId);
  assert.equal(r.decision.opened, null);
  assert.deepEqual(r.decision.joined, nodes(3, 'b'));
  assert.equal(inc.members.size, 9);
});

test('while another conductor has an outage open, a few silent BMCs here are that outage, not maintenance', () => {
  const r = decideRound(null, outcomes(nodes(20), ['one']), 21, 0, P, newId, true);
  assert.ok(r.incident);
  assert.deepEqual(r.decision.joined, ['one']);
  assert.deepEqual(r.decision.countNormally, []);
});

test('members this conductor no longer syncs (moved by the ring, deleted, maintenance) leave; the incident resolves', () => {
  const down = nodes(6, 'm');
  const r0 = decideRound(null, outcomes(nodes(20), down), 26, 0, P, newId);
  const inc = r0.incident as OpenIncident;
  // the ring moved m0..m2 to another conductor: they are not read here any more and are not ours
  const owned = new Set([...nodes(20), ...down.slice(3)]);
  let r = decideRound(inc, outcomes(nodes(20), down.slice(3)), 23, 10_000, P, newId, false, owned);
  assert.deepEqual(r.decision.cleared, down.slice(0, 3));
  assert.deepEqual(r.decision.retried, down.slice(3));
  assert.equal(r.decision.resolved, null);
  // a member skipped this round but still ours (reserved, backoff) stays
  r = decideRound(inc, outcomes(nodes(20), []), 20, 20_000, P, newId, false, owned);
  assert.equal(inc.members.size, 3);
  // the rest answer: resolved
  r = decideRound(inc, outcomes(down.slice(3), []), 3, 30_000, P, newId, false, owned);
  assert.equal(r.decision.resolved, inc.uuid);
  assert.deepEqual([...inc.affected], down);
});
