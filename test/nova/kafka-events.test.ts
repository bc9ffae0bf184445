/**
 * Split deployment: conductor NodeEvents → Kafka (real broker) → API process emitter → GET /v1/anvil/events →
 * the bridge's waiter wakes. Needs ANVIL_TEST_KAFKA_BROKERS (scripts/services/kafka.sh).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { startApi } from '@anvil/api';
import { DEFAULT_SETTINGS, type NodeRecord } from '@anvil/sdk';
import { SseWaiter } from '@anvil/nova-bridge';
import { nodeEventsFromKafka, relayNodeEventsToKafka } from '@anvil/nova-bridge/events/kafka';
import { NodeEvents } from '../../conductor/src/events.ts';
import { failWithout } from '../prereq.ts';
import { until } from '../wait.ts';

const brokers = process.env.ANVIL_TEST_KAFKA_BROKERS?.split(',');

const node = (uuid: string, provision_state: string) =>
  ({ uuid, provision_state, target_provision_state: null, power_state: 'power on', target_power_state: null, last_error: null, maintenance: false }) as unknown as NodeRecord;

failWithout(!brokers && 'ANVIL_TEST_KAFKA_BROKERS is not set (bash scripts/services/kafka.sh start; export its env)');

test('node events relayed over Kafka reach the API stream and wake the bridge', { timeout: 90_000 }, async () => {
  const topic = `anvil.node-events.test-${randomUUID().slice(0, 8)}`;
  const conductorEvents = new NodeEvents();
  const relay = await relayNodeEventsToKafka(conductorEvents, { brokers: brokers!, topic });
  const apiEvents = nodeEventsFromKafka({ brokers: brokers!, topic });
  await apiEvents.ready;
  const api = await startApi({ settings: { ...DEFAULT_SETTINGS, port: 0, host: '127.0.0.1' }, db: undefined as never, registry: undefined as never, events: apiEvents });
  const w = await SseWaiter.connect(api.url, { fallbackIntervalMs: 60_000 });
  try {
    assert.ok(w);
    // warm-up: the new consumer group starts at the newest offset once its partition is assigned
    const seen = new Promise<void>((r) => apiEvents.once('change', () => r()));
    const probe = setInterval(() => conductorEvents.publish(node('probe', 'available'), 'probe', 'c1'), 200);
    await seen;
    clearInterval(probe);

    let state = 'deploying';
    const waiting = w.wait('n1', async () => (state === 'active' ? { done: true as const, value: state } : undefined));
    await new Promise((r) => setTimeout(r, 50));
    state = 'active';
    const t0 = performance.now();
    conductorEvents.publish(node('n1', 'active'), 'done', 'c1');
    assert.equal(await waiting, 'active');
    const ms = performance.now() - t0;
    assert.ok(ms < 30_000, `woken through Kafka in ${ms.toFixed(0)} ms, not by the 60 s fallback`);
    await until('the relay to ack 2 sends (acks trail delivery)', async () => relay.sent() >= 2, 5_000, () => `${relay.sent()} acked`, 50);
  } finally {
    await w?.close();
    await api.close();
    await apiEvents.close();
    await relay.close();
  }
});
