/**
 * Node events across processes: when API and conductors run apart (rpc_transport=kafka), each conductor relays
 * its NodeEvents to the Kafka topic `anvil.node-events` (key = node UUID), and each API process consumes that
 * topic into a local emitter that feeds GET /v1/anvil/events. Every API process reads every event (one
 * consumer group per process, starting at the newest offset): events are wake-ups, a missed one only costs the
 * bridge its fallback re-read.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners, logLevel } from 'kafkajs';

export const NODE_EVENTS_TOPIC = 'anvil.node-events';

/** a node state change (the conductor's NodeStateEvent); only `uuid` matters here */
export interface NodeChange {
  uuid: string;
}

export interface NodeEventSource {
  on(event: 'change', fn: (e: NodeChange) => void): unknown;
  off(event: 'change', fn: (e: NodeChange) => void): unknown;
}

export interface RelayOptions {
  brokers: string[];
  topic?: string;
  clientId?: string;
}

async function ensureTopic(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true, timeout: 5_000 });
  } finally {
    await admin.disconnect();
  }
}

/** Conductor side: publish every change of `source` to Kafka. */
export async function relayNodeEventsToKafka(source: NodeEventSource, o: RelayOptions): Promise<{ sent: () => number; close(): Promise<void> }> {
  const topic = o.topic ?? NODE_EVENTS_TOPIC;
  const kafka = new Kafka({ clientId: o.clientId ?? 'anvil-node-events', brokers: o.brokers, logLevel: logLevel.NOTHING });
  await ensureTopic(kafka, topic);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  let sent = 0;
  const onChange = (e: NodeChange) => {
    producer
      .send({ topic, acks: 1, messages: [{ key: e.uuid, value: JSON.stringify(e) }] })
      .then(() => sent++)
      .catch(() => {}); // a lost wake-up is covered by the bridge's fallback re-read
  };
  source.on('change', onChange);
  return {
    sent: () => sent,
    async close() {
      source.off('change', onChange);
      await producer.disconnect();
    },
  };
}

/**
 * API side: an emitter of the changes every conductor relays. Returns at once (the API must not wait for
 * Kafka to start); `ready` resolves once the consumer has joined (or after joinTimeoutMs), `error` holds a
 * failed start (the stream then simply stays quiet and bridges fall back to their re-reads).
 */
export function nodeEventsFromKafka(o: RelayOptions & { joinTimeoutMs?: number }): EventEmitter<{ change: [NodeChange] }> & {
  ready: Promise<void>;
  close(): Promise<void>;
} {
  const topic = o.topic ?? NODE_EVENTS_TOPIC;
  const kafka = new Kafka({ clientId: o.clientId ?? 'anvil-node-events', brokers: o.brokers, logLevel: logLevel.NOTHING });
  const emitter = new EventEmitter<{ change: [NodeChange] }>();
  emitter.setMaxListeners(1000);
  const consumer = kafka.consumer({ groupId: `anvil.node-events.${randomUUID()}`, maxWaitTimeInMs: 20, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  const ready = (async () => {
    await ensureTopic(kafka, topic);
    const joined = new Promise<void>((resolve) => {
      consumer.on(consumer.events.GROUP_JOIN, () => resolve());
      setTimeout(resolve, o.joinTimeoutMs ?? 30_000).unref();
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ message }) => {
        try {
          const e = JSON.parse(message.value?.toString('utf8') ?? '') as NodeChange;
          if (typeof e.uuid === 'string') emitter.emit('change', e);
        } catch {
          /* not an event */
        }
      },
    });
    await joined;
  })();
  ready.catch(() => {});
  return Object.assign(emitter, {
    ready,
    async close() {
      await ready.catch(() => {});
      await consumer.disconnect();
    },
  });
}
