/**
 * KafkaTransport: Anvil's RPC between API and conductors over Apache Kafka (kafkajs).
 *
 * - call: the request goes to the conductor's topic with a correlation id and this process's reply topic
 *   (anvil.reply.<client>.<random>, created up front, read by one private consumer); the reply settles the
 *   waiting promise. No reply in time → RpcTimeout (503); a remote AnvilError comes back with its code and status.
 *   Before the reply, a `taken` acknowledgement (kafka-server.ts) calls the caller's onTaken.
 * - cast: the same envelope without reply_to; handler errors are logged by the receiver and dropped.
 * - serve: one consumer group per served topic (anvil.rpc.<topic>), so a conductor host topic is handled once and a
 *   conductor group topic (several partitions) is shared by the group's conductors.
 * - Broker down: sends fail fast (a few quick retries) with TemporaryFailure (503) naming the cause; consumers
 *   rebuild themselves and resume from their committed offsets when it returns; nothing is dropped silently.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { Admin, ISocketFactory, Producer } from 'kafkajs';
import { AnvilError, RPC_VERSION, RpcTimeout, TemporaryFailure } from '@anvil/sdk';
import type { RpcCallOptions, RpcHandler, RpcReply, RpcTransport, Settings } from '@anvil/sdk';
import { SendBatcher } from './kafka-batcher.ts';
import type { Outgoing } from './kafka-batcher.ts';
import { ConsumerLoop } from './kafka-consumer.ts';
import './kafka-patch.ts'; // kafkajs request-queue timer fix (see the file)
import { currentRequest } from '../log.ts';
import { checkTopic, decodeReply, encode, errorReply, replyOutcome, requestHeaders } from './kafka-envelope.ts';
import type { KafkaEnvelope, KafkaReply } from './kafka-envelope.ts';
import { preciseNow, RpcStepStats } from './rpc-steps.ts';
import { kafkajsLogCreator, stderrLog } from './kafka-log.ts';
import type { RpcLog } from './kafka-log.ts';
import { requestHandler } from './kafka-server.ts';
import { PauseDetector } from './pause-detector.ts';

export interface KafkaTransportOptions {
  brokers: string[];
  /** Names this process to the brokers and in its reply topic (e.g. the conductor hostname). */
  clientId?: string;
  /** Default call timeout (Ironic's rpc_response_timeout is 60 s). */
  timeoutMs?: number;
  /** How long a cast stays worth running when nobody served its topic yet. */
  castTtlMs?: number;
  /** Partitions of a conductor-group topic, so the group's conductors share it. */
  groupTopicPartitions?: number;
  /** Messages handled at once per served topic. */
  maxInFlight?: number;
  /** Longest a consumer's fetch waits at the broker when there is nothing to read (latency floor when idle). */
  maxWaitTimeInMs?: number;
  /**
   * A standstill of this process longer than this (ms) makes its servers refuse calls sent before it ended
   * (pause-detector.ts); default heartbeat_timeout − heartbeat_interval, the shortest silence callers may act on.
   */
  pauseMs?: number;
  log?: RpcLog;
}

interface Pending {
  what: string;
  started: number;
  acked: number | null;
  onTaken?: () => void;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

const GROUP_PREFIX = 'anvil.conductor-group.';
const safeName = (s: string) => s.replace(/[^a-zA-Z0-9._-]/g, '_').slice(0, 100) || 'anvil';

export class KafkaTransport implements RpcTransport {
  readonly replyTopic: string;
  /** Where the time of this process's calls went (produce, deliver, handler, reply). */
  readonly steps = new RpcStepStats();
  private readonly kafka: Kafka;
  private readonly log: RpcLog;
  private readonly o: Required<Omit<KafkaTransportOptions, 'log' | 'clientId' | 'pauseMs'>>;
  private readonly pauses: PauseDetector;
  private readonly pending = new Map<string, Pending>();
  private readonly topics = new Map<string, Promise<void>>();
  private readonly servers: ConsumerLoop[] = [];
  private producer: Producer | null = null;
  private readonly batcher = new SendBatcher((byTopic) => this.produce(byTopic));
  private admin: Admin | null = null;
  private connecting: Promise<void> | null = null;
  private replies: Promise<void> | null = null;
  private replyLoop: ConsumerLoop | null = null;
  private closed = false;

