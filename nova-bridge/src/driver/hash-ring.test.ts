import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ComputeHashRing } from './hash-ring.ts';

test('one compute owns everything; adding a compute moves only part of the nodes to it', () => {
  const nodes = Array.from({ length: 300 }, (_, i) => `node-${i}`);
  const solo = new ComputeHashRing([], 'c1');
  assert.ok(nodes.every((n) => solo.owns('c1', n)));
  const two = new ComputeHashRing(['c1', 'c2']);
  const three = new ComputeHashRing(['c1', 'c2', 'c3']);
  const moved = nodes.filter((n) => two.hostFor(n) !== three.hostFor(n));
  assert.ok(moved.every((n) => three.hostFor(n) === 'c3'), 'only moves to the new member');
  assert.ok(moved.length > 40 && moved.length < 170, `moved ${moved.length} of 300`);
  assert.equal(new ComputeHashRing([]).hostFor('x'), null);
});

test('host names are compared lower-cased and this host is always a member, as in Nova', () => {
  const ring = new ComputeHashRing(['Compute-A'], 'COMPUTE-B');
  const nodes = Array.from({ length: 50 }, (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`);
  assert.ok(nodes.every((n) => ring.owns('compute-a', n) !== ring.owns('Compute-B', n)));
  assert.ok(nodes.some((n) => ring.owns('COMPUTE-A', n)) && nodes.some((n) => ring.owns('compute-b', n)));
});
