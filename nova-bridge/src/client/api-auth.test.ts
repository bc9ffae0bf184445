/**
 * A Keystone token is got once, sent with every call, and got again when the API answers 401 (a revoked or expired
 * token): over real HTTP, a small server speaking Keystone's POST /v3/auth/tokens and an API that accepts only the
 * newest token. Also openstackclient's choice of method from the --os-* options.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clientAuth, keystoneAuth } from './api-auth.ts';
import { IronicClient } from './ironic-client.ts';

test('a 401 gets a new Keystone token and the call once more', async () => {
  let issued = 0;
  let valid = '';
  const seen: string[] = [];
  const server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/v3/auth/tokens') {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const auth = JSON.parse(body).auth;
        assert.equal(auth.identity.password.user.password, 'pw');
        valid = `tok-${++issued}`;
        res.writeHead(201, { 'X-Subject-Token': valid, 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ token: { expires_at: new Date(Date.now() + 3600_000).toISOString() } }));
      });
      return;
    }
    if (req.url === '/v1') {
      res.writeHead(200, { 'X-OpenStack-Ironic-API-Minimum-Version': '1.1', 'X-OpenStack-Ironic-API-Maximum-Version': '1.99' });
      res.end('{}');
      return;
    }
    const token = String(req.headers['x-auth-token'] ?? '');
    seen.push(token);
    res.writeHead(token === valid ? 200 : 401, { 'Content-Type': 'application/json' });
    res.end(token === valid ? '{"nodes": []}' : '{"error": {"code": 401}}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const auth = keystoneAuth({ url: `${url}/v3`, username: 'nova', password: 'pw', projectName: 'service', userDomainName: 'Default', projectDomainName: 'Default' });
    assert.equal(auth.describe, 'keystone as nova in project service');
    const client = new IronicClient({ endpoint: url, auth, maxRetries: 0 });
    assert.deepEqual(await client.get('/v1/nodes'), { nodes: [] });
    assert.deepEqual(await client.get('/v1/nodes'), { nodes: [] });
    assert.equal(issued, 1, 'the token is kept while it works');
    valid = 'revoked'; // Keystone revoked it
    assert.deepEqual(await client.get('/v1/nodes', 'read'), { nodes: [] });
    assert.equal(issued, 2);
    assert.deepEqual(seen, ['tok-1', 'tok-1', 'tok-1', 'tok-2']);
  } finally {
    server.close();
  }
});

test("openstackclient's choice: token, http_basic, password with an auth URL, none; missing options named", async () => {
  assert.equal(clientAuth({}), null);
  assert.equal(clientAuth({ authType: 'none', authUrl: 'http://k' }), null);
  assert.deepEqual(await clientAuth({ token: 't' })!.headers(), { 'X-Auth-Token': 't' });
  assert.deepEqual(await clientAuth({ authType: 'http_basic', username: 'u', password: 'p' })!.headers(), { Authorization: `Basic ${Buffer.from('u:p').toString('base64')}` });
  assert.equal(clientAuth({ authUrl: 'http://k/v3', username: 'u', password: 'p', projectName: 'x' })!.describe, 'keystone as u in project x');
  assert.throws(() => clientAuth({ authUrl: 'http://k/v3', username: 'u' }), { message: 'Keystone authentication needs --os-password, --os-project-name (or the OS_* variables)' });
  assert.throws(() => clientAuth({ authType: 'kerberos' }), /--os-auth-type kerberos: not one of/);
});
