/**
 * Where the time of an RPC call goes, step by step (for the benchmarks; always on, a few numbers per call).
 * The receiving side stamps when it read the request and when its handler finished (ms since epoch with
 * sub-millisecond precision, comparable between processes on one machine); the caller adds when it sent the request,
 * when the send was acknowledged and when the reply arrived:
 *   produce = call → the broker acknowledged the request (batching wait + produce round trip)
 *   deliver = acknowledged → the server read it (broker → consumer fetch; can be ≤ 0: a fetch may see the message first)
 *   take    = read → the caller's `taken` acknowledgement is on the broker (before the handler may change anything)
 *   handler = the server's handler (lock, DB work, FSM)
 *   reply   = handler done → the caller has the reply (reply produce + fetch by the reply consumer)
 * Pure: no I/O.
 */

/** Wall-clock ms since epoch with sub-millisecond precision. */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

/** The server's stamps carried back in a reply. */
export interface ServerTiming {
  received_at: number;
  /** when the `taken` acknowledgement was delivered (absent from servers before RPC 1.1) */
  taken_at?: number;
  handled_at: number;
}

export const STEP_NAMES = ['produce', 'deliver', 'take', 'handler', 'reply', 'total'] as const;
export type StepName = (typeof STEP_NAMES)[number];

export interface CallStamps {
  started: number;
  acked: number | null;
  server: ServerTiming | null;
  replied: number;
}

const MAX_SAMPLES = 200_000;

export class RpcStepStats {
  private readonly samples: Record<StepName, number[]> = { produce: [], deliver: [], take: [], handler: [], reply: [], total: [] };

  add(s: CallStamps): void {
    if (this.samples.total.length >= MAX_SAMPLES) return;
    this.samples.total.push(s.replied - s.started);
    if (s.acked !== null) this.samples.produce.push(s.acked - s.started);
    if (s.server) {
      if (s.acked !== null) this.samples.deliver.push(s.server.received_at - s.acked);
      const taken = s.server.taken_at ?? s.server.received_at;
      this.samples.take.push(taken - s.server.received_at);
      this.samples.handler.push(s.server.handled_at - taken);
      this.samples.reply.push(s.replied - s.server.handled_at);
    }
  }

  get count(): number {
    return this.samples.total.length;
  }

  percentile(step: StepName, p: number): number {
    const list = this.samples[step];
    if (list.length === 0) return Number.NaN;
    const s = [...list].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
  }

  reset(): void {
    for (const k of STEP_NAMES) this.samples[k].length = 0;
  }
}
