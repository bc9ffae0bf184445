/**
 * Keystone's share of tempest's time: what tempest's dynamic credentials cost the Keystone of
 * scripts/services/keystone.sh, with 1 and with N uwsgi worker processes side by side.
 *
 *   node --import tsx bench/keystone-bench.ts [--workers 1,2] [--clients 3] [--classes 30]
 *
 * For each worker count it starts a private Keystone (keystone.sh with its own ANVIL_TMP), then `clients` concurrent
 * clients each set up and tear down `classes` test classes as tempest's dynamic credentials do (as the system admin:
 * create a project and a user, grant member + reader on the project; the user gets a project token, which a service
 * validates twice; then delete the user and the project). Prints classes/s, the p50/p99 of one class, the ratio to
 * the first worker count, and the load average. The Keystones are stopped at the end.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminToken, type KeystoneEnv, keystoneEnv } from '../test/tempest/keystone-catalog.ts';

const root = new URL('..', import.meta.url).pathname;
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
/** each a worker count, with `c` Keystone's in-memory cache on (ANVIL_TEST_KEYSTONE_CACHE=1): `1,1c,2` */
const variants = arg('workers', '1,2').split(',');
const clients = Number(arg('clients', '3'));
const classes = Number(arg('classes', '30'));

function keystone(op: 'start' | 'stop' | 'env', dir: string, variant: string): string {
  return execFileSync('bash', [join(root, 'scripts/services/keystone.sh'), op], {
    env: { ...process.env, ANVIL_TMP: dir, ANVIL_TEST_KEYSTONE_PROCESSES: String(Number.parseInt(variant, 10)), ANVIL_TEST_KEYSTONE_CACHE: variant.endsWith('c') ? '1' : '0' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

async function call(url: string, token: string, method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<Response> {
  const r = await fetch(`${url}${path}`, {
    method,
    headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json', ...extra },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).catch((e: Error) => {
    throw new Error(`keystone ${method} ${path}: ${e.cause ?? e}`);
  });
  if (r.status >= 300) throw new Error(`keystone ${method} ${path}: ${r.status} ${await r.text()}`);
  return r;
}

/** One tempest test class's credentials: made, used, removed. */
async function oneClass(ks: KeystoneEnv, admin: string, roles: string[], tag: string): Promise<void> {
  const project = (await (await call(ks.url, admin, 'POST', '/projects', { project: { name: `p-${tag}`, domain_id: 'default' } })).json()).project.id;
  const password = `pw-${tag}`;
  const user = (await (await call(ks.url, admin, 'POST', '/users', { user: { name: `u-${tag}`, password, domain_id: 'default', default_project_id: project } })).json()).user.id;
  for (const role of roles) await call(ks.url, admin, 'PUT', `/projects/${project}/users/${user}/roles/${role}`);
  const auth = await fetch(`${ks.url}/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { id: user, password } } }, scope: { project: { id: project } } } }),
  });
  const token = auth.headers.get('x-subject-token');
  if (auth.status !== 201 || !token) throw new Error(`user token: ${auth.status} ${await auth.text()}`);
  for (let i = 0; i < 2; i++) await call(ks.url, admin, 'GET', '/auth/tokens', undefined, { 'X-Subject-Token': token });
  await call(ks.url, admin, 'DELETE', `/users/${user}`);
  await call(ks.url, admin, 'DELETE', `/projects/${project}`);
}

async function measure(workers: string): Promise<{ workers: string; perSecond: number; p50: number; p99: number; load: string }> {
  const dir = mkdtempSync(join(tmpdir(), `anvil-ks-bench-${workers}-`));
  try {
    keystone('start', dir, workers);
    const env = Object.fromEntries(keystone('env', dir, workers).trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    const ks = keystoneEnv(env);
    const admin = await adminToken(ks);
    const all = (await (await call(ks.url, admin, 'GET', '/roles')).json()).roles as { id: string; name: string }[];
    const roles = all.filter((r) => r.name === 'member' || r.name === 'reader').map((r) => r.id);
    const times: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let i = 0; i < classes; i++) {
          const s = performance.now();
          await oneClass(ks, admin, roles, `${workers}-${c}-${i}`);
          times.push(performance.now() - s);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    times.sort((a, b) => a - b);
    return { workers, perSecond: times.length / seconds, p50: times[Math.floor(times.length / 2)], p99: times[Math.floor(times.length * 0.99)], load: loadavg().map((l) => l.toFixed(1)).join(' ') };
  } catch (err) {
    // keep its logs to see why (uwsgi's, Keystone's)
    const keep = join(root, '.tmp', `keystone-bench-${workers}-failed`);
    execFileSync('cp', ['-r', join(dir, 'keystone'), keep]);
    throw new Error(`${workers} workers: ${err} (logs in ${keep})`);
  } finally {
    keystone('stop', dir, workers);
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: Awaited<ReturnType<typeof measure>>[] = [];
console.log(`Keystone (scripts/services/keystone.sh): ${clients} clients × ${classes} test classes' dynamic credentials each`);
console.log('| uwsgi workers (c: cache on) | classes/s | one class p50 | p99 | ratio | load average (1/5/15) |');
console.log('|---|---|---|---|---|---|');
for (const w of variants) {
  const r = await measure(w);
  rows.push(r);
  console.log(`| ${r.workers} | ${r.perSecond.toFixed(2)} | ${r.p50.toFixed(0)} ms | ${r.p99.toFixed(0)} ms | ${(r.perSecond / rows[0].perSecond).toFixed(2)}× | ${r.load} |`);
}
