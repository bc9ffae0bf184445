import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '@anvil/sdk';
import { startApi } from '../server.ts';

const api = await startApi({ settings: { ...DEFAULT_SETTINGS, port: 0, max_body_bytes: 4096 }, db: null as never, registry: null as never, maxMinor: 82 });
after(() => api.close());
const get = (path: string, headers: Record<string, string> = {}) => fetch(api.url + path, { headers });
const inner = async (r: Response) => JSON.parse(((await r.json()) as { error_message: string }).error_message);

test('GET / has no version headers and one version entry', async () => {
  const r = await get('/');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('x-openstack-ironic-api-maximum-version'), null);
  assert.match(r.headers.get('openstack-request-id') ?? '', /^req-[0-9a-f-]{36}$/);
  const b = (await r.json()) as { versions: { version: string; min_version: string; links: { href: string }[] }[] };
  assert.equal(b.versions.length, 1);
  assert.equal(b.versions[0].version, '1.82');
  assert.equal(b.versions[0].links[0].href, `${api.url}/v1/`);
});

test('absent header means 1.1; latest resolves to max', async () => {
  let r = await get('/v1');
  assert.equal(r.headers.get('x-openstack-ironic-api-version'), '1.1');
  assert.equal(r.headers.get('x-openstack-ironic-api-minimum-version'), '1.1');
  assert.equal(r.headers.get('x-openstack-ironic-api-maximum-version'), '1.82');
  let b = (await r.json()) as Record<string, unknown>;
  assert.equal(b.portgroups, undefined);
  r = await get('/v1/', { 'X-OpenStack-Ironic-API-Version': 'LATEST' });
  assert.equal(r.headers.get('x-openstack-ironic-api-version'), '1.82');
  b = (await r.json()) as Record<string, unknown>;
  assert.ok(Array.isArray(b.portgroups));
  assert.ok(Array.isArray(b.allocations));
  assert.ok(Array.isArray(b.shards));
});

test('standard OpenStack-API-Version header is honoured', async () => {
  const r = await get('/v1', { 'OpenStack-API-Version': 'baremetal 1.30' });
  assert.equal(r.headers.get('x-openstack-ironic-api-version'), '1.30');
  assert.equal(r.headers.get('openstack-api-version'), 'baremetal 1.30');
});

test('406 for bad versions, with Ironic framework body', async () => {
  let r = await get('/v1', { 'X-OpenStack-Ironic-API-Version': 'abc' });
  assert.equal(r.status, 406);
  assert.equal(r.headers.get('x-openstack-ironic-api-maximum-version'), null);
  let e = await inner(r);
  assert.equal(e.code, 406);
  assert.equal(e.title, 'Not Acceptable');
  r = await get('/v1', { 'X-OpenStack-Ironic-API-Version': '1.99' });
  assert.equal(r.status, 406);
  assert.equal(r.headers.get('x-openstack-ironic-api-maximum-version'), '1.82');
  assert.equal(r.headers.get('x-openstack-ironic-api-version'), null);
  e = await inner(r);
  assert.match(e.description, /1\.99 was requested/);
  r = await get('/v1', { 'X-OpenStack-Ironic-API-Version': '2.1' });
  assert.equal(r.status, 406);
  assert.match((await inner(r)).description, /Mutually exclusive/);
});

test('unknown route 404 and wrong method 405 use the framework body', async () => {
  let r = await get('/v1/nothing-here');
  assert.equal(r.status, 404);
  assert.equal((await inner(r)).code, 404);
  r = await fetch(`${api.url}/v1/nodes`, { method: 'PUT' });
  assert.equal(r.status, 405);
  assert.equal((await inner(r)).code, 405);
  r = await fetch(`${api.url}/v1`, { method: 'DELETE' });
  assert.equal(r.status, 405);
  assert.equal((await inner(r)).faultcode, 'Client');
});

test('body over the limit is 413; malformed JSON is 400', async () => {
  let r = await fetch(`${api.url}/v1`, { method: 'POST', body: 'x'.repeat(10000), headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 413);
  r = await fetch(`${api.url}/v1`, { method: 'POST', body: '{bad', headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 400);
  assert.equal((await inner(r)).faultcode, 'Client');
});
