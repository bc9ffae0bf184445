/**
 * RPC between the API and conductors. One contract, two transports (in-process, Kafka).
 * Messages are versioned; a receiver refuses a major version it does not know.
 */
export const RPC_VERSION = '1.1';

export interface RpcEnvelope {
  v: string; // message schema version, RPC_VERSION
  id: string; // correlation id
  method: string;
  args: Record<string, unknown>;
  reply_to?: string; // topic for the reply; absent for a cast
  sent_at: number; // ms since epoch
}

export interface RpcReply {
  v: string;
  id: string;
  ok: boolean;
  result?: unknown;
  error?: { code: string; status: number; message: string };
  /**
   * An acknowledgement, not the answer (1.1): the receiver took the call and is about to run it (nothing changed
   * yet); the answer follows. A caller whose conductor dies after this must not send the call elsewhere.
   */
  taken?: true;
}

/** Per-call options of RpcTransport.call. */
export interface RpcCallOptions {
  /** Called once when the receiver took the call (before its handler changed anything). */
  onTaken?: () => void;
}

export type RpcHandler = (method: string, args: Record<string, unknown>) => Promise<unknown>;

/** A transport delivers calls/casts to a topic (a conductor host, or a conductor group). */
export interface RpcTransport {
  /**
   * Request/reply; rejects with the remote AnvilError (same code and status) or RpcTimeout. `opts.onTaken` is called
   * when the receiver took the call, before any state change: a call never taken can safely go elsewhere.
   */
  call<T = unknown>(topic: string, method: string, args: Record<string, unknown>, timeoutMs?: number, opts?: RpcCallOptions): Promise<T>;
  /** Fire and forget; errors are logged on the receiving side and dropped. */
  cast(topic: string, method: string, args: Record<string, unknown>): Promise<void>;
  /**
   * The serving process's heartbeat was written (ms since epoch, when the write began). A server may then refuse,
   * unrun, calls sent while its heartbeats had stopped long enough for callers to send them elsewhere.
   */
  markAlive?(at: number): void;
  /** Serve a topic with a handler. */
  serve(topic: string, handler: RpcHandler): Promise<void>;
  close(): Promise<void>;
}

export const topicForHost = (hostname: string) => `anvil.conductor.${hostname}`;
export const topicForGroup = (group: string) => `anvil.conductor-group.${group || 'default'}`;
