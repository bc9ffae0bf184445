/**
 * RPC between the API and conductors. One contract, two transports (in-process, Kafka).
 * Messages are versioned; a receiver refuses a major version it does not know.
 */
export const RPC_VERSION = '1.0';

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
}

export type RpcHandler = (method: string, args: Record<string, unknown>) => Promise<unknown>;

/** A transport delivers calls/casts to a topic (a conductor host, or a conductor group). */
export interface RpcTransport {
  /** Request/reply; rejects with the remote AnvilError (same code and status) or RpcTimeout. */
  call<T = unknown>(topic: string, method: string, args: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** Fire and forget; errors are logged on the receiving side and dropped. */
  cast(topic: string, method: string, args: Record<string, unknown>): Promise<void>;
  /** Serve a topic with a handler. */
  serve(topic: string, handler: RpcHandler): Promise<void>;
  close(): Promise<void>;
}

export const topicForHost = (hostname: string) => `anvil.conductor.${hostname}`;
export const topicForGroup = (group: string) => `anvil.conductor-group.${group || 'default'}`;