  constructor(options: KafkaTransportOptions) {
    if (!options.brokers?.length) throw new AnvilError('Kafka RPC needs at least one broker (kafka_brokers)', 'InvalidParameterValue', 400);
    const clientId = safeName(options.clientId ?? 'anvil');
    this.log = options.log ?? stderrLog;
    this.o = {
      brokers: options.brokers,
      timeoutMs: options.timeoutMs ?? 60_000,
      castTtlMs: options.castTtlMs ?? 10 * 60_000,
      groupTopicPartitions: options.groupTopicPartitions ?? 4,
      maxInFlight: options.maxInFlight ?? 64,
      maxWaitTimeInMs: options.maxWaitTimeInMs ?? 20,
    };
    this.replyTopic = `anvil.reply.${clientId}.${randomUUID().slice(0, 8)}`;
    this.pauses = new PauseDetector(options.pauseMs ?? 4_000);
    this.kafka = new Kafka({
      clientId,
      brokers: options.brokers,
      connectionTimeout: 3_000, // ECONNREFUSED is immediate anyway; this only bounds a silent network
      requestTimeout: 10_000,
      retry: { initialRetryTime: 100, maxRetryTime: 1_000, retries: 3 },
      logLevel: logLevel.WARN,
      logCreator: kafkajsLogCreator(this.log),
      socketFactory: lowLatencySockets,
    });
  }

