/**
 * The receiving side of Kafka RPC: turns a request read off a topic into a handler call and, for a call, a reply
 * on the caller's reply topic. Refuses messages of an unknown major version with an error reply, drops requests
 * whose caller already gave up (expires_at) and requests delivered twice (same correlation id).
 *
 * A call is taken in two steps: first a `taken` acknowledgement is delivered to the caller (acks=all), then the
 * handler runs. So a caller that saw no acknowledgement knows nothing was changed and may send the call elsewhere
 * (rpcapi.ts); one that saw it must not. A call sent before this server started (to a previous process of this
 * host, which died) or while this process stood still (pause-detector.ts) is refused with 503 without running: its
 * caller may already have sent it elsewhere.
 */
import type { KafkaMessage } from 'kafkajs';
import { TemporaryFailure } from '@anvil/sdk';
import type { RpcHandler, RpcReply } from '@anvil/sdk';
import { withRequest } from '../log.ts';
import { decodeRequest, errorReply, requestFromHeaders, resultReply, takenReply, wantsTaken } from './kafka-envelope.ts';
import type { KafkaEnvelope, KafkaReply } from './kafka-envelope.ts';
import { RecentIds } from './kafka-offsets.ts';
import type { RpcLog } from './kafka-log.ts';
import { preciseNow } from './rpc-steps.ts';

const REPLY_RETRY_MS = 250;

export interface RequestHandlerDeps {
  topic: string;
  handler: RpcHandler;
  /** Sends a reply to a caller's reply topic (through the transport's one producer). */
  reply: (topic: string, reply: RpcReply) => Promise<void>;
  log: RpcLog;
  now?: () => number;
  /** Calls sent before this instant are refused unrun (default: when the handler was built; pause-detector.ts). */
  acceptFrom?: () => number;
}

/** Builds the per-message function a ConsumerLoop runs for a served topic. */
export function requestHandler(deps: RequestHandlerDeps): (message: KafkaMessage) => Promise<void> {
  const recent = new RecentIds();
  const now = deps.now ?? Date.now;
  const builtAt = now();
  const acceptFrom = deps.acceptFrom ?? (() => builtAt);
  const { topic, handler, log } = deps;

  /** Delivers a reply (or an acknowledgement), retried while the caller still waits (a broker restart). */
  const answer = async (env: KafkaEnvelope, reply: RpcReply): Promise<boolean> => {
    if (!env.reply_to) return true;
    const until = typeof env.expires_at === 'number' ? env.expires_at : now() + 5_000;
    for (let attempt = 1; ; attempt++) {
      try {
        await deps.reply(env.reply_to, reply);
        return true;
      } catch (err) {
        if (now() + REPLY_RETRY_MS >= until) {
          // The caller sees RpcTimeout; say here why.
          const what = reply.taken ? 'acknowledgement' : 'reply';
          log('error', `could not send the ${what} to ${env.method} (${env.id}) on ${env.reply_to} after ${attempt} attempts: ${(err as Error).message}`);
          return false;
        }
        await new Promise((r) => setTimeout(r, REPLY_RETRY_MS));
      }
    }
  };

  return async (message) => {
    const receivedAt = preciseNow();
    const decoded = decodeRequest(message.value);
    if (decoded.kind === 'garbage') {
      log('warn', `dropping an unreadable message on ${topic} at offset ${message.offset}: ${decoded.reason}`);
      return;
    }
    const env = decoded.env;
    if (decoded.kind === 'refuse') {
      log('warn', `refusing ${env.method ?? '?'} (${env.id}) on ${topic}: ${decoded.error.message}`);
      await answer(env, errorReply(env.id, decoded.error));
      return;
    }
    if (typeof env.expires_at === 'number' && now() > env.expires_at) {
      const what = env.reply_to ? 'its caller timed out' : 'its time to live passed';
      log('warn', `dropping ${env.method} (${env.id}) on ${topic}: ${what} ${now() - env.expires_at} ms ago`);
      return;
    }
    if (recent.seen(env.id)) {
      log('debug', `dropping a second delivery of ${env.method} (${env.id}) on ${topic}`);
      return;
    }
    const from = env.reply_to ? acceptFrom() : 0;
    if (env.reply_to && typeof env.sent_at === 'number' && env.sent_at < from) {
      const when = from === Number.POSITIVE_INFINITY ? "while this server's heartbeat is stale" : `${from - env.sent_at} ms before this server started or resumed`;
      log('warn', `refusing ${env.method} (${env.id}) on ${topic}: sent ${when}`);
      const why = `RPC call ${env.method} was sent to ${topic} before its conductor started or while it stood still, and was not run; its caller may have sent it elsewhere. Please retry.`;
      await answer(env, errorReply(env.id, new TemporaryFailure(why)));
      return;
    }
    // Taken: the caller learns it before anything changes; no acknowledgement delivered → not run.
    if (env.reply_to && wantsTaken(env.v) && !(await answer(env, takenReply(env.id)))) return;
    const takenAt = preciseNow();
    let reply: RpcReply;
    try {
      reply = resultReply(env.id, await withRequest(requestFromHeaders(message.headers), () => handler(env.method, env.args)));
    } catch (err) {
      if (!env.reply_to) {
        log('error', `cast ${env.method} (${env.id}) on ${topic} failed: ${(err as Error)?.message ?? err}`);
        return;
      }
      reply = errorReply(env.id, err);
    }
    (reply as KafkaReply).timing = { received_at: receivedAt, taken_at: takenAt, handled_at: preciseNow() };
    await answer(env, reply);
  };
}
