// KafkaTransport against a real broker: ANVIL_TEST_KAFKA_BROKERS (scripts/services/kafka.sh start && ... env).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { AnvilError, NodeLocked, RPC_VERSION, topicForGroup, topicForHost } from '@anvil/sdk';
import type { RpcHandler } from '@anvil/sdk';
import { KafkaTransport } from './kafka.ts';
import type { RpcLog } from './kafka-log.ts';

const brokers = process.env.ANVIL_TEST_KAFKA_BROKERS?.split(',').filter(Boolean) ?? [];
const missing = brokers.length === 0 && 'ANVIL_TEST_KAFKA_BROKERS is not set: run `bash scripts/services/kafka.sh start` and export its `env`';
// no silent skips: without a broker every test fails naming it
before(() => {
  if (missing) throw new Error(`missing prerequisite: ${missing}`);
});
const run = randomUUID().slice(0, 8);
const host = (name: string) => topicForHost(`t${run}-${name}`);

const logs: string[] = [];
const log: RpcLog = (level, message) => {
  if (level !== 'debug') logs.push(`${level} ${message}`);
};
const open: KafkaTransport[] = [];
const transport = (clientId: string, extra: Partial<ConstructorParameters<typeof KafkaTransport>[0]> = {}) => {
  const t = new KafkaTransport({ brokers, clientId, log, ...extra });
  open.push(t);
  return t;
};
after(
  async () => {
    await Promise.all(open.map((t) => t.close()));
  },
  { timeout: 30_000 },
);

const until = async (cond: () => boolean, ms: number, what: string) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

const echo: RpcHandler = async (method, args) => (method === 'void' ? undefined : { method, args, sum: Number(args.a ?? 0) + Number(args.b ?? 0) });

test('call: request/reply round trip with correlation', { timeout: 60_000 }, async () => {
  const server = transport('srv-rt');
  const client = transport('cli-rt');
  const topic = host('rt');
  await server.serve(topic, echo);
  const r = await client.call<{ method: string; args: unknown; sum: number }>(topic, 'add', { a: 2, b: 40 }, 10_000);
  assert.deepEqual(r, { method: 'add', args: { a: 2, b: 40 }, sum: 42 });
  assert.equal(await client.call(topic, 'void', {}), null, 'a handler returning undefined answers null');
  assert.equal(client.waiting, 0);
  assert.match(client.replyTopic, /^anvil\.reply\.cli-rt\.[0-9a-f]{8}$/);
});

test('call: the server acknowledges taking the call (onTaken, once) before it answers', { timeout: 60_000 }, async () => {
  const server = transport('srv-tk');
  const client = transport('cli-tk');
  const topic = host('tk');
  let taken = 0;
  let takenSeenByHandler = false;
  await server.serve(topic, async () => {
    // the acknowledgement was delivered before the handler ran: it reaches the caller while the handler waits
    await until(() => taken === 1, 10_000, 'the caller saw the acknowledgement');
    takenSeenByHandler = true;
    return 'done';
  });
  assert.equal(await client.call(topic, 'work', {}, 20_000, { onTaken: () => taken++ }), 'done');
  assert.equal(taken, 1);
  assert.ok(takenSeenByHandler);
});

test('call: a remote AnvilError comes back with the same code, status and message', { timeout: 60_000 }, async () => {
  const server = transport('srv-err');
  const client = transport('cli-err');
  const topic = host('err');
  await server.serve(topic, async (method) => {
    if (method === 'locked') throw new NodeLocked('Node 1be26c0b is locked by host conductor-2, please retry after the current operation is completed.');
    throw new RangeError('boom');
  });
  await assert.rejects(client.call(topic, 'locked', {}, 10_000), (e: unknown) => {
    assert.ok(e instanceof AnvilError);
    assert.equal(e.code, 'NodeLocked');
    assert.equal(e.status, 409);
    assert.match(e.message, /locked by host conductor-2/);
    return true;
  });
  await assert.rejects(client.call(topic, 'other', {}, 10_000), (e: unknown) => AnvilError.is(e) && e.status === 500 && e.message === 'boom');
});

