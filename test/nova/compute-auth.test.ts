/**
 * The compute service under the API's auth strategies, against a real `anvil server` (compute API inside): its API
 * checks callers with the Ironic API's own middleware (401 in the same shape, version documents public), its own
 * calls to the baremetal API authenticate (a server is built on a fake-hardware node, which needs them), and
 * `anvil flavor|image|server` authenticate as openstackclient does (OS_* variables, --os-* flags). http_basic with a
 * bcrypt user file; keystone with Debian's real Keystone (scripts/services/keystone.sh). No password or token in
 * any output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { passwordToken } from '@anvil/api/auth';
import { type AnvilServer, startServer } from '../anvil-server.ts';
import { freePort } from '../free-port.ts';
import { keystoneEnv } from '../tempest/keystone-catalog.ts';
import { until } from '../wait.ts';
import { enrollFakeNode } from './fake-nodes.ts';

const root = new URL('../../', import.meta.url).pathname;

/** the CLI as a user runs it, with only these OS_* variables */
function anvil(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OS_') && !k.startsWith('ANVIL_')));
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'cli/bin/anvil.js'), ...args], { cwd: root, env: { ...base, ...env } }, (err, out, errOut) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out, err: errOut }),
    );
  });
}

/** flavor, image, a server built on a fresh fake node (the compute service's own API calls), listed */
async function buildOne(server: AnvilServer, computeUrl: string, auth: Record<string, string>, cli: (args: string[]) => Promise<{ code: number; out: string; err: string }>, outputs: string[]) {
  const rc = `auth-${server.port}`;
  await until('the compute API', () => fetch(`${computeUrl}/v2.1`).then((r) => r.ok, () => false), 60_000);
  await enrollFakeNode(server.url, { name: rc, resourceClass: rc, auth });
  const common = ['--compute-endpoint', computeUrl, '-f', 'json'];
  for (const args of [['flavor', 'create', 'bm', '--resource-class', rc], ['image', 'create', 'disk', '--url', 'http://127.0.0.1:9/disk.raw', '--checksum', 'c0ffee']]) {
    const r = await cli([...args, ...common]);
    outputs.push(r.out, r.err);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
  }
  const made = await cli(['server', 'create', 'vm-auth', '--flavor', 'bm', '--image', 'disk', ...common]);
  outputs.push(made.out, made.err);
  assert.equal(made.code, 0, made.err || made.out);
  assert.equal(JSON.parse(made.out).status, 'ACTIVE');
  assert.match(made.err, /^waiting: vm-auth: BUILD.*\n(.*\n)*waiting: vm-auth: ACTIVE after \d+\.\d s\n$/); // never silent
  const list = await cli(['server', 'list', ...common]);
  outputs.push(list.out, list.err);
  assert.deepEqual(JSON.parse(list.out).map((s: { Name: string; Status: string }) => [s.Name, s.Status]), [['vm-auth', 'ACTIVE']]);
}

function noSecret(outputs: string[], secrets: string[]): void {
  for (const s of secrets) assert.equal(outputs.some((o) => o.includes(s)), false, `a secret appears in the output`);
}

