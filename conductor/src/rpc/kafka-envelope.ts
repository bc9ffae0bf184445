/**
 * The wire format of Anvil's Kafka RPC: JSON envelopes (RpcEnvelope / RpcReply from @anvil/sdk) plus the
 * checks a receiver makes before it runs anything. Pure: no kafkajs, no I/O.
 */
import { AnvilError, RPC_VERSION } from '@anvil/sdk';
import type { RpcEnvelope, RpcReply } from '@anvil/sdk';
import type { ServerTiming } from './rpc-steps.ts';
import { REQUEST_ID_HEADER, type RequestContext } from '../log.ts';

/** An envelope on the Kafka bus: the SDK envelope plus the instant after which nobody waits for the answer. */
export interface KafkaEnvelope extends RpcEnvelope {
  expires_at?: number; // ms since epoch; a call's deadline (its caller gave up after it), a cast's time to live
}

/** A reply on the Kafka bus: the SDK reply plus when the server read, took and finished the request (rpc-steps.ts). */
export interface KafkaReply extends RpcReply {
  timing?: ServerTiming;
}

/** Error code of a reply refusing a message whose major version this receiver does not know. */
export const UNSUPPORTED_VERSION = 'UnsupportedVersion';

const major = (v: string) => v.split('.', 1)[0];

/** True when the sender of a request of version `v` understands a `taken` acknowledgement (1.1 and later). */
export function wantsTaken(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const [maj, min] = v.split('.').map(Number);
  return maj > 1 || (maj === 1 && min >= 1);
}

/** True when a message of version `v` can be handled by code speaking `ours` (same major version). */
export function compatible(v: unknown, ours = RPC_VERSION): boolean {
  return typeof v === 'string' && v.length > 0 && major(v) === major(ours);
}

export function encode(msg: KafkaEnvelope | RpcReply): Buffer {
  return Buffer.from(JSON.stringify(msg));
}

/** Result of reading a request off the bus: a usable envelope, or why it cannot be handled. */
export type Decoded =
  | { kind: 'ok'; env: KafkaEnvelope }
  | { kind: 'refuse'; env: KafkaEnvelope; error: AnvilError } // well formed, but must be answered with an error
  | { kind: 'garbage'; reason: string }; // cannot even be answered

export function decodeRequest(raw: Buffer | null, ours = RPC_VERSION): Decoded {
  if (!raw || raw.length === 0) return { kind: 'garbage', reason: 'empty message' };
  let msg: unknown;
  try {
    msg = JSON.parse(raw.toString('utf8'));
  } catch {
    return { kind: 'garbage', reason: 'message is not JSON' };
  }
  if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return { kind: 'garbage', reason: 'message is not an object' };
  const env = msg as KafkaEnvelope;
  if (typeof env.id !== 'string' || env.id === '') return { kind: 'garbage', reason: 'message has no correlation id' };
  if (!compatible(env.v, ours)) {
    const error = new AnvilError(
      `RPC message version ${JSON.stringify(env.v ?? null)} is not supported: this conductor speaks major version ` +
        `${major(ours)} (${ours}); upgrade the sender or the conductor so both use the same major version`,
      UNSUPPORTED_VERSION,
      500,
    );
    return { kind: 'refuse', env, error };
  }
  if (typeof env.method !== 'string' || env.method === '') {
    return { kind: 'refuse', env, error: new AnvilError('RPC message has no method', 'InvalidParameterValue', 400) };
  }
  if (env.args === undefined || env.args === null) env.args = {};
  if (typeof env.args !== 'object' || Array.isArray(env.args)) {
    return { kind: 'refuse', env, error: new AnvilError('RPC message args must be an object', 'InvalidParameterValue', 400) };
  }
  return { kind: 'ok', env };
}

export function decodeReply(raw: Buffer | null): KafkaReply | null {
  if (!raw) return null;
  try {
    const r = JSON.parse(raw.toString('utf8')) as KafkaReply;
    return r && typeof r === 'object' && typeof r.id === 'string' ? r : null;
  } catch {
    return null;
  }
}

/** The reply carrying a handler's failure: AnvilErrors keep their code and status, anything else is a 500. */
export function errorReply(id: string, err: unknown): RpcReply {
  if (AnvilError.is(err)) return { v: RPC_VERSION, id, ok: false, error: { code: err.code, status: err.status, message: err.message } };
  const message = err instanceof Error ? err.message : String(err);
  return { v: RPC_VERSION, id, ok: false, error: { code: 'AnvilError', status: 500, message } };
}

/** The acknowledgement a server sends before it runs a call (RpcReply.taken). */
export function takenReply(id: string): RpcReply {
  return { v: RPC_VERSION, id, ok: true, taken: true };
}

export function resultReply(id: string, result: unknown): RpcReply {
  return { v: RPC_VERSION, id, ok: true, result: result === undefined ? null : result };
}

/** What a caller gets from a reply: the result, or the remote error rebuilt with the same code and status. */
export function replyOutcome(reply: RpcReply): { ok: true; result: unknown } | { ok: false; error: AnvilError } {
  if (!compatible(reply.v)) {
    return {
      ok: false,
      error: new AnvilError(`RPC reply version ${JSON.stringify(reply.v ?? null)} is not supported (we speak ${RPC_VERSION})`, UNSUPPORTED_VERSION, 500),
    };
  }
  if (reply.ok) return { ok: true, result: reply.result };
  const e = reply.error;
  const status = typeof e?.status === 'number' ? e.status : 500;
  return { ok: false, error: new AnvilError(e?.message ?? 'remote error without a message', e?.code ?? 'AnvilError', status) };
}

/** Kafka's rule for topic names; a bad one is the caller's mistake (400), not a broker failure. */
export function checkTopic(topic: string): void {
  if (typeof topic !== 'string' || !/^[a-zA-Z0-9._-]{1,249}$/.test(topic) || topic === '.' || topic === '..') {
    throw new AnvilError(
      `RPC topic ${JSON.stringify(topic)} is not a valid Kafka topic name (letters, digits, '.', '_', '-'; at most 249)`,
      'InvalidParameterValue',
      400,
    );
  }
}

/** The Kafka record headers carrying the request a message is part of (x-openstack-request-id, global id, project). */
export function requestHeaders(r: RequestContext): Record<string, string> {
  const h: Record<string, string> = { [REQUEST_ID_HEADER]: r.request_id };
  if (r.global_request_id) h['x-openstack-global-request-id'] = r.global_request_id;
  if (r.project) h['x-project-id'] = r.project;
  return h;
}

/** The request a received record is part of, from its headers (undefined when it carries none). */
export function requestFromHeaders(headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined): RequestContext | undefined {
  const one = (k: string) => {
    const v = headers?.[k];
    const first = Array.isArray(v) ? v[0] : v;
    return first === undefined ? undefined : first.toString();
  };
  const id = one(REQUEST_ID_HEADER);
  if (!id) return undefined;
  return { request_id: id, global_request_id: one('x-openstack-global-request-id'), project: one('x-project-id') ?? null };
}