test('call: nobody serving → RpcTimeout (503) after the timeout; the late request is not run', { timeout: 60_000 }, async () => {
  const client = transport('cli-to');
  const topic = host('nobody');
  const started = Date.now();
  await assert.rejects(client.call(topic, 'ping', {}, 400), (e: unknown) => {
    assert.ok(AnvilError.is(e));
    assert.equal(e.code, 'RpcTimeout');
    assert.equal(e.status, 503);
    assert.match(e.message, /ping/);
    assert.ok(e.message.includes(topic), 'names the topic');
    return true;
  });
  const took = Date.now() - started;
  assert.ok(took >= 390 && took < 3_000, `took ${took} ms`);
  assert.equal(client.waiting, 0);
  // A conductor that comes up later must not run a call whose caller already gave up.
  let ran = 0;
  const late = transport('srv-late');
  await late.serve(topic, async () => {
    ran++;
    return 'pong';
  });
  await until(() => logs.some((l) => l.includes('dropping ping') && l.includes('caller timed out')), 10_000, 'the expired call to be dropped');
  assert.equal(ran, 0);
  assert.equal(await client.call(topic, 'ping', {}, 10_000), 'pong', 'new calls are served');
  assert.equal(ran, 1);
});

test('cast: delivered once; a failing cast is logged by the receiver and does not block later calls', { timeout: 60_000 }, async () => {
  const server = transport('srv-cast');
  const client = transport('cli-cast');
  const topic = host('cast');
  const seen: unknown[] = [];
  await server.serve(topic, async (method, args) => {
    if (method === 'fail') throw new Error('cast went wrong');
    seen.push(args.n);
    return 'ignored';
  });
  await client.cast(topic, 'fail', {});
  for (let n = 0; n < 20; n++) await client.cast(topic, 'note', { n });
  await until(() => seen.length === 20, 10_000, '20 casts');
  assert.deepEqual([...seen].sort((a, b) => Number(a) - Number(b)), [...Array(20).keys()]);
  await until(() => logs.some((l) => l.startsWith('error cast fail') && l.includes('cast went wrong')), 5_000, 'the failure log');
  assert.deepEqual(await client.call(topic, 'note', { n: 'x' }, 10_000), 'ignored');
});

test('cast before anyone serves the topic is delivered when a server starts (nothing lost)', { timeout: 60_000 }, async () => {
  const client = transport('cli-early');
  const topic = host('early');
  await client.cast(topic, 'early', { x: 1 });
  const got: unknown[] = [];
  const server = transport('srv-early');
  await server.serve(topic, async (method, args) => {
    got.push([method, args]);
  });
  await until(() => got.length === 1, 10_000, 'the early cast');
  assert.deepEqual(got, [['early', { x: 1 }]]);
});

test('two conductors on their own host topics each get only their calls', { timeout: 60_000 }, async () => {
  const a = transport('cond-a');
  const b = transport('cond-b');
  const api = transport('api-ab');
  const [ta, tb] = [host('a'), host('b')];
  const hits = { a: 0, b: 0 };
  await Promise.all([
    a.serve(ta, async (_m, args) => {
      hits.a++;
      return `a:${args.i}`;
    }),
    b.serve(tb, async (_m, args) => {
      hits.b++;
      return `b:${args.i}`;
    }),
  ]);
  const results = await Promise.all([...Array(30).keys()].map((i) => api.call(i % 3 ? ta : tb, 'who', { i }, 10_000)));
  assert.deepEqual(results, results.map((_, i) => `${i % 3 ? 'a' : 'b'}:${i}`));
  assert.deepEqual(hits, { a: 20, b: 10 });
});

