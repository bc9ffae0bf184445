/**
 * The receiving side of Kafka RPC: turns a request read off a topic into a handler call and, for a call, a reply
 * on the caller's reply topic. Refuses messages of an unknown major version with an error reply, drops requests
 * whose caller already gave up (expires_at) and requests delivered twice (same correlation id).
 */
import type { KafkaMessage } from 'kafkajs';
import type { RpcHandler, RpcReply } from '@anvil/sdk';
import { withRequest } from '../log.ts';
import { decodeRequest, errorReply, requestFromHeaders, resultReply } from './kafka-envelope.ts';
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
}

/** Builds the per-message function a ConsumerLoop runs for a served topic. */
export function requestHandler(deps: RequestHandlerDeps): (message: KafkaMessage) => Promise<void> {
  const recent = new RecentIds();
  const now = deps.now ?? Date.now;
  const { topic, handler, log } = deps;

  const answer = async (env: KafkaEnvelope, reply: RpcReply) => {
    if (!env.reply_to) return;
    // The work is done: keep trying to deliver its answer while the caller still waits (a broker restart).
    const until = typeof env.expires_at === 'number' ? env.expires_at : now() + 5_000;
    for (let attempt = 1; ; attempt++) {
      try {
        await deps.reply(env.reply_to, reply);
        return;
      } catch (err) {
        if (now() + REPLY_RETRY_MS >= until) {
          // The caller sees RpcTimeout; say here why.
          log('error', `could not send the reply to ${env.method} (${env.id}) on ${env.reply_to} after ${attempt} attempts: ${(err as Error).message}`);
          return;
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
    (reply as KafkaReply).timing = { received_at: receivedAt, handled_at: preciseNow() };
    await answer(env, reply);
  };
}
