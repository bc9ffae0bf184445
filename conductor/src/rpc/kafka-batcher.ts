/**
 * Kafka sends through a Coalescer (linger 0): a send leaves at once when no produce request is in flight; sends that
 * arrive meanwhile leave together, grouped by topic, in the next request. Pure: the produce is a function given to it.
 */
import { Coalescer } from '../coalescer.ts';

export interface Outgoing {
  topic: string;
  key: string | null;
  value: Buffer;
  /** Kafka record headers (the request id) */
  headers?: Record<string, string>;
}

export class SendBatcher extends Coalescer<Outgoing> {
  /**
   * @param flush sends a group of messages (grouped by topic) in one request; rejects when none was stored.
   * @param maxInFlight requests allowed at once.
   * @param maxBatch messages per request at most.
   */
  constructor(flush: (byTopic: Map<string, Outgoing[]>) => Promise<void>, maxInFlight = 1, maxBatch = 500) {
    super((items) => flush(byTopic(items)), maxInFlight, maxBatch);
  }
}

function byTopic(items: Outgoing[]): Map<string, Outgoing[]> {
  const out = new Map<string, Outgoing[]>();
  for (const m of items) {
    const list = out.get(m.topic);
    if (list) list.push(m);
    else out.set(m.topic, [m]);
  }
  return out;
}
