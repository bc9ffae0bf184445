import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { patchKafkajsRequestQueue } from './kafka-patch.ts';

// The real kafkajs class the transport patches (loading kafka-patch.ts applied the patch already).
const RequestQueue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js');
const logger = { debug() {}, info() {}, warn() {}, error() {} };
const queue = () =>
  new RequestQueue({ maxInFlightRequests: null, requestTimeout: 30_000, enforceRequestTimeout: true, clientId: 't', broker: 'b', logger });

test('an idle request queue arms no timer after a response (no 1 ms loop)', () => {
  assert.equal(patchKafkajsRequestQueue(), false, 'already applied once, not twice');
  const q = queue();
  q.checkPendingRequests(); // what kafkajs runs after every response
  assert.equal(q.throttleCheckTimeoutId, null);
  q.destroy();
});

test('pending requests while throttled are still checked when the throttle ends', () => {
  const q = queue();
  q.pending.push({ placeholder: true });
  q.throttledUntil = Date.now() + 50;
  q.scheduleCheckPendingRequests();
  assert.ok(q.throttleCheckTimeoutId, 'a check is scheduled');
  q.destroy();
});

test('the request-timeout interval does not keep the process alive', () => {
  const q = queue();
  q.scheduleRequestTimeoutCheck();
  assert.ok(q.requestTimeoutIntervalId);
  assert.equal(q.requestTimeoutIntervalId.hasRef(), false);
  q.destroy();
});
