/**
 * In-process RPC (Ironic's LocalContext): call/cast straight to the handler serving the topic, no bus.
 * Arguments and results go through a JSON round trip so behaviour matches a real transport.
 * A cast runs in the background and drops its error after logging, like an async cast on a bus.
 */
import { AnvilError, type RpcCallOptions, type RpcHandler, type RpcTransport, RpcTimeout, TemporaryFailure } from '@anvil/sdk';
import type { Logger } from '../log.ts';

const roundTrip = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

export class LocalTransport implements RpcTransport {
  private readonly handlers = new Map<string, RpcHandler>();
  private closed = false;
  constructor(private readonly log?: Logger) {}

  async serve(topic: string, handler: RpcHandler): Promise<void> {
    this.handlers.set(topic, handler);
  }

  /** Stop serving one topic (a conductor stopping in a shared process). */
  unserve(topic: string): void {
    this.handlers.delete(topic);
  }

  private handler(topic: string): RpcHandler {
    if (this.closed) throw new TemporaryFailure('RPC transport is closed');
    const h = this.handlers.get(topic);
    if (!h) throw new TemporaryFailure(`No conductor serves RPC topic ${topic}`);
    return h;
  }

  async call<T = unknown>(topic: string, method: string, args: Record<string, unknown>, timeoutMs?: number, opts?: RpcCallOptions): Promise<T> {
    const h = this.handler(topic);
    opts?.onTaken?.(); // taken at once: the handler runs in this process
    const run = h(method, roundTrip(args)).then((r) => roundTrip(r) as T);
    if (!timeoutMs) return run;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RpcTimeout(`Timed out waiting for a reply to ${method} on ${topic}`)), timeoutMs);
    });
    try {
      return await Promise.race([run, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async cast(topic: string, method: string, args: Record<string, unknown>): Promise<void> {
    const h = this.handler(topic);
    setImmediate(() => {
      h(method, roundTrip(args)).catch((err) => {
        const fields = AnvilError.is(err) ? { code: err.code, status: err.status } : {};
        this.log?.warn(`RPC cast ${method} to ${topic} failed: ${err instanceof Error ? err.message : String(err)}`, fields);
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
  }
}
