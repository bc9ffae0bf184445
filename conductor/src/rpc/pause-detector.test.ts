import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PauseDetector } from './pause-detector.ts';

test('calls are accepted from creation; a standstill longer than pauseMs moves that to its end, shorter gaps do not', () => {
  let t = 1_000;
  const d = new PauseDetector(4_000, () => t);
  assert.equal(d.acceptFrom(), 1_000);
  t += 3_900; // busy, but not silent long enough for anyone to act
  assert.equal(d.acceptFrom(), 1_000);
  t += 4_100; // SIGSTOP … SIGCONT: the first look after it sees the gap
  assert.equal(d.acceptFrom(), 9_000);
  t += 100;
  assert.equal(d.acceptFrom(), 9_000, 'stays at the end of the last pause');
});

test('the ticker keeps the stamp fresh and stops', async () => {
  const d = new PauseDetector(4_000, Date.now, 5).start();
  const from = d.acceptFrom();
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(d.acceptFrom(), from);
  d.stop();
});

test('heartbeats: the first and one ending a silence move the start; while the last is stale every call is refused', () => {
  let t = 1_000;
  const d = new PauseDetector(4_000, () => t);
  t = 1_500;
  d.alive(1_400); // the first heartbeat of this process
  assert.equal(d.acceptFrom(), 1_400);
  t = 3_500;
  d.alive(3_400); // regular beats: nothing moves
  assert.equal(d.acceptFrom(), 1_400);
  t = 5_500;
  d.alive(5_400);
  assert.equal(d.acceptFrom(), 1_400);
  t = 9_500; // the database went away: the last beat is 4.1 s old
  assert.equal(d.acceptFrom(), Number.POSITIVE_INFINITY);
  t = 12_000; // (the process itself keeps running: looks every few seconds here)
  assert.equal(d.acceptFrom(), Number.POSITIVE_INFINITY);
  t = 15_000;
  d.alive(14_900); // back: calls sent during the silence stay refused
  assert.equal(d.acceptFrom(), 14_900);
});
