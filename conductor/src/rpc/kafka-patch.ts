/**
 * Two fixes for kafkajs 2.2.4's request queue, applied once when the Kafka transport loads.
 *
 * After every response kafkajs calls scheduleCheckPendingRequests(), which arms a timer even when no request is
 * waiting; with no client-side throttling the delay is negative (run after 1 ms) and the timer re-arms itself:
 * each broker connection wakes the process a thousand times a second while it is idle (~10 % of a core per
 * process here), and a connection that closes without being destroyed keeps the process alive forever.
 * The fix: arm the timer only when requests are pending (push() and every response check again anyway).
 *
 * Its request-timeout check is a ref'd 100 ms interval started when a socket connects; a socket that connects after
 * its connection was given up (connection timeout on a loaded machine, or disconnect() during connect) starts one
 * that is never cleared, and the process cannot exit. The fix: unref that interval (in-flight requests keep their
 * socket, which is ref'd, so nothing is lost).
 */
import { createRequire } from 'node:module';

interface RequestQueueLike {
  pending: unknown[];
  requestTimeoutIntervalId?: NodeJS.Timeout;
  scheduleRequestTimeoutCheck(): void;
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

const CHECK_PENDING_REQUESTS_INTERVAL = 10; // kafkajs' own value
const PATCHED = Symbol.for('anvil.kafkajs.requestQueue.patched');

export function patchKafkajsRequestQueue(): boolean {
  const require = createRequire(import.meta.url);
  let RequestQueue: { prototype: RequestQueueLike } & Record<symbol, boolean>;
  try {
    RequestQueue = require('kafkajs/src/network/requestQueue/index.js');
  } catch {
    return false; // a kafkajs without this file: nothing to fix
  }
  if (RequestQueue[PATCHED] || typeof RequestQueue.prototype?.scheduleCheckPendingRequests !== 'function') return false;
  RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueueLike) {
    if (this.pending.length === 0 || this.throttleCheckTimeoutId) return;
    const throttled = this.throttledUntil - Date.now();
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      throttled > 0 ? throttled : CHECK_PENDING_REQUESTS_INTERVAL,
    );
  };
  const scheduleRequestTimeoutCheck = RequestQueue.prototype.scheduleRequestTimeoutCheck;
  RequestQueue.prototype.scheduleRequestTimeoutCheck = function (this: RequestQueueLike) {
    scheduleRequestTimeoutCheck.call(this);
    this.requestTimeoutIntervalId?.unref?.();
  };
  RequestQueue[PATCHED] = true;
  return true;
}

patchKafkajsRequestQueue();