test('http_basic: the compute API asks for the user file credentials; the service and the CLI send them', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-compute-basic-'));
  const file = join(dir, 'htpasswd');
  writeFileSync(file, `alice:${bcrypt.hashSync('alice-pw-7f3', 4)}\nnova:${bcrypt.hashSync('nova-pw-9c1', 4)}\n`);
  const computePort = await freePort();
  const server = await startServer({
    computePort,
    driver: null,
    settings: { auth_strategy: 'http_basic', http_basic_auth_user_file: file, compute_ironic_username: 'nova', compute_resource_interval: 1 },
    env: { ANVIL_COMPUTE_IRONIC_PASSWORD: 'nova-pw-9c1', ANVIL_LOG_LEVEL: 'info' },
  });
  const computeUrl = `http://127.0.0.1:${computePort}`;
  const basic = (u: string, p: string) => ({ Authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
  const outputs: string[] = [];
  try {
    await until('the API lists fake-hardware', () => fetch(`${server.url}/v1/drivers`, { headers: basic('alice', 'alice-pw-7f3') }).then((r) => r.ok, () => false), 60_000, server.output);
    await until('the compute API', () => fetch(`${computeUrl}/v2.1`).then((r) => r.ok, () => false), 60_000, server.output);
    // refused as the Ironic API refuses (ironic-lib's body, WWW-Authenticate); the version document is public
    for (const [headers, message] of [[{}, 'Authorization required'], [basic('alice', 'wrong'), 'Incorrect username or password']] as const) {
      const r = await fetch(`${computeUrl}/v2.1/flavors`, { headers });
      assert.equal(r.status, 401);
      assert.equal(r.headers.get('www-authenticate'), 'Basic realm="Baremetal API"');
      assert.deepEqual(await r.json(), { error: { message, code: 401 } });
    }
    const refused = await anvil(['flavor', 'list', '--compute-endpoint', computeUrl]);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /^Unauthorized: Authorization required \(HTTP 401; .*\)\n$/);
    const env = { OS_AUTH_TYPE: 'http_basic', OS_USERNAME: 'alice', OS_PASSWORD: 'alice-pw-7f3' };
    await buildOne(server, computeUrl, basic('alice', 'alice-pw-7f3'), (args) => anvil(args, env), outputs);
    // the Ironic-side commands take the same variables
    const nodes = await anvil(['node', 'list', '-f', 'value', '-c', 'Provisioning State'], { ...env, OS_ENDPOINT: server.url });
    assert.equal(nodes.out, 'active\n', nodes.err);
    // the same with flags instead of variables
    const flags = await anvil(['flavor', 'list', '--compute-endpoint', computeUrl, '-f', 'value', '-c', 'Name', '--os-auth-type', 'http_basic', '--os-username', 'alice', '--os-password', 'alice-pw-7f3']);
    assert.equal(flags.out, 'bm\n', flags.err);
    noSecret([...outputs, server.output()], ['alice-pw-7f3', 'nova-pw-9c1', basic('nova', 'nova-pw-9c1').Authorization.slice(6)]);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('keystone (real Keystone): tokens checked by the compute API, got by the service and by the CLI', { timeout: 180_000 }, async () => {
  const ks = keystoneEnv();
  const computePort = await freePort();
  const server = await startServer({
    computePort,
    driver: null,
    settings: { auth_strategy: 'keystone', keystone_url: ks.url, keystone_username: ks.serviceUser, compute_resource_interval: 1 },
    env: { ANVIL_KEYSTONE_PASSWORD: ks.servicePassword, ANVIL_LOG_LEVEL: 'info' },
  });
  const computeUrl = `http://127.0.0.1:${computePort}`;
  const outputs: string[] = [];
  try {
    const admin = { url: ks.url, username: 'admin', password: ks.adminPassword, projectName: 'admin', userDomainName: 'Default', projectDomainName: 'Default' };
    const token = (await passwordToken(admin)).id;
    await until('the API lists fake-hardware', () => fetch(`${server.url}/v1/drivers`, { headers: { 'X-Auth-Token': token } }).then((r) => r.ok, () => false), 60_000, server.output);
    await until('the compute API', () => fetch(`${computeUrl}/v2.1`).then((r) => r.ok, () => false), 60_000, server.output);
    for (const headers of [{}, { 'X-Auth-Token': 'gAAAAnot-a-token' }] as Record<string, string>[]) {
      const r = await fetch(`${computeUrl}/v2.1/servers`, { headers });
      assert.equal(r.status, 401);
      assert.equal(r.headers.get('www-authenticate'), `Keystone uri="${ks.url}"`);
      assert.deepEqual(await r.json(), { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } });
    }
    const env = { OS_AUTH_URL: ks.url, OS_USERNAME: 'admin', OS_PASSWORD: ks.adminPassword, OS_PROJECT_NAME: 'admin', OS_USER_DOMAIN_NAME: 'Default', OS_PROJECT_DOMAIN_NAME: 'Default' };
    await buildOne(server, computeUrl, { 'X-Auth-Token': token }, (args) => anvil(args, env), outputs);
    const nodes = await anvil(['node', 'list', '-f', 'value', '-c', 'Provisioning State'], { ...env, OS_ENDPOINT: server.url });
    assert.equal(nodes.out, 'active\n', nodes.err);
    // a fixed token (OS_TOKEN) works too; a wrong password is one line naming the user, not the password
    const byToken = await anvil(['server', 'list', '--compute-endpoint', computeUrl, '-f', 'value', '-c', 'Status'], { OS_TOKEN: token });
    assert.equal(byToken.out, 'ACTIVE\n', byToken.err);
    const wrong = await anvil(['flavor', 'list', '--compute-endpoint', computeUrl, '--os-auth-url', ks.url, '--os-username', 'admin', '--os-password', 'not-it-5e2', '--os-project-name', 'admin']);
    outputs.push(wrong.out, wrong.err);
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /^Unauthorized: cannot authenticate \(keystone as admin in project admin\): Keystone at .* refused a token for user admin in project admin \(HTTP 401\)\n$/);
    noSecret([...outputs, server.output()], [ks.adminPassword, ks.servicePassword, token, 'not-it-5e2']);
  } finally {
    await server.stop();
  }
});