test('a conductor-group topic is shared: each call handled exactly once by one of the group', { timeout: 60_000 }, async () => {
  const group = topicForGroup(`g${run}`);
  const c1 = transport('grp-1');
  const c2 = transport('grp-2');
  const api = transport('api-grp');
  const handled = new Map<string, string[]>();
  const handler = (name: string): RpcHandler => async (_m, args) => {
    const id = String(args.node_id);
    handled.set(id, [...(handled.get(id) ?? []), name]);
    return name;
  };
  await c1.serve(group, handler('c1'));
  await c2.serve(group, handler('c2'));
  const ids = [...Array(60).keys()].map((i) => `node-${run}-${i}`);
  const answers = await Promise.all(ids.map((node_id) => api.call<string>(group, 'do', { node_id }, 15_000)));
  for (const id of ids) assert.equal(handled.get(id)?.length, 1, `${id} handled ${handled.get(id)?.length} times`);
  assert.ok(answers.includes('c1') && answers.includes('c2'), `both conductors served (${new Set(answers).size})`);
});

test('many concurrent calls all get their own answer', { timeout: 60_000 }, async () => {
  const server = transport('srv-many');
  const client = transport('cli-many');
  const topic = host('many');
  let running = 0;
  let peak = 0;
  await server.serve(topic, async (_m, args) => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 10));
    running--;
    return Number(args.i) * 2;
  });
  const n = 500;
  const started = Date.now();
  const out = await Promise.all([...Array(n).keys()].map((i) => client.call<number>(topic, 'double', { i }, 20_000)));
  assert.deepEqual(out, out.map((_, i) => i * 2));
  assert.ok(peak > 1, `handlers ran concurrently (peak ${peak})`);
  assert.ok(Date.now() - started < 15_000);
  assert.equal(client.waiting, 0);
});

test('a message of an unknown major version is refused with an error reply, never handled', { timeout: 60_000 }, async () => {
  const server = transport('srv-ver');
  const topic = host('ver');
  let handled = 0;
  await server.serve(topic, async () => {
    handled++;
    return 'ran';
  });
  const kafka = new Kafka({ clientId: 'raw-ver', brokers, logLevel: logLevel.NOTHING });
  const replyTopic = `anvil.reply.raw-ver.${run}`;
  const admin = kafka.admin();
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: replyTopic, maxWaitTimeInMs: 20 });
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: replyTopic }], waitForLeaders: true });
    const replies: Array<Record<string, unknown>> = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [replyTopic], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void replies.push(JSON.parse(String(message.value))) });
    await producer.connect();
    const major = Number(RPC_VERSION.split('.')[0]);
    const env = { v: `${major + 1}.0`, id: `future-${run}`, method: 'get_node', args: {}, reply_to: replyTopic, sent_at: Date.now() };
    await producer.send({ topic, messages: [{ value: JSON.stringify(env) }] });
    await until(() => replies.length === 1, 15_000, 'the refusal');
    const r = replies[0] as { id: string; ok: boolean; error: { code: string; status: number; message: string } };
    assert.equal(r.id, env.id);
    assert.equal(r.ok, false);
    assert.equal(r.error.code, 'UnsupportedVersion');
    assert.match(r.error.message, new RegExp(`version "${major + 1}\\.0" is not supported`));
    assert.equal(handled, 0);
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [replyTopic] }).catch(() => {});
    await admin.disconnect();
  }
});

test('closed transport rejects; close abandons waiting calls with a clear error', { timeout: 60_000 }, async () => {
  const client = new KafkaTransport({ brokers, clientId: 'cli-close', log });
  const pending = assert.rejects(client.call(host('void-close'), 'never', {}, 30_000), (e: unknown) => {
    return AnvilError.is(e) && e.status === 503 && /never .*abandoned.*closed/.test(e.message);
  });
  await new Promise((r) => setTimeout(r, 300));
  await client.close();
  await pending;
  await assert.rejects(client.call(host('x'), 'm', {}), (e: unknown) => AnvilError.is(e) && /closed/.test(e.message));
  assert.throws(() => new KafkaTransport({ brokers: [] }), (e: unknown) => AnvilError.is(e) && e.status === 400);
});
