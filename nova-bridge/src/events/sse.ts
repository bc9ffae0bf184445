/**
 * Event-driven waits on Anvil's node event stream (`GET /v1/anvil/events`, text/event-stream).
 * Each event about a node wakes that node's waiters, which re-run their check (one API read). A slow fallback
 * timer (default Nova's 2 s) still re-checks, so a lost event or a dropped stream only costs latency, never
 * correctness; after a reconnect every waiter re-checks at once.
 */
import { SseParser, nodeUuidsOf } from './sse-parser.ts';
import { type Check, type NodeWaiter, type WaitOptions, timedOut, tolerant } from './waiter.ts';
import type { ApiAuth } from '../client/api-auth.ts';

export const EVENTS_PATH = '/v1/anvil/events';

export interface SseWaiterOptions {
  /** re-check this often even without events (ms); also the unit of `maxPolls` budgets. */
  fallbackIntervalMs?: number;
  reconnectDelayMs?: number;
  /** credentials for an API under http_basic or keystone */
  auth?: ApiAuth | null;
}

export class SseWaiter implements NodeWaiter {
  readonly mode = 'sse' as const;
  private readonly wakers = new Map<string, Set<() => void>>();
  private readonly abort = new AbortController();
  private closed = false;
  readonly fallbackIntervalMs: number;
  private readonly reconnectDelayMs: number;
  private readonly auth: ApiAuth | null;
  /** counts events received, for tests and the bench. */
  eventsSeen = 0;
  private readonly listeners = new Set<(nodes: string[]) => void>();

  private constructor(
    readonly url: string,
    o: SseWaiterOptions,
  ) {
    this.fallbackIntervalMs = o.fallbackIntervalMs ?? 2000;
    this.reconnectDelayMs = o.reconnectDelayMs ?? 500;
    this.auth = o.auth ?? null;
  }

  /** Opens the stream; resolves to null when the endpoint does not serve events (plain Ironic → poll instead). */
  static async connect(endpoint: string, o: SseWaiterOptions = {}): Promise<SseWaiter | null> {
    const w = new SseWaiter(endpoint.replace(/\/+$/, '') + EVENTS_PATH, o);
    const res = await w.open().catch(() => null);
    if (!res) return null;
    void w.pump(res);
    return w;
  }

  private async open(reauthed = false): Promise<Response | null> {
    const res = await fetch(this.url, { headers: { Accept: 'text/event-stream', ...(await this.auth?.headers()) }, signal: this.abort.signal });
    if (res.status === 401 && !reauthed && this.auth?.invalidate()) {
      await res.body?.cancel().catch(() => {});
      return this.open(true);
    }
    if (res.status !== 200 || !(res.headers.get('content-type') ?? '').includes('text/event-stream') || !res.body) {
      await res.body?.cancel().catch(() => {});
      return null;
    }
    return res;
  }

  private async pump(res: Response): Promise<void> {
    while (!this.closed) {
      const parser = new SseParser();
      const decoder = new TextDecoder();
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          for (const msg of parser.push(decoder.decode(chunk, { stream: true }))) {
            this.eventsSeen++;
            const uuids = nodeUuidsOf(msg);
            for (const uuid of uuids) for (const wake of this.wakers.get(uuid) ?? []) wake();
            for (const l of this.listeners) l(uuids);
          }
        }
      } catch {
        /* stream broke: reconnect below */
      }
      // reconnect until it works or we are closed; everyone re-checks after a gap
      while (!this.closed) {
        await new Promise((r) => setTimeout(r, this.reconnectDelayMs));
        if (this.closed) return;
        const next = await this.open().catch(() => null);
        if (next) {
          res = next;
          for (const set of this.wakers.values()) for (const wake of set) wake();
          break;
        }
      }
    }
  }

  async wait<T>(nodeUuid: string, check: Check<T>, o?: WaitOptions): Promise<T> {
    const deadline = o?.maxPolls !== undefined ? Date.now() + o.maxPolls * this.fallbackIntervalMs : Number.POSITIVE_INFINITY;
    let dirty = false;
    let wakeNow: (() => void) | null = null;
    const wake = () => {
      dirty = true;
      wakeNow?.();
    };
    let set = this.wakers.get(nodeUuid);
    if (!set) this.wakers.set(nodeUuid, (set = new Set()));
    set.add(wake); // registered before the first check: no event can slip between check and sleep
    try {
      for (;;) {
        dirty = false;
        const r = await tolerant(check);
        if (r) return r.value;
        if (this.closed) throw new Error('event waiter closed');
        if (Date.now() >= deadline) timedOut(o, `node ${nodeUuid}`);
        if (dirty) continue;
        await new Promise<void>((resolve) => {
          const t = setTimeout(done, Math.min(this.fallbackIntervalMs, Math.max(0, deadline - Date.now())));
          function done() {
            clearTimeout(t);
            wakeNow = null;
            resolve();
          }
          wakeNow = done;
        });
      }
    } finally {
      set.delete(wake);
      if (set.size === 0) this.wakers.delete(nodeUuid);
    }
  }

  /** every event's node uuids (the resource tracker re-reads those nodes); returns the unsubscribe */
  subscribe(fn: (nodes: string[]) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    for (const set of this.wakers.values()) for (const wake of set) wake();
  }
}