  async call<T = unknown>(topic: string, method: string, args: Record<string, unknown>, timeoutMs = this.o.timeoutMs, opts?: RpcCallOptions): Promise<T> {
    this.assertOpen();
    checkTopic(topic);
    const id = randomUUID();
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.pending.delete(id)) return;
        reject(new RpcTimeout(`RPC call ${method} to ${topic} timed out after ${timeoutMs} ms: no conductor answered (is one serving ${topic}?)`));
      }, timeoutMs);
      const pending: Pending = { what: `${method} to ${topic}`, started: preciseNow(), acked: null, onTaken: opts?.onTaken, resolve: resolve as (v: unknown) => void, reject, timer };
      this.pending.set(id, pending);
      const fail = (err: Error) => {
        const p = this.pending.get(id);
        if (!p) return;
        this.pending.delete(id);
        clearTimeout(p.timer);
        reject(err);
      };
      const now = Date.now();
      const env: KafkaEnvelope = { v: RPC_VERSION, id, method, args, reply_to: this.replyTopic, sent_at: now, expires_at: now + timeoutMs };
      this.startReplies()
        .then(() => this.send(topic, env, `RPC call ${method} to ${topic}`))
        .then(() => {
          pending.acked = preciseNow();
        }, fail);
    });
  }

  async cast(topic: string, method: string, args: Record<string, unknown>): Promise<void> {
    this.assertOpen();
    checkTopic(topic);
    const now = Date.now();
    const env: KafkaEnvelope = { v: RPC_VERSION, id: randomUUID(), method, args, sent_at: now, expires_at: now + this.o.castTtlMs };
    await this.send(topic, env, `RPC cast ${method} to ${topic}`);
  }

  async serve(topic: string, handler: RpcHandler): Promise<void> {
    this.assertOpen();
    checkTopic(topic);
    await this.guard(`serving ${topic}`, async () => {
      await this.connect();
      await this.ensureTopic(topic);
    });
    const loop = new ConsumerLoop({
      kafka: this.kafka,
      groupId: `anvil.rpc.${topic}`,
      topic,
      handle: requestHandler({ topic, handler, log: this.log, reply: (to, r) => this.sendReply(to, r), acceptFrom: () => this.pauses.acceptFrom() }),
      log: this.log,
      maxWaitTimeInMs: this.o.maxWaitTimeInMs,
      maxInFlight: this.o.maxInFlight,
      commitDelayMs: 100,
      joinTimeoutMs: 30_000,
    });
    this.assertOpen(); // close() may have come while we connected
    this.pauses.start();
    this.servers.push(loop); // before start: close() stops it even while it is starting
    try {
      await this.guard(`serving ${topic}`, () => loop.start());
      this.assertOpen();
    } catch (err) {
      this.servers.splice(this.servers.indexOf(loop), 1);
      await loop.stop(0);
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.pauses.stop();
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new TemporaryFailure(`RPC call ${p.what} abandoned: the Kafka transport was closed`));
    }
    this.pending.clear();
    // Each step is bounded: closing must not hang on a broker that is gone.
    await within(7_000, Promise.all(this.servers.splice(0).map((s) => s.stop())));
    if (this.replyLoop) {
      await within(2_000, this.replyLoop.stop(0));
      // The reply topic is private to this process: remove it (best effort, the broker may be gone).
      await within(2_000, this.admin?.deleteTopics({ topics: [this.replyTopic], timeout: 2_000 }));
    }
    const connecting = this.connecting;
    await within(2_000, connecting);
    await within(2_000, Promise.all([this.producer?.disconnect(), this.admin?.disconnect()]));
    // Still connecting after all: disconnect when it gets there, so no socket outlives close().
    if (connecting && !this.producer) void connecting.then(() => this.producer?.disconnect(), () => {}).then(() => this.admin?.disconnect(), () => {});
  }

  /** This process's heartbeat was written at `at` (pause-detector.ts: calls sent while it was silent are refused). */
  markAlive(at: number): void {
    this.pauses.alive(at);
  }

  /** Calls still waiting for a reply. */
  get waiting(): number {
    return this.pending.size;
  }

  private assertOpen(): void {
    if (this.closed) throw new TemporaryFailure('the Kafka RPC transport is closed');
  }

  /** Runs a step that talks to Kafka; its failure becomes a TemporaryFailure (503) that says what and why. */
  private async guard<T>(what: string, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (err) {
      if (AnvilError.is(err)) throw err;
      const cause = (err as Error)?.message ?? String(err);
      throw new TemporaryFailure(`${what} failed: Kafka is unavailable (${cause}; brokers ${this.o.brokers.join(',')})`);
    }
  }

  private connect(): Promise<void> {
    if (!this.connecting) {
      this.connecting = (async () => {
        const producer = this.kafka.producer({
          allowAutoTopicCreation: false,
          createPartitioner: Partitioners.DefaultPartitioner,
          retry: { initialRetryTime: 100, maxRetryTime: 500, retries: 3 },
        });
        const admin = this.kafka.admin({ retry: { initialRetryTime: 100, maxRetryTime: 1_000, retries: 3 } });
        try {
          await producer.connect();
          await admin.connect();
        } catch (err) {
          await Promise.all([producer.disconnect().catch(() => {}), admin.disconnect().catch(() => {})]);
          throw err;
        }
        this.producer = producer;
        this.admin = admin;
      })();
      this.connecting.catch(() => {
        this.connecting = null; // try again on the next use
      });
    }
    return this.connecting;
  }

  /** Creates a topic before first use instead of relying on broker auto-creation (no race, right partitions). */
  private ensureTopic(topic: string): Promise<void> {
    let p = this.topics.get(topic);
    if (!p) {
      const numPartitions = topic.startsWith(GROUP_PREFIX) ? this.o.groupTopicPartitions : 1;
      // RPC messages are worthless after their deadline: keep a day of requests, an hour of replies.
      const retention = topic === this.replyTopic ? 3_600_000 : 86_400_000;
      const configEntries = [{ name: 'retention.ms', value: String(retention) }];
      p = (async () => {
        await this.admin!.createTopics({ topics: [{ topic, numPartitions, configEntries }], waitForLeaders: true, timeout: 5_000 });
      })();
      this.topics.set(topic, p);
      p.catch(() => this.topics.delete(topic));
    }
    return p;
  }

  private startReplies(): Promise<void> {
    if (!this.replies) {
      this.replies = this.guard('starting the RPC reply consumer', async () => {
        await this.connect();
        await this.ensureTopic(this.replyTopic);
        const loop = new ConsumerLoop({
          kafka: this.kafka,
          groupId: this.replyTopic,
          topic: this.replyTopic,
          handle: async (m) => this.onReply(decodeReply(m.value)),
          log: this.log,
          maxWaitTimeInMs: this.o.maxWaitTimeInMs,
          maxInFlight: 1_000,
          commitDelayMs: 1_000,
          joinTimeoutMs: 30_000,
        });
        this.assertOpen(); // close() may have come while we connected
        this.replyLoop = loop; // before start: close() stops it even while it is starting
        try {
          await loop.start();
          this.assertOpen();
        } catch (err) {
          this.replyLoop = null;
          await loop.stop(0);
          throw err;
        }
      });
      this.replies.catch(() => {
        this.replies = null;
      });
    }
    return this.replies;
  }

  private onReply(reply: KafkaReply | null): void {
    if (!reply) {
      this.log('warn', `dropping an unreadable reply on ${this.replyTopic}`);
      return;
    }
    const p = this.pending.get(reply.id);
    if (!p) {
      this.log('debug', `dropping a reply nobody waits for (${reply.id}): its call timed out or was answered`);
      return;
    }
    if (reply.taken) {
      // the conductor took the call; its answer follows on this same topic
      const taken = p.onTaken;
      p.onTaken = undefined;
      taken?.();
      return;
    }
    this.pending.delete(reply.id);
    clearTimeout(p.timer);
    this.steps.add({ started: p.started, acked: p.acked, server: reply.timing ?? null, replied: preciseNow() });
    const outcome = replyOutcome(reply);
    if (outcome.ok) p.resolve(outcome.result);
    else p.reject(outcome.error);
  }

  private async send(topic: string, env: KafkaEnvelope, what: string): Promise<void> {
    let value: Buffer;
    try {
      value = encode(env);
    } catch (err) {
      throw new AnvilError(`${what}: arguments cannot be serialised (${(err as Error).message})`, 'InvalidParameterValue', 400);
    }
    const key = topic.startsWith(GROUP_PREFIX) ? nodeKey(env.args) : null;
    // the request being served travels in the record headers (log.ts); the receiver logs under it
    const request = currentRequest();
    const headers = request ? requestHeaders(request) : undefined;
    await this.guard(what, async () => {
      await this.connect();
      await this.ensureTopic(topic);
      await this.batcher.send({ topic, key, value, headers });
    });
  }

  private async sendReply(topic: string, reply: RpcReply): Promise<void> {
    let value: Buffer;
    try {
      value = encode(reply);
    } catch (err) {
      value = encode(errorReply(reply.id, new AnvilError(`RPC result cannot be serialised: ${(err as Error).message}`)));
    }
    await this.batcher.send({ topic, key: null, value });
  }

  private async produce(byTopic: Map<string, Outgoing[]>): Promise<void> {
    await this.connect();
    const topicMessages = [...byTopic].map(([topic, list]) => ({ topic, messages: list.map(({ key, value, headers }) => ({ key, value, headers })) }));
    await this.producer!.sendBatch({ topicMessages, acks: -1 });
  }
}

