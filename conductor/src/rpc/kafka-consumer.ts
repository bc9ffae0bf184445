/**
 * One Kafka consumer-group loop over one topic, as the RPC transport needs it:
 * - messages are handled concurrently (up to maxInFlight) so one slow handler does not hold the topic up;
 * - an offset is committed only once every message before it was handled (OffsetTracker): at-least-once;
 * - commits are coalesced (commitDelayMs) so a busy topic does not pay a commit round trip per message;
 * - when kafkajs gives up on a consumer (a crash it does not restart), the loop builds a new one, so a broker
 *   restart is survived without anybody calling serve() again.
 */
import { kafkaLag } from '../metrics.ts';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { OffsetTracker } from './kafka-offsets.ts';
import type { RpcLog } from './kafka-log.ts';

export interface ConsumerLoopOptions {
  kafka: Kafka;
  groupId: string;
  topic: string;
  handle: (message: KafkaMessage, partition: number) => Promise<void>;
  log: RpcLog;
  maxWaitTimeInMs: number;
  maxInFlight: number;
  commitDelayMs: number;
  joinTimeoutMs: number;
}

const RECREATE_DELAY_MS = 500;

export class ConsumerLoop {
  private consumer: Consumer | null = null;
  private tracker = new OffsetTracker();
  private generation = 0;
  private inflight = 0;
  private readonly waiters: Array<() => void> = [];
  private readonly toCommit = new Map<number, string>();
  private commitTimer: NodeJS.Timeout | null = null;
  private recreateTimer: NodeJS.Timeout | null = null;
  private closing = false;
  private lostAt = 0; // when the broker was lost (0: connected)
  private onStop: () => void = () => {};

  constructor(private readonly o: ConsumerLoopOptions) {}

  /** Connects, subscribes and runs; resolves once the consumer joined its group (or after joinTimeoutMs). */
  async start(): Promise<void> {
    const consumer = this.o.kafka.consumer({
      groupId: this.o.groupId,
      maxWaitTimeInMs: this.o.maxWaitTimeInMs,
      // Short: after a broker restart the group waits this long for members that no longer exist.
      sessionTimeout: 6_000, // the broker's default minimum (group.min.session.timeout.ms)
      rebalanceTimeout: 5_000,
      heartbeatInterval: 1_000,
      allowAutoTopicCreation: false,
      // kafkajs restarts a crashed consumer by itself, even after disconnect() when the crash came during a
      // restart; asking us first stops that loop once we are closing.
      retry: { initialRetryTime: 200, maxRetryTime: 2_000, retries: 5, restartOnFailure: async () => !this.closing },
    });
    this.consumer = consumer;
    let joined!: () => void;
    const join = new Promise<void>((resolve) => {
      joined = resolve;
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.tracker = new OffsetTracker(); // partitions may have moved: re-read from the committed offsets
      this.generation++;
      this.toCommit.clear();
      if (this.lostAt) this.o.log('info', `consumer of ${this.o.topic} is back after ${Date.now() - this.lostAt} ms`);
      this.lostAt = 0;
      joined();
    });
    consumer.on(consumer.events.CRASH, (e) => {
      const { error, restart } = e.payload;
      const what = `consumer of ${this.o.topic} lost the broker (${error.message}); ${restart ? 'kafkajs restarts it' : 'rebuilding it'}`;
      this.o.log(this.lostAt ? 'debug' : 'warn', what); // once per outage
      if (!this.lostAt) this.lostAt = Date.now();
      if (!restart) this.recreate(consumer);
    });
    const stopped = () => this.closing || this.consumer !== consumer; // stop() came while starting
    try {
      await consumer.connect();
      if (stopped()) throw new Error('stopped while starting');
      await consumer.subscribe({ topics: [this.o.topic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: true,
        eachBatch: async ({ batch, isRunning, isStale, heartbeat }) => {
          const generation = this.generation;
          // anvil_kafka_consumer_lag: messages behind the partition's end when this batch was read
          kafkaLag.set({ topic: batch.topic, partition: String(batch.partition) }, Math.max(0, Number(batch.offsetLag())));
          for (const message of batch.messages) {
            if (this.closing || !isRunning() || isStale()) break; // not committed: read again later
            while (this.inflight >= this.o.maxInFlight) {
              await new Promise<void>((resolve) => this.waiters.push(resolve));
              await heartbeat().catch(() => {});
            }
            this.dispatch(message, batch.partition, generation);
          }
        },
      });
    } catch (err) {
      if (this.consumer === consumer) this.consumer = null;
      await consumer.disconnect().catch(() => {});
      throw err;
    }
    if (stopped()) {
      await consumer.disconnect().catch(() => {});
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const closed = new Promise<void>((resolve) => (this.onStop = resolve));
    await Promise.race([join, closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, this.o.joinTimeoutMs)))]);
    clearTimeout(timer);
  }

  private dispatch(message: KafkaMessage, partition: number, generation: number): void {
    this.tracker.start(partition, message.offset);
    this.inflight++;
    this.o
      .handle(message, partition)
      .catch((err: unknown) => this.o.log('error', `handling a message of ${this.o.topic} failed: ${(err as Error)?.message ?? err}`))
      .finally(() => {
        this.inflight--;
        this.waiters.shift()?.();
        if (generation !== this.generation) return;
        const next = this.tracker.done(partition, message.offset);
        if (next !== null) this.scheduleCommit(partition, next);
      });
  }

  private scheduleCommit(partition: number, offset: string): void {
    this.toCommit.set(partition, offset);
    if (this.commitTimer) return;
    this.commitTimer = setTimeout(() => void this.flush(), this.o.commitDelayMs);
  }

  private async flush(): Promise<void> {
    if (this.commitTimer) clearTimeout(this.commitTimer);
    this.commitTimer = null;
    const consumer = this.consumer;
    if (!consumer || this.toCommit.size === 0) return;
    const offsets = [...this.toCommit].map(([partition, offset]) => ({ topic: this.o.topic, partition, offset }));
    this.toCommit.clear();
    try {
      await consumer.commitOffsets(offsets);
    } catch (err) {
      // Not fatal: the messages are read again after a restart and duplicates are dropped by correlation id.
      this.o.log('debug', `committing offsets of ${this.o.topic} failed: ${(err as Error).message}`);
    }
  }

  private recreate(old: Consumer): void {
    if (this.consumer !== old) return;
    this.consumer = null;
    void old.disconnect().catch(() => {});
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    if (this.closing || this.recreateTimer) return;
    this.recreateTimer = setTimeout(() => {
      this.recreateTimer = null;
      if (this.closing) return;
      this.start().catch((err: Error) => {
        this.o.log(this.lostAt ? 'debug' : 'warn', `consumer of ${this.o.topic} could not reconnect yet (${err.message}); retrying`);
        this.scheduleRestart();
      });
    }, RECREATE_DELAY_MS);
  }

  /** Stops fetching, lets running handlers finish (up to drainMs), commits what they finished, disconnects. */
  async stop(drainMs = 5_000): Promise<void> {
    this.closing = true;
    this.onStop();
    if (this.recreateTimer) clearTimeout(this.recreateTimer);
    const deadline = Date.now() + drainMs;
    while (this.inflight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    for (const w of this.waiters.splice(0)) w();
    await this.flush();
    const consumer = this.consumer;
    this.consumer = null;
    await consumer?.disconnect().catch(() => {});
  }
}
