/**
 * Anvil's Inspector-compatible API against Debian's real ironic-inspector 11.1.0 (scripts/services/ironic-inspector.sh,
 * standalone, no Ironic behind it): the same requests to both, equal status and body (links with each one's own base
 * URL): version discovery and headers, version negotiation, /v1/rules create (Inspector's checks; its jsonschema
 * texts are compared up to their first line, Anvil does not print the schema), list, show, delete one and all, 405,
 * unknown paths, list parameters, the ramdisk's /v1/continue with a non-object. Requests that need Ironic (the real
 * one answers 500 without it) and a malformed version header (the real one answers an HTML 500, Anvil the 400 its
 * code intends) are not compared.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type AnvilServer, startServer } from '../anvil-server.ts';
import { freePort } from '../free-port.ts';
import { failWithout } from '../prereq.ts';

const real = process.env.ANVIL_TEST_INSPECTOR_URL;
failWithout(real ? null : 'ANVIL_TEST_INSPECTOR_URL is not set: run scripts/services/ironic-inspector.sh start (Debian python3-ironic-inspector)');

let anvil: AnvilServer;
let mine: string;
const U = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';

before(async () => {
  const port = await freePort();
  anvil = await startServer({ settings: { inspector_port: port, compute_enabled: false } });
  mine = `http://127.0.0.1:${port}`;
});
after(() => anvil?.stop());

async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(base + path, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = (await r.text()).split(base).join('BASE');
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* HTML */
  }
  const msg = (parsed as { error?: { message?: string } } | null)?.error?.message;
  if (typeof msg === 'string') (parsed as { error: { message: string } }).error.message = msg.split('\n\nFailed validating')[0];
  const h = (n: string) => r.headers.get(`X-OpenStack-Ironic-Inspector-API-${n}-Version`);
  return { status: r.status, body: parsed, versions: [h('Minimum'), h('Maximum')] };
}

const same = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
  const [a, b] = await Promise.all([call(real!, method, path, body, headers), call(mine, method, path, body, headers)]);
  assert.deepEqual(b, a, `${method} ${path} ${JSON.stringify(body) ?? ''}`);
  return b;
};

test('the same answers as the real ironic-inspector', async () => {
  await same('DELETE', '/v1/rules');
  await same('GET', '/');
  await same('GET', '/v1');
  await same('GET', '/v2');
  await same('GET', '/v1/nothing');
  await same('GET', '/v1/rules', undefined, { 'X-OpenStack-Ironic-Inspector-API-Version': '1.99' });
  await same('GET', '/v1/rules', undefined, { 'X-OpenStack-Ironic-Inspector-API-Version': 'latest' });
  await same('GET', `/v1/introspection/${U}`);
  await same('GET', '/v1/introspection');
  for (const q of ['limit=1001', 'limit=-1', 'marker=zz', 'state=bogus', 'state=finished,error']) await same('GET', `/v1/introspection?${q}`);
  await same('POST', '/v1/continue', [1]);
  await same('POST', '/v1/introspection/x?manage_boot=maybe');
  const act = [{ action: 'fail', message: 'x' }];
  for (const body of [
    { conditions: [{ op: 'eq', field: 'data://x' }], actions: act },
    { conditions: [{ op: 'eq', field: 'foo://x', value: 1 }], actions: act },
    { conditions: [{ field: 'x' }], actions: act },
    { conditions: [{ op: 'nope', field: 'x' }], actions: act },
    { conditions: [{ op: 'eq', field: 'x', value: 1, multiple: 'some' }], actions: act },
    { conditions: [{ op: 'eq', field: 'x', value: 1, extra: 2 }], actions: act },
    { conditions: [], actions: [] },
    { actions: [{ action: 'set-attribute', path: '/extra/x' }] },
    { actions: [{ action: 'add-trait' }] },
    { actions: [{ action: 'nope' }] },
    { uuid: 'nope', actions: act },
  ]) {
    const r = await same('POST', '/v1/rules', body);
    assert.equal(r.status, 400);
  }
  const rule = { uuid: U, description: 'd', conditions: [{ op: 'ge', field: 'data://inventory.cpu.count', value: 8 }, { op: 'matches', field: 'node://driver', value: 'ipmi', invert: true, multiple: 'all' }], actions: [{ action: 'add-trait', name: 'CUSTOM_X' }, { action: 'set-attribute', path: '/properties/x', value: '{data[inventory][cpu][count]}' }] };
  assert.equal((await same('POST', '/v1/rules', rule, { 'X-OpenStack-Ironic-Inspector-API-Version': '1.5' })).status, 200);
  await same('POST', '/v1/rules', rule);
  await same('POST', '/v1/rules', { scope: 'rack-1', uuid: '1f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9', actions: [{ action: 'remove-trait', name: 'CUSTOM_Y' }] });
  await same('GET', '/v1/rules');
  await same('GET', `/v1/rules/${U}`);
  await same('PUT', '/v1/rules');
  await same('DELETE', `/v1/rules/${U}`);
  await same('GET', `/v1/rules/${U}`);
  await same('DELETE', `/v1/rules/${U}`);
  await same('DELETE', '/v1/rules');
  await same('GET', '/v1/rules');
});
