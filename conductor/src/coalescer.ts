/**
 * Coalesces writes like Kafka's Java producer with linger.ms=0: when no write is in flight an item leaves at once;
 * items arriving while one is in flight wait for it and then leave together in one write. Idle latency is
 * untouched, and under load the other side sees few large writes instead of one per item (Kafka produce requests,
 * node history INSERTs). Pure: the actual write is a function given to it.
 */
interface Queued<T> {
  item: T;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class Coalescer<T> {
  private queue: Queued<T>[] = [];
  private inflight = 0;

  /**
   * @param flush writes a group of items in one request; rejects when none was stored.
   * @param maxInFlight writes allowed at once.
   * @param maxBatch items per write at most.
   */
  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly maxInFlight = 1,
    private readonly maxBatch = 500,
  ) {}

  send(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  /** Items waiting for a write slot. */
  get queued(): number {
    return this.queue.length;
  }

  /** Items waiting or being written. */
  get pending(): number {
    return this.queue.length + this.inflight;
  }

  private pump(): void {
    while (this.inflight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inflight++;
      let sent: Promise<void>;
      try {
        sent = this.flush(batch.map((q) => q.item));
      } catch (err) {
        sent = Promise.reject(err);
      }
      sent.then(
        () => this.settle(batch, null),
        (err: Error) => this.settle(batch, err),
      );
    }
  }

  private settle(batch: Queued<T>[], err: Error | null): void {
    this.inflight--;
    for (const m of batch) {
      if (err) m.reject(err);
      else m.resolve();
    }
    this.pump();
  }
}
