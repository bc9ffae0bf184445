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
