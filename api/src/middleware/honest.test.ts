/**
 * Honest HTTP over real HTTP + SQLite: a 409 for a locked node keeps Ironic's body and names the holder and since
 * when in headers; GET of a node and of collections carries an ETag and answers 304 to If-None-Match (and 200 with a
 * new tag after a change); a server past api_max_in_flight answers 503 + Retry-After, one greedy client 429.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import Koa from 'koa';
import { testEngines } from '@anvil/db/testing';
import { startTestApi, type TestApi } from '../testing.ts';
import { errorsMiddleware } from './errors.ts';
import { overloadMiddleware } from './honest.ts';

let api: TestApi;
before(async () => {
  api = await startTestApi(testEngines()[0]);
});
after(() => api?.close());

test('409 NodeLocked: Ironic body unchanged, holder and since in headers', async () => {
  const n = await api.call('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'locked-1' });
  const before = Date.now();
  await api.db.nodes.reserve(n.body.uuid, 'conductor-7');
  const r = await api.call('PATCH', '/v1/nodes/locked-1', [{ op: 'add', path: '/extra/a', value: 1 }]);
  assert.equal(r.status, 409);
  assert.deepEqual(Object.keys(r.error), ['faultcode', 'faultstring', 'debuginfo']);
  assert.equal(r.error.faultstring, `Node ${n.body.uuid} is locked by host conductor-7, please retry after the current operation is completed.`);
  assert.equal(r.headers.get('x-anvil-lock-holder'), 'conductor-7');
  const since = Date.parse(r.headers.get('x-anvil-locked-since') ?? '');
  assert.ok(since >= before - 1000 && since <= Date.now(), `since ${r.headers.get('x-anvil-locked-since')}`);
  assert.equal(r.headers.get('retry-after'), '1');
});

test('ETag and 304 on a node and on collections; a change gives a new tag', async () => {
  await api.call('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'etag-1' });
  for (const path of ['/v1/nodes/etag-1', '/v1/nodes', '/v1/nodes/detail', '/v1/ports', '/v1/chassis']) {
    const first = await api.call('GET', path);
    assert.equal(first.status, 200);
    const tag = first.headers.get('etag');
    assert.match(tag ?? '', /^W\/"[\w-]+"$/, path);
    assert.match(first.headers.get('content-type') ?? '', /^application\/json/);
    const again = await api.call('GET', path, undefined, 'latest', { 'If-None-Match': tag as string });
    assert.equal(again.status, 304, path);
    assert.equal(again.body, null);
    const other = await api.call('GET', path, undefined, 'latest', { 'If-None-Match': 'W/"nope"' });
    assert.equal(other.status, 200);
    assert.deepEqual(other.body, first.body);
  }
  const tag = (await api.call('GET', '/v1/nodes/etag-1')).headers.get('etag') as string;
  assert.equal((await api.call('PATCH', '/v1/nodes/etag-1', [{ op: 'add', path: '/extra/x', value: 1 }])).status, 200);
  const changed = await api.call('GET', '/v1/nodes/etag-1', undefined, 'latest', { 'If-None-Match': tag });
  assert.equal(changed.status, 200);
  assert.notEqual(changed.headers.get('etag'), tag);
});

/** GET from a given loopback source address (each address is another client). */
function get(url: string, from: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { localAddress: from }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('past api_max_in_flight: 503 + Retry-After in Ironic format; a greedy client 429; lookups pass', async () => {
  const app = new Koa();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let started = 0;
  app.use(errorsMiddleware({ error: () => {} }));
  app.use(overloadMiddleware(4));
  app.use(async (ctx) => {
    if (ctx.path === '/slow') {
      started++;
      await gate;
    }
    ctx.body = { ok: true };
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const held = [get(`${url}/slow`, '127.0.0.1'), get(`${url}/slow`, '127.0.0.1')];
    while (started < 2) await new Promise((r) => setTimeout(r, 10));
    const greedy = await get(`${url}/fast`, '127.0.0.1');
    assert.equal(greedy.status, 429);
    assert.equal(greedy.headers['retry-after'], '1');
    held.push(get(`${url}/slow`, '127.0.0.2'), get(`${url}/slow`, '127.0.0.3'));
    while (started < 4) await new Promise((r) => setTimeout(r, 10));
    const busy = await get(`${url}/fast`, '127.0.0.4');
    assert.equal(busy.status, 503);
    assert.equal(busy.headers['retry-after'], '1');
    const inner = JSON.parse((JSON.parse(busy.body) as { error_message: string }).error_message);
    assert.deepEqual(Object.keys(inner), ['code', 'title', 'description']);
    assert.equal(inner.title, 'Service Unavailable');
    assert.equal((await get(`${url}/v1/lookup?addresses=x`, '127.0.0.4')).status, 200, 'the agent is never refused');
    release();
    for (const r of await Promise.all(held)) assert.equal(r.status, 200);
    assert.equal((await get(`${url}/fast`, '127.0.0.4')).status, 200, 'served again once the load is gone');
  } finally {
    release();
    server.close();
  }
});
