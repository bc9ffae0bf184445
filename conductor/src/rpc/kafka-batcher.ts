/**
 * Coalesces sends like Kafka's Java producer with linger.ms=0: when no request is in flight a message leaves at
 * once; messages arriving while one is in flight wait for it and then leave together in one request. Idle latency is
 * untouched, and under load the broker sees few large produce requests instead of one per message.
 * Pure: the actual send is a function given to it.
 */
export interface Outgoing {
  topic: string;
  key: string | null;
  value: Buffer;
}

interface Queued extends Outgoing {
  resolve: () => void;
  reject: (err: Error) => void;
}

export class SendBatcher {
  private queue: Queued[] = [];
  private inflight = 0;

  /**
   * @param flush sends a group of messages (grouped by topic) in one request; rejects when none was stored.
   * @param maxInFlight requests allowed at once.
   * @param maxBatch messages per request at most.
   */
  constructor(
    private readonly flush: (byTopic: Map<string, Outgoing[]>) => Promise<void>,
    private readonly maxInFlight = 1,
    private readonly maxBatch = 500,
  ) {}

  send(msg: Outgoing): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ ...msg, resolve, reject });
      this.pump();
    });
  }

  /** Messages waiting for a request slot. */
  get queued(): number {
    return this.queue.length;
  }

  private pump(): void {
    while (this.inflight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      const byTopic = new Map<string, Outgoing[]>();
      for (const m of batch) {
        const list = byTopic.get(m.topic);
        const out = { topic: m.topic, key: m.key, value: m.value };
        if (list) list.push(out);
        else byTopic.set(m.topic, [out]);
      }
      this.inflight++;
      this.flush(byTopic).then(
        () => this.settle(batch, null),
        (err: Error) => this.settle(batch, err),
      );
    }
  }

  private settle(batch: Queued[], err: Error | null): void {
    this.inflight--;
    for (const m of batch) {
      if (err) m.reject(err);
      else m.resolve();
    }
    this.pump();
  }
}
