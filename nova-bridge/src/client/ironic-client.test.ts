import assert from 'node:assert/strict';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { IronicHttpError } from './http-error.ts';
import { IronicClient } from './ironic-client.ts';

/** a tiny real HTTP server answering with the queued responses, recording requests */
async function server(answers: ((req: IncomingMessage, res: ServerResponse) => void)[]) {
  const seen: { method: string; url: string; version: string | undefined }[] = [];
  const s = createServer((req, res) => {
    if (req.url === '/v1') {
      res.writeHead(200, { 'X-OpenStack-Ironic-API-Minimum-Version': '1.1', 'X-OpenStack-Ironic-API-Maximum-Version': '1.82' });
      return res.end('{}');
    }
    seen.push({ method: req.method!, url: req.url!, version: req.headers['x-openstack-ironic-api-version'] as string | undefined });
    const next = answers.shift();
    if (!next) {
      res.writeHead(500);
      return res.end();
    }
    next(req, res);
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, seen, close: () => new Promise((r) => s.close(r)) };
}

const ironicError = (status: number, msg: string) => (_: IncomingMessage, res: ServerResponse) => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ error_message: JSON.stringify({ faultstring: msg, faultcode: 'Client', debuginfo: null }) }));
};
const ok = (body: unknown) => (_: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
};

test('writes retry 409/503 and read faultstring; reads use 1.76, writes 1.46', async () => {
  const s = await server([ironicError(409, 'Node locked'), ironicError(503, 'busy'), ok({ a: 1 }), ok({ nodes: [] })]);
  try {
    const c = new IronicClient({ endpoint: s.url, retryIntervalMs: 1, maxRetries: 5 });
    assert.deepEqual(await c.call('PATCH', '/v1/nodes/x', { body: [] }), { a: 1 });
    assert.deepEqual(await c.get('/v1/nodes', 'read'), { nodes: [] });
    assert.deepEqual(
      s.seen.map((x) => x.version),
      ['1.46', '1.46', '1.46', '1.76'],
    );
  } finally {
    await s.close();
  }
});

test('retryOnConflict=false retries once without sleeping, then fails with the faultstring', async () => {
  const s = await server([ironicError(409, 'Node x is locked by host y'), ironicError(409, 'Node x is locked by host y')]);
  try {
    const c = new IronicClient({ endpoint: s.url, retryIntervalMs: 10_000 });
    const t0 = Date.now();
    await assert.rejects(c.call('POST', '/v1/nodes/x/vifs', { body: { id: 'v' }, retryOnConflict: false }), (e: unknown) => {
      assert.ok(IronicHttpError.is(e, 409));
      assert.equal(e.message, 'Node x is locked by host y');
      return true;
    });
    assert.ok(Date.now() - t0 < 5000);
    assert.equal(s.seen.length, 2);
  } finally {
    await s.close();
  }
});

test('reads are not retried', async () => {
  const s = await server([ironicError(503, 'down'), ok({})]);
  try {
    const c = new IronicClient({ endpoint: s.url, retryIntervalMs: 1 });
    await assert.rejects(c.get('/v1/nodes/x', 'read'), (e: unknown) => IronicHttpError.is(e, 503));
    assert.equal(s.seen.length, 1);
  } finally {
    await s.close();
  }
});
