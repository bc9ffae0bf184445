/**
 * auth_strategy=http_basic over real HTTP: a user file with bcrypt entries made by Python's bcrypt ($2b$) and by
 * bcryptjs ($2y$, Apache's spelling), 401 + WWW-Authenticate on missing/bad credentials with ironic-lib's error body,
 * public routes without credentials, a non-bcrypt file refused at startup, and the real `baremetal` CLI with
 * --os-auth-type http_basic.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import bcrypt from 'bcryptjs';
import { testEngines } from '@anvil/db/testing';
import { startTestApi, type TestApi } from '@anvil/api/testing';

const run = promisify(execFile);
const engine = testEngines()[0];
const PY = process.env.ANVIL_PYTHON ?? '/usr/bin/python3';
const CLI = process.env.ANVIL_BAREMETAL_CLI;

/** A $2b$ digest from Python's bcrypt when available (what htpasswd -B users expect), else from bcryptjs. */
function pyBcrypt(password: string): string {
  try {
    return execFileSync(PY, ['-c', 'import bcrypt,sys; print(bcrypt.hashpw(sys.argv[1].encode(), bcrypt.gensalt(4)).decode())', password], {
      encoding: 'utf8',
    }).trim();
  } catch {
    return bcrypt.hashSync(password, 4);
  }
}

const basic = (user: string, password: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

describe('http_basic auth', () => {
  let dir: string;
  let api: TestApi;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'anvil-htpasswd-'));
    const apache = bcrypt.hashSync('s3cret-y', 4).replace(/^\$2[ab]\$/, '$2y$');
    writeFileSync(join(dir, 'htpasswd'), `admin:${pyBcrypt('s3cret:with colon')}\n\noperator:${apache}\n`);
    api = await startTestApi(engine, { auth_strategy: 'http_basic', http_basic_auth_user_file: join(dir, 'htpasswd') });
  });
  after(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('missing, wrong or unknown credentials → 401 with WWW-Authenticate and ironic-lib body', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'Authorization required'],
      [basic('admin', 'nope'), 'Incorrect username or password'],
      [basic('ghost', 's3cret-y'), 'Incorrect username or password'],
      [basic('operator', 's3cret:with colon'), 'Incorrect username or password'],
    ];
    for (const [headers, message] of cases) {
      const r = await api.call('GET', '/v1/nodes', undefined, 'latest', headers);
      assert.equal(r.status, 401);
      assert.equal(r.headers.get('www-authenticate'), 'Basic realm="Baremetal API"');
      assert.deepEqual(r.body, { error: { message, code: 401 } });
    }
  });

  test('malformed Authorization headers → 400', async () => {
    for (const [h, message] of [
      ['Bearer abc', 'Unsupported authorization type "Bearer"'],
      ['Basic', 'Could not parse Authorization header'],
      ['Basic !!!notbase64', 'Could not decode authorization token'],
    ]) {
      const r = await api.call('GET', '/v1/nodes', undefined, 'latest', { Authorization: h });
      assert.equal(r.status, 400, h);
      assert.deepEqual(r.body, { error: { message, code: 400 } });
    }
  });

  test('public routes answer without credentials', async () => {
    assert.equal((await api.call('GET', '/')).status, 200);
    assert.equal((await api.call('GET', '/v1/')).status, 200);
    assert.notEqual((await api.call('POST', '/v1/lookup')).status, 401);
    assert.equal((await api.call('GET', '/v1/drivers')).status, 401);
  });

  test('both bcrypt spellings authenticate and act as admin', async () => {
    const c = await api.call('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'hb-0' }, 'latest', basic('admin', 's3cret:with colon'));
    assert.equal(c.status, 201, JSON.stringify(c.body));
    const l = await api.call('GET', '/v1/nodes', undefined, 'latest', basic('operator', 's3cret-y'));
    assert.equal(l.status, 200);
    assert.deepEqual(l.body.nodes.map((n: { name: string }) => n.name), ['hb-0']);
    const d = await api.call('DELETE', `/v1/nodes/${c.body.uuid}`, undefined, 'latest', basic('operator', 's3cret-y'));
    assert.equal(d.status, 204);
  });

  test('a user file with a non-bcrypt digest is refused at startup', async () => {
    writeFileSync(join(dir, 'bad'), 'admin:$apr1$abc$def\n');
    await assert.rejects(startTestApi(engine, { auth_strategy: 'http_basic', http_basic_auth_user_file: join(dir, 'bad') }), /Only bcrypt digested passwords are supported for admin/);
    await assert.rejects(startTestApi(engine, { auth_strategy: 'http_basic', http_basic_auth_user_file: join(dir, 'missing') }), /Problem reading auth user file/);
  });

  test('the baremetal CLI with --os-auth-type http_basic', async () => {
    if (!CLI) throw new Error('missing prerequisite: ANVIL_BAREMETAL_CLI is not set (bash scripts/services/pyclients.sh start; export its env)');
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OS_')) env[k] = v;
    Object.assign(env, { OS_AUTH_TYPE: 'http_basic', OS_ENDPOINT: api.url, OS_USERNAME: 'operator', OS_PASSWORD: 's3cret-y', OS_BAREMETAL_API_VERSION: 'latest' });
    const bm = (args: string[], e = env) => run(CLI!, args, { env: e, timeout: 60_000 });
    const created = JSON.parse((await bm(['node', 'create', '--driver', 'fake-hardware', '--name', 'cli-0', '-f', 'json'])).stdout);
    assert.equal(created.name, 'cli-0');
    const listed = JSON.parse((await bm(['node', 'list', '-f', 'json'])).stdout);
    assert.deepEqual(listed.map((n: { Name: string }) => n.Name), ['cli-0']);
    await assert.rejects(bm(['node', 'list'], { ...env, OS_PASSWORD: 'wrong' }), (e: { stderr?: string }) => /401|Unauthorized|Incorrect username or password/i.test(String(e.stderr)));
    await bm(['node', 'delete', 'cli-0']);
  });
});
