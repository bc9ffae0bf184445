/**
 * The Inspector-compatible API under keystone auth (a Keystone v3 speaking the real token protocol): `/`, `/v1` and
 * the ramdisk's `/v1/continue` need no token; the rest needs a valid token (401 "Authentication required") of an
 * admin or service role (403 "Access denied by policy" for a member), as Inspector's default policy.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startInspectorApi, type RunningInspectorApi } from '@anvil/api';
import { type Database, openDatabase } from '@anvil/db';
import { createRegistry } from '@anvil/registry';
import { DEFAULT_SETTINGS } from '@anvil/sdk';
import { FakeKeystone } from './fake-keystone.ts';

const ks = new FakeKeystone();
let db: Database;
let api: RunningInspectorApi;
let dir: string;

before(async () => {
  ks.addUser({ name: 'ironic', password: 'svc-secret', projects: { service: ['service'] } });
  ks.addUser({ name: 'sysadmin', password: 'x', system: ['admin'] });
  ks.addUser({ name: 'alice', password: 'x', projects: { 'owner-p': ['member'] } });
  await ks.start();
  dir = mkdtempSync(join(tmpdir(), 'anvil-inspector-ks-'));
  db = await openDatabase({ data_dir: dir, database_url: null });
  const settings = { ...DEFAULT_SETTINGS, data_dir: dir, host: '127.0.0.1', inspector_port: 0, auth_strategy: 'keystone' as const, keystone_url: `${ks.url}/v3`, keystone_username: 'ironic', keystone_password: 'svc-secret', keystone_project_name: 'service' };
  api = await startInspectorApi({ settings, db, registry: await createRegistry(settings, { warn: () => {} }) });
});
after(async () => {
  await api?.close();
  await db?.close();
  await ks.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('public discovery and /v1/continue; 401 without a valid token, 403 for a member, 200 for admin and service', async () => {
  const call = async (path: string, token?: string, method = 'GET', body?: unknown) => {
    const r = await fetch(api.url + path, { method, headers: { 'Content-Type': 'application/json', ...(token ? { 'X-Auth-Token': token } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.status, body: await r.json().catch(() => null) };
  };
  assert.equal((await call('/')).status, 200);
  assert.equal((await call('/v1')).status, 200);
  assert.equal((await call('/v1/continue', undefined, 'POST', 'x')).status, 400);
  assert.deepEqual(await call('/v1/rules'), { status: 401, body: { error: { message: 'Authentication required' } } });
  assert.equal((await call('/v1/rules', 'gAAAA-not-a-token')).status, 401);
  assert.deepEqual(await call('/v1/rules', ks.issue('alice', { project: 'owner-p' })), { status: 403, body: { error: { message: 'Access denied by policy' } } });
  assert.deepEqual(await call('/v1/rules', ks.issue('sysadmin', 'system')), { status: 200, body: { rules: [] } });
  assert.equal((await call('/v1/introspection', ks.issue('ironic', { project: 'service' }))).status, 200);
});
