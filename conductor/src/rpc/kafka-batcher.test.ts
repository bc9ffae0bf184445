import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SendBatcher } from './kafka-batcher.ts';
import type { Outgoing } from './kafka-batcher.ts';

const msg = (topic: string, n: number): Outgoing => ({ topic, key: null, value: Buffer.from(String(n)) });

test('the first message leaves at once; those arriving meanwhile leave together, grouped by topic', async () => {
  const requests: Array<Record<string, string[]>> = [];
  let release!: () => void;
  const b = new SendBatcher(async (byTopic) => {
    requests.push(Object.fromEntries([...byTopic].map(([t, ms]) => [t, ms.map((m) => String(m.value))])));
    if (requests.length === 1) await new Promise<void>((r) => (release = r));
  });
  const first = b.send(msg('a', 0));
  assert.equal(requests.length, 1, 'sent synchronously, no linger');
  const rest = [b.send(msg('a', 1)), b.send(msg('b', 2)), b.send(msg('a', 3))];
  assert.equal(b.queued, 3);
  release();
  await Promise.all([first, ...rest]);
  assert.deepEqual(requests, [{ a: ['0'] }, { a: ['1', '3'], b: ['2'] }]);
});

test('a failed request rejects exactly its messages; later ones still go', async () => {
  let calls = 0;
  const b = new SendBatcher(async () => {
    calls++;
    await new Promise((r) => setImmediate(r));
    if (calls === 1) throw new Error('broker gone');
  });
  const p1 = b.send(msg('a', 1));
  const p2 = b.send(msg('a', 2));
  await assert.rejects(p1, /broker gone/);
  await p2;
  await b.send(msg('a', 3));
  assert.equal(calls, 3);
});

test('batches are capped at maxBatch messages', async () => {
  const sizes: number[] = [];
  const b = new SendBatcher(
    async (byTopic) => {
      sizes.push([...byTopic.values()].reduce((n, l) => n + l.length, 0));
      await new Promise((r) => setImmediate(r));
    },
    1,
    4,
  );
  await Promise.all([...Array(11).keys()].map((i) => b.send(msg('t', i))));
  assert.deepEqual(sizes, [1, 4, 4, 2]);
});
