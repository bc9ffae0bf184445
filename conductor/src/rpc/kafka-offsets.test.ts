import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OffsetTracker, RecentIds } from './kafka-offsets.ts';

test('commits only past messages whose handlers all finished', () => {
  const t = new OffsetTracker();
  for (const o of ['10', '11', '12']) t.start(0, o);
  assert.equal(t.size, 3);
  assert.equal(t.done(0, '11'), '10', 'offset 10 still runs: commit stays at 10');
  assert.equal(t.done(0, '12'), null, 'nothing new to commit');
  assert.equal(t.done(0, '10'), '13', 'all done: next to read is 13');
  assert.equal(t.size, 0);
});

test('partitions are independent and offsets beyond 2^53 are exact', () => {
  const t = new OffsetTracker();
  t.start(0, '5');
  t.start(1, '9007199254740993');
  assert.equal(t.done(1, '9007199254740993'), '9007199254740994');
  assert.equal(t.done(0, '5'), '6');
  t.start(0, '6');
  t.forget(0);
  assert.equal(t.size, 0);
});

test('out-of-order completion over many messages never commits past a running one', () => {
  const t = new OffsetTracker();
  const n = 200;
  for (let i = 0; i < n; i++) t.start(3, String(i));
  const order = [...Array(n).keys()].sort(() => Math.random() - 0.5);
  const finished = new Set<number>();
  let last = -1;
  for (const i of order) {
    finished.add(i);
    const c = t.done(3, String(i));
    if (c === null) continue;
    const next = Number(c);
    assert.ok(next > last, 'commits only move forward');
    for (let k = 0; k < next; k++) assert.ok(finished.has(k), `committed ${next} while ${k} was still running`);
    last = next;
  }
  assert.equal(last, n);
});

test('RecentIds drops repeats and forgets the oldest past capacity', () => {
  const r = new RecentIds(3);
  assert.equal(r.seen('a'), false);
  assert.equal(r.seen('a'), true);
  r.seen('b');
  r.seen('c');
  r.seen('d'); // evicts a
  assert.equal(r.seen('b'), true);
  assert.equal(r.seen('a'), false);
});
