// The receiving side's order of things (kafka-server.ts), without a broker: the `taken` acknowledgement is delivered
// before the handler runs, a call whose acknowledgement cannot be delivered is not run, and a call sent before the
// server started is refused without running (its caller may have sent it elsewhere).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KafkaMessage } from 'kafkajs';
import { RPC_VERSION, type RpcReply } from '@anvil/sdk';
import { encode, type KafkaEnvelope } from './kafka-envelope.ts';
import { requestHandler } from './kafka-server.ts';

const message = (env: Partial<KafkaEnvelope>): KafkaMessage =>
  ({ value: encode({ v: RPC_VERSION, id: 'c1', method: 'deploy', args: {}, reply_to: 'anvil.reply.api', sent_at: 1_000, expires_at: 61_000, ...env } as KafkaEnvelope), offset: '0', headers: {} }) as unknown as KafkaMessage;

function world(opts: { replyFails?: (r: RpcReply) => boolean } = {}) {
  const events: string[] = [];
  let clock = 2_000;
  const handle = requestHandler({
    topic: 'anvil.conductor.c1',
    acceptFrom: () => 1_500,
    now: () => clock,
    log: () => undefined,
    handler: async (method) => {
      events.push(`handler ${method}`);
      return { ok: 1 };
    },
    reply: async (_topic, r) => {
      clock += 300; // every delivery attempt takes time (so a failing one runs out of the caller's deadline)
      if (opts.replyFails?.(r)) throw new Error('broker down');
      events.push(r.taken ? 'taken' : r.ok ? 'answer' : `error ${r.error?.code} ${r.error?.status}`);
    },
  });
  return { events, handle };
}

test('a call is acknowledged as taken before its handler runs, then answered', async () => {
  const w = world();
  await w.handle(message({ sent_at: 1_600 }));
  assert.deepEqual(w.events, ['taken', 'handler deploy', 'answer']);
});

test('an acknowledgement that cannot be delivered before the caller gives up: the handler never runs', async () => {
  const w = world({ replyFails: (r) => r.taken === true });
  await w.handle(message({ sent_at: 1_600, expires_at: 4_000 }));
  assert.deepEqual(w.events, []);
});

test('a call sent before this server started is refused 503 without running; a cast from then still runs', async () => {
  const w = world();
  await w.handle(message({ sent_at: 1_400 }));
  assert.deepEqual(w.events, ['error TemporaryFailure 503']);
  await w.handle(message({ id: 'c2', sent_at: 1_400, reply_to: undefined }));
  assert.deepEqual(w.events, ['error TemporaryFailure 503', 'handler deploy']);
});

test('a caller speaking RPC 1.0 gets no acknowledgement (it would read it as the answer)', async () => {
  const w = world();
  await w.handle(message({ v: '1.0', sent_at: 1_600 }));
  assert.deepEqual(w.events, ['handler deploy', 'answer']);
});
