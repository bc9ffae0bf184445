// Broker restart: a private Kafka broker (scripts/services/kafka.sh, instance rpc-restart-<pid>) is stopped and
// started under a running client and server. Needs the broker jars, so it runs when ANVIL_TEST_KAFKA_BROKERS is set.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AnvilError, topicForHost } from '@anvil/sdk';
import { KafkaTransport } from './kafka.ts';
import type { RpcLog } from './kafka-log.ts';

const missing = !process.env.ANVIL_TEST_KAFKA_BROKERS && 'ANVIL_TEST_KAFKA_BROKERS is not set: run `bash scripts/services/kafka.sh start` first';
// no silent skips: without a broker every test fails naming it
before(() => {
  if (missing) throw new Error(`missing prerequisite: ${missing}`);
});
const script = new URL('../../../scripts/services/kafka.sh', import.meta.url).pathname;
const instance = `rpc-restart-${process.pid}`;
const broker = async (cmd: 'start' | 'down' | 'stop' | 'env') => {
  const { stdout } = await promisify(execFile)('bash', [script, cmd], {
    env: { ...process.env, ANVIL_KAFKA_INSTANCE: instance, ANVIL_KAFKA_OWNER_PID: String(process.pid) },
    timeout: 90_000,
  });
  return stdout;
};
after(async () => {
  if (!missing) await broker('stop');
});

const logs: string[] = [];
const log: RpcLog = (level, message) => {
  if (level !== 'debug') logs.push(`${level} ${message}`);
};

test('broker restart: calls fail fast and clearly while it is down, then everything recovers; nothing is lost', { timeout: 180_000 }, async () => {
  await broker('start');
  const brokers = [(await broker('env')).trim().split('=')[1]];
  assert.match(brokers[0], /^127\.0\.0\.1:\d+$/);
  const server = new KafkaTransport({ brokers, clientId: 'restart-srv', log });
  const client = new KafkaTransport({ brokers, clientId: 'restart-cli', log });
  const parked = new KafkaTransport({ brokers, clientId: 'restart-parked', log });
  try {
    const topic = topicForHost(`restart-${process.pid}`);
    const parkedTopic = topicForHost(`restart-parked-${process.pid}`);
    let served = 0;
    await server.serve(topic, async (_m, args) => {
      served++;
      return `pong ${args.n}`;
    });
    assert.equal(await client.call(topic, 'ping', { n: 0 }, 10_000), 'pong 0');

    // A conductor that handled one message and went away; a second message waits for it in the broker.
    const parkedSeen: unknown[] = [];
    await parked.serve(parkedTopic, async (_m, args) => void parkedSeen.push(args.n));
    await client.cast(parkedTopic, 'note', { n: 'handled-before' });
    while (parkedSeen.length === 0) await new Promise((r) => setTimeout(r, 10));
    await parked.close();
    await client.cast(parkedTopic, 'note', { n: 'waiting-in-broker' });

    await broker('down');
    const started = Date.now();
    await assert.rejects(client.call(topic, 'ping', { n: 1 }, 15_000), (e: unknown) => {
      assert.ok(AnvilError.is(e), String(e));
      assert.equal(e.code, 'TemporaryFailure', e.message);
      assert.equal(e.status, 503);
      assert.match(e.message, /RPC call ping to .* failed: Kafka is unavailable/);
      assert.ok(e.message.includes(brokers[0]), 'names the brokers');
      return true;
    });
    const failedAfter = Date.now() - started;
    assert.ok(failedAfter < 10_000, `failed fast (${failedAfter} ms), before the 15 s call timeout`);
    await assert.rejects(client.cast(topic, 'note', {}), (e: unknown) => AnvilError.is(e) && e.code === 'TemporaryFailure');

    await broker('start'); // same port, same data
    const back = Date.now();
    let answer: unknown;
    while (answer === undefined) {
      try {
        answer = await client.call(topic, 'ping', { n: 2 }, 3_000);
      } catch (e) {
        assert.ok(AnvilError.is(e) && e.status === 503, String(e));
        assert.ok(Date.now() - back < 60_000, `no recovery within 60 s: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    assert.equal(answer, 'pong 2');
    const burst = await Promise.all([...Array(20).keys()].map((n) => client.call(topic, 'ping', { n }, 10_000)));
    assert.deepEqual(burst, [...Array(20).keys()].map((n) => `pong ${n}`));

    // The message stored before the restart reaches the next server of its topic, exactly once; the one
    // handled before is not replayed (offsets survived the restart).
    const next = new KafkaTransport({ brokers, clientId: 'restart-next', log });
    const nextSeen: unknown[] = [];
    try {
      await next.serve(parkedTopic, async (_m, args) => void nextSeen.push(args.n));
      const end = Date.now() + 15_000;
      while (nextSeen.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(nextSeen, ['waiting-in-broker']);
    } finally {
      await next.close();
    }
    assert.ok(served >= 22);
    assert.ok(logs.some((l) => /lost the broker/.test(l)), 'the consumers reported losing the broker');
  } finally {
    await Promise.all([server.close(), client.close(), parked.close()]);
  }
});
