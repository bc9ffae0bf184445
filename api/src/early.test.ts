/** The early server answers discovery at once and hands queued requests (with bodies) to the app on attach. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, type Settings } from '@anvil/sdk';
import { startEarly } from './early.ts';

test('discovery before attach; queued POST bodies reach the handler intact', async () => {
  const early = await startEarly({ ...DEFAULT_SETTINGS, port: 0 } as Settings, 46);
  try {
    const root = await fetch(`${early.url}/`);
    assert.equal(root.status, 200);
    const doc = (await root.json()) as { versions: { version: string }[] };
    assert.equal(doc.versions[0].version, '1.46');
    const big = 'x'.repeat(200_000);
    const pending = fetch(`${early.url}/v1/echo`, { method: 'POST', body: JSON.stringify({ big }) });
    await new Promise((r) => setTimeout(r, 100));
    early.attach(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks).toString();
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(`${req.method} ${req.url} ${body.length}`);
    });
    const r = await pending;
    assert.equal(await r.text(), `POST /v1/echo ${JSON.stringify({ big }).length}`);
  } finally {
    await early.close();
  }
});
