/**
 * Which offset a consumer may commit while several messages of a partition are handled at once.
 * A message counts as consumed only when its handler has finished, so the committed offset is the lowest offset
 * still in flight (or one past the highest seen when none is). A crash then re-delivers what was not finished:
 * at-least-once, nothing silently lost. Pure: no kafkajs.
 */
interface PartitionState {
  inflight: Set<bigint>;
  highest: bigint; // highest offset started
  committed: bigint; // last offset handed out for commit (-1n: none yet)
}

export class OffsetTracker {
  private readonly parts = new Map<number, PartitionState>();

  private state(partition: number): PartitionState {
    let s = this.parts.get(partition);
    if (!s) {
      s = { inflight: new Set(), highest: -1n, committed: -1n };
      this.parts.set(partition, s);
    }
    return s;
  }

  /** A message at `offset` of `partition` was handed to a handler. */
  start(partition: number, offset: string): void {
    const s = this.state(partition);
    const o = BigInt(offset);
    s.inflight.add(o);
    if (o > s.highest) s.highest = o;
  }

  /** Its handler finished. Returns the offset to commit now (the next one to read), or null when it did not move. */
  done(partition: number, offset: string): string | null {
    const s = this.state(partition);
    s.inflight.delete(BigInt(offset));
    let next = s.highest + 1n;
    for (const o of s.inflight) if (o < next) next = o;
    if (next <= s.committed) return null;
    s.committed = next;
    return next.toString();
  }

  /** Messages still being handled, over all partitions. */
  get size(): number {
    let n = 0;
    for (const s of this.parts.values()) n += s.inflight.size;
    return n;
  }

  /** Forget a partition (it was revoked in a rebalance; its new owner re-reads from the committed offset). */
  forget(partition: number): void {
    this.parts.delete(partition);
  }
}

/** Remembers the last `capacity` correlation ids, to drop a request delivered twice (at-least-once delivery). */
export class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly capacity = 10_000) {}

  /** True when `id` was seen before; otherwise remembers it. */
  seen(id: string): boolean {
    if (this.ids.has(id)) return true;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value as string;
      this.ids.delete(oldest);
    }
    return false;
  }
}