/** kafkajs' socket factory with Nagle's algorithm off: a small request leaves at once instead of waiting ~40 ms. */
const lowLatencySockets: ISocketFactory = ({ host, port, ssl, onConnect }) => {
  const socket = ssl
    ? tls.connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }), ...ssl }, onConnect)
    : net.connect({ host, port, noDelay: true }, onConnect);
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 60_000);
  return socket;
};

/** Waits for `p` at most `ms`; its failure is ignored (for shutdown steps). */
async function within(ms: number, p: Promise<unknown> | undefined | null): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.resolve(p).catch(() => {}), new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

/** Messages about one node go to one partition of a group topic, so they stay in order. */
function nodeKey(args: Record<string, unknown>): string | null {
  const v = args.node_id ?? args.node_uuid ?? args.node;
  return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
}

/** The transport Anvil's settings ask for: brokers from kafka_brokers, named after this conductor's hostname. */
export function kafkaTransportFromSettings(settings: Settings, log?: RpcLog): KafkaTransport {
  const pauseMs = (Number(settings.heartbeat_timeout) - Number(settings.heartbeat_interval)) * 1000;
  return new KafkaTransport({ brokers: settings.kafka_brokers, clientId: settings.hostname, log, pauseMs: pauseMs > 0 ? pauseMs : undefined });
}
