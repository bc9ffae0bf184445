import assert from 'node:assert/strict';
import { type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { SseParser, nodeUuidsOf } from './sse-parser.ts';
import { EVENTS_PATH, SseWaiter } from './sse.ts';
import { createWaiter } from './index.ts';
import { done } from './waiter.ts';

test('SSE parser: split chunks, comments, multi-line data', () => {
  const p = new SseParser();
  assert.deepEqual(p.push(': hi\n\nevent: node\nda'), []);
  const out = p.push('ta: {"uuid":"n1"}\r\n\ndata: a\ndata: b\n\n');
  assert.deepEqual(out, [
    { event: 'node', data: '{"uuid":"n1"}' },
    { event: 'message', data: 'a\nb' },
  ]);
  assert.deepEqual(nodeUuidsOf(out[0]), ['n1']);
});

/** a real SSE server: /v1/anvil/events streams whatever `send` pushes */
async function sseServer() {
  const clients = new Set<ServerResponse>();
  const s = createServer((req, res) => {
    if (req.url !== EVENTS_PATH) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    res.write(': connected\n\n');
    clients.add(res);
    req.on('close', () => clients.delete(res));
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
    send: (uuid: string) => {
      for (const c of clients) c.write(`event: node\ndata: ${JSON.stringify({ uuid })}\n\n`);
    },
    drop: () => {
      for (const c of clients) c.destroy();
    },
    close: () =>
      new Promise<void>((r) => {
        s.closeAllConnections();
        s.close(() => r());
      }),
  };
}

test('an event wakes the waiter at once (fallback interval far away); other nodes do not', async () => {
  const srv = await sseServer();
  const w = await SseWaiter.connect(srv.url, { fallbackIntervalMs: 30_000 });
  assert.ok(w);
  try {
    let state = 'deploying';
    let checks = 0;
    const p = w.wait('n1', async () => {
      checks++;
      return state === 'active' ? done(state) : undefined;
    });
    await new Promise((r) => setTimeout(r, 50));
    srv.send('n2'); // someone else's node: no re-check
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(checks, 1);
    state = 'active';
    const t0 = performance.now();
    srv.send('n1');
    assert.equal(await p, 'active');
    assert.ok(performance.now() - t0 < 10_000, 'woken by the event, not the 30 s fallback'); // (a loaded machine adds seconds)
    assert.equal(checks, 2);
  } finally {
    await w.close();
    await srv.close();
  }
});

test('after the stream drops, the waiter reconnects and re-checks', async () => {
  const srv = await sseServer();
  const w = await SseWaiter.connect(srv.url, { fallbackIntervalMs: 30_000, reconnectDelayMs: 50 });
  assert.ok(w);
  try {
    let ready = false;
    const p = w.wait('n1', async () => (ready ? done(true) : undefined));
    await new Promise((r) => setTimeout(r, 30));
    ready = true;
    srv.drop(); // the change happened while the stream was down: the reconnect wake-up finds it
    assert.equal(await p, true);
  } finally {
    await w.close();
    await srv.close();
  }
});

test('budgeted waits time out; auto mode falls back to polling where no stream exists', async () => {
  const srv = await sseServer();
  const w = await SseWaiter.connect(srv.url, { fallbackIntervalMs: 20 });
  try {
    await assert.rejects(w!.wait('n1', async () => undefined, { maxPolls: 3 }), /timed out/);
  } finally {
    await w!.close();
    await srv.close();
  }
  const plain = createServer((_, res) => {
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
  const pw = await createWaiter(`http://127.0.0.1:${(plain.address() as AddressInfo).port}`, 'auto', 10);
  assert.equal(pw.mode, 'poll');
  let n = 0;
  assert.equal(await pw.wait('x', async () => (++n === 3 ? done(n) : undefined)), 3);
  await assert.rejects(pw.wait('x', async () => undefined, { maxPolls: 2 }), /timed out/);
  await pw.close();
  await new Promise((r) => plain.close(r));
});

test('a transient API failure (connection error, 503) does not end a wait; other errors do', async () => {
  const { IronicConnectionError, IronicHttpError } = await import('../client/http-error.ts');
  const w = await createWaiter('http://127.0.0.1:9', 'poll', 5);
  let n = 0;
  const v = await w.wait('x', async () => {
    n++;
    if (n === 1) throw new IronicConnectionError('GET /v1/nodes: ECONNREFUSED');
    if (n === 2) throw new IronicHttpError(503, 'No conductor', 'GET', '/v1/nodes');
    return done('ok');
  });
  assert.equal(v, 'ok');
  assert.equal(n, 3);
  await assert.rejects(
    w.wait('x', async () => {
      throw new IronicHttpError(404, 'gone', 'GET', '/v1/nodes/x');
    }),
    /gone/,
  );
  await w.close();
});

test('closing a polling waiter ends the waits in progress', async () => {
  const w = await createWaiter('http://127.0.0.1:9', 'poll', 60_000);
  const pending = w.wait('x', async () => undefined);
  await new Promise((r) => setTimeout(r, 20));
  await w.close();
  await assert.rejects(pending, /closed/);
});
