/**
 * GET /v1/anvil/events on the real API app, fed by the conductor's NodeEvents emitter, consumed by the bridge's
 * SseWaiter: a published node change wakes a waiting bridge at once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startApi } from '@anvil/api';
import { DEFAULT_SETTINGS, type NodeRecord } from '@anvil/sdk';
import { SseWaiter, createWaiter } from '@anvil/nova-bridge';
import { NodeEvents } from '../../conductor/src/events.ts';
import { until } from '../wait.ts';

const node = (uuid: string, provision_state: string) => ({ uuid, provision_state, target_provision_state: null, power_state: 'power on', target_power_state: null, last_error: null, maintenance: false }) as unknown as NodeRecord;

async function api(withEvents: boolean) {
  const events = new NodeEvents();
  const deps = { settings: { ...DEFAULT_SETTINGS, port: 0, host: '127.0.0.1' }, db: undefined as never, registry: undefined as never, ...(withEvents ? { events } : {}) };
  return { events, api: await startApi(deps) };
}

test('node events stream to the bridge and wake its waits', async () => {
  const { events, api: a } = await api(true);
  const w = await SseWaiter.connect(a.url, { fallbackIntervalMs: 60_000 });
  try {
    assert.ok(w, 'the API serves the event stream');
    // the raw stream: headers and one event as the endpoint writes it
    const res = await fetch(`${a.url}/v1/anvil/events?node=n1`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    const reader = res.body!.getReader();
    await reader.read(); // ": connected"
    events.publish(node('n2', 'active'), 'done', 'c1'); // filtered out by ?node=n1
    events.publish(node('n1', 'active'), 'done', 'c1');
    const chunk = new TextDecoder().decode((await reader.read()).value);
    assert.match(chunk, /^event: node\nid: 1\ndata: \{"uuid":"n1","provision_state":"active"/);
    await reader.cancel();
    // a closed stream unsubscribes (only the waiter’s stream is left) once the server sees the socket close
    await until('the closed stream to unsubscribe', async () => events.listenerCount('change') === 1, 10_000, () => `${events.listenerCount('change')} listeners`, 10);

    let state = 'deploying';
    const waiting = w.wait('n1', async () => (state === 'active' ? { done: true as const, value: state } : undefined));
    await new Promise((r) => setTimeout(r, 50));
    state = 'active';
    const t0 = performance.now();
    events.publish(node('n1', 'active'), 'done', 'c1');
    assert.equal(await waiting, 'active');
    assert.ok(performance.now() - t0 < 20_000, `woken in ${performance.now() - t0} ms, not by the 60 s fallback`);
  } finally {
    await w?.close();
    await a.close();
  }
});

test('without an event source the endpoint is 404 and the bridge polls', async () => {
  const { api: a } = await api(false);
  try {
    assert.equal((await fetch(`${a.url}/v1/anvil/events`)).status, 404);
    const w = await createWaiter(a.url, 'auto', 50);
    assert.equal(w.mode, 'poll');
    await w.close();
  } finally {
    await a.close();
  }
});
