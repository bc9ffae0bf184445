import assert from 'node:assert/strict';
import { test } from 'node:test';
import { preciseNow, RpcStepStats } from './rpc-steps.ts';

test('RpcStepStats splits a call into produce, deliver, handler and reply', () => {
  const s = new RpcStepStats();
  s.add({ started: 100, acked: 102, server: { received_at: 103, handled_at: 110 }, replied: 112 });
  s.add({ started: 200, acked: 204, server: { received_at: 206, handled_at: 226 }, replied: 230 });
  assert.equal(s.count, 2);
  assert.equal(s.percentile('produce', 50), 2);
  assert.equal(s.percentile('produce', 100), 4);
  assert.equal(s.percentile('deliver', 50), 1);
  assert.equal(s.percentile('handler', 50), 7);
  assert.equal(s.percentile('handler', 99), 20);
  assert.equal(s.percentile('reply', 50), 2);
  assert.equal(s.percentile('total', 99), 30);
  s.reset();
  assert.ok(Number.isNaN(s.percentile('total', 50)));
});

test('the take step: read → acknowledgement delivered; the handler counts from there', () => {
  const s = new RpcStepStats();
  s.add({ started: 100, acked: 102, server: { received_at: 103, taken_at: 105, handled_at: 110 }, replied: 112 });
  assert.equal(s.percentile('take', 50), 2);
  assert.equal(s.percentile('handler', 50), 5);
  assert.equal(s.percentile('total', 50), 12);
});

test('a reply without server stamps (an older conductor) still counts its total', () => {
  const s = new RpcStepStats();
  s.add({ started: 0, acked: null, server: null, replied: 5 });
  assert.equal(s.percentile('total', 50), 5);
  assert.ok(Number.isNaN(s.percentile('handler', 50)));
});

test('preciseNow is wall-clock time with sub-millisecond steps', () => {
  const a = preciseNow();
  assert.ok(Math.abs(a - Date.now()) < 50);
  assert.ok(preciseNow() >= a);
});
