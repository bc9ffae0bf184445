/**
 * Issue 5 acceptance: the example vendor plugin, packed with `npm pack` and installed from the tarball into a
 * fresh Anvil install in a temp dir, appears and works without touching Anvil's code: GET /v1/drivers (and the
 * `baremetal` CLI) list it, a node is created with it, validated, its vendor passthru called (against a real
 * HTTP Acme BMC on loopback) and deployed through the state machine. Broken plugins stop `anvil server` with one
 * message naming the package.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { lstatSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { discoverPackages } from '@anvil/registry';
import { startAcmeBmc, type AcmeBmc } from './acme-bmc.ts';
import { type AnvilProcess, startAnvil, until } from './anvil-process.ts';
import { freshInstallWithPlugin, type Install, ROOT } from './install.ts';
import { BAD_PLUGINS, writeBadPlugin } from './bad-plugins.ts';
import { callApi } from './api-call.ts';

const run = promisify(execFile);
let install: Install;
let bmc: AcmeBmc;
let anvil: AnvilProcess;
let dataDir: string;

const call = (method: string, path: string, body?: unknown) => callApi(anvil.url, method, path, body);

const waitState = (ident: string, state: string) =>
  until(
    `node ${ident} in ${state}`,
    async () => {
      const r = await call('GET', `/v1/nodes/${ident}`);
      if (r.body?.provision_state === state) return r.body;
      if (r.body?.last_error && /failed/.test(r.body.provision_state)) throw new Error(`${r.body.provision_state}: ${r.body.last_error}`);
      return undefined;
    },
    30_000,
    anvil,
  );

before(async () => {
  install = freshInstallWithPlugin(join(ROOT, 'plugins', 'examples', 'acme'), 'anvil-plugin-acme');
  bmc = await startAcmeBmc();
  dataDir = mkdtempSync(join(tmpdir(), 'anvil-acme-data-'));
  anvil = await startAnvil(install.dir, dataDir, ['--set', 'enabled_hardware_types=fake-hardware,acme']);
});

after(async () => {
  await anvil?.stop();
  await bmc?.close();
  if (install) rmSync(dirname(install.dir), { recursive: true, force: true });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('the install holds the plugin from the tarball, not the workspace copy', () => {
  const pluginDir = join(install.dir, 'node_modules', 'anvil-plugin-acme');
  assert.ok(!lstatSync(pluginDir).isSymbolicLink(), 'installed from the tarball as a real directory');
  const found = discoverPackages([join(install.dir, 'node_modules')]).packages.find((p) => p.name === 'anvil-plugin-acme');
  assert.equal(found?.dir, realpathSync(pluginDir));
});

test('acme shows in GET /v1/drivers and in `baremetal driver list`', async () => {
  const acme = await until(
    'acme in /v1/drivers',
    async () => (await call('GET', '/v1/drivers')).body?.drivers?.find((d: any) => d.name === 'acme'),
    60_000,
    anvil,
  );
  assert.ok(acme.hosts.length >= 1);
  const detail = await call('GET', '/v1/drivers/acme');
  assert.equal(detail.body.default_power_interface, 'acme');
  assert.equal(detail.body.default_vendor_interface, 'acme');
  assert.deepEqual(detail.body.enabled_power_interfaces, ['acme']);
  const props = await call('GET', '/v1/drivers/acme/properties');
  assert.match(props.body.acme_address, /Required/);
  const models = await call('GET', '/v1/drivers/acme/vendor_passthru?method=supported_models');
  assert.deepEqual(models.body, ['R1', 'R2']);
  const { stdout } = await run('baremetal', ['driver', 'list', '-f', 'json'], {
    env: { ...process.env, OS_AUTH_TYPE: 'none', OS_ENDPOINT: anvil.url, OS_BAREMETAL_API_VERSION: 'latest' },
  });
  const names = (JSON.parse(stdout) as Record<string, unknown>[]).map((d) => d['Supported driver(s)']);
  assert.ok(names.includes('acme'), stdout);
});

test('node create with acme: interfaces resolved, unsupported ones refused with a 400', async () => {
  const bad = await call('POST', '/v1/nodes', { driver: 'acme', name: 'acme-bad', power_interface: 'fake' });
  assert.equal(bad.status, 400);
  assert.match(bad.fault, /not supported by hardware type acme/);
  const disabled = await call('POST', '/v1/nodes', { driver: 'acme', name: 'acme-bad', power_interface: 'nope' });
  assert.equal(disabled.status, 400);
  assert.match(disabled.fault, /Valid interfaces are \[.*'acme'.*\]/);
  const r = await call('POST', '/v1/nodes', { driver: 'acme', name: 'acme-1', boot_interface: 'fake', deploy_interface: 'fake' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.power_interface, 'acme');
  assert.equal(r.body.vendor_interface, 'acme');
  assert.equal(r.body.console_interface, 'no-console');
});

test('validate: power fails without acme_address, passes once driver_info is set (password masked)', async () => {
  const before = await call('GET', '/v1/nodes/acme-1/validate');
  assert.equal(before.status, 200);
  assert.equal(before.body.power.result, false);
  assert.match(before.body.power.reason, /acme_address/);
  assert.equal(before.body.console.result, false); // no-console: UnsupportedDriverExtension
  const patched = await call('PATCH', '/v1/nodes/acme-1', [
    { op: 'add', path: '/driver_info/acme_address', value: bmc.address },
    { op: 'add', path: '/driver_info/acme_password', value: 's3cret' },
  ]);
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.equal(patched.body.driver_info.acme_password, '******');
  const after = await call('GET', '/v1/nodes/acme-1/validate');
  for (const kind of ['power', 'management', 'boot', 'deploy', 'network']) assert.equal(after.body[kind].result, true, kind);
});

test('vendor passthru reaches the Acme BMC', async () => {
  const methods = await call('GET', '/v1/nodes/acme-1/vendor_passthru/methods');
  assert.deepEqual(Object.keys(methods.body).sort(), ['firmware_version', 'identify']);
  const r = await call('POST', '/v1/nodes/acme-1/vendor_passthru?method=identify', { seconds: 5 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body, { identifying: true, seconds: 5 });
  const i = bmc.calls.lastIndexOf('POST /identify');
  assert.ok(i >= 0);
  assert.equal(bmc.auth[i], 'Bearer s3cret');
  const fw = await call('GET', '/v1/nodes/acme-1/vendor_passthru?method=firmware_version');
  assert.deepEqual(fw.body, { version: '7.1.3' });
  const invalid = await call('POST', '/v1/nodes/acme-1/vendor_passthru?method=identify', { seconds: 0 });
  assert.equal(invalid.status, 400);
  // the way an operator calls it: python-ironicclient, method in the path, --arg values as strings
  const { stdout } = await run('baremetal', ['node', 'passthru', 'call', '--arg', 'seconds=9', 'acme-1', 'identify'], {
    env: { ...process.env, OS_AUTH_TYPE: 'none', OS_ENDPOINT: anvil.url, OS_BAREMETAL_API_VERSION: 'latest' },
  });
  assert.match(stdout, /'identifying': True/);
  assert.equal(bmc.calls.filter((c) => c === 'POST /identify').length, 2);
});

test('deploys through the state machine: manage → provide (clean step reset_bmc) → active', async () => {
  assert.equal((await call('PUT', '/v1/nodes/acme-1/states/provision', { target: 'manage' })).status, 202);
  await waitState('acme-1', 'manageable');
  assert.ok(bmc.calls.includes('GET /power'), 'verify read the power state from the BMC');
  assert.equal((await call('PUT', '/v1/nodes/acme-1/states/provision', { target: 'provide' })).status, 202);
  await waitState('acme-1', 'available');
  assert.ok(bmc.calls.includes('POST /reset'), `automated cleaning ran reset_bmc: ${bmc.calls.join(', ')}`);
  assert.equal((await call('PUT', '/v1/nodes/acme-1/states/provision', { target: 'active' })).status, 202);
  const node = await waitState('acme-1', 'active');
  assert.equal(node.last_error, null);
  assert.equal((await call('PUT', '/v1/nodes/acme-1/states/power', { target: 'power off' })).status, 202);
  await until('power off at the BMC', async () => (bmc.power === 'off' ? true : undefined), 15_000, anvil);
});

describe('anvil server refuses to start on a broken plugin', { concurrency: true }, () => {
  for (const bad of BAD_PLUGINS) {
    test(`plugin that ${bad.what}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'anvil-bad-plugin-'));
      const data = mkdtempSync(join(tmpdir(), 'anvil-bad-data-'));
      try {
        writeBadPlugin(dir, bad);
        const p = await startAnvil(install.dir, data, ['--set', `plugin_dirs=${dir}`, ...bad.args]);
        let timer: NodeJS.Timeout | undefined;
        const code = await Promise.race([p.exited, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 60_000)))]);
        clearTimeout(timer);
        if (code === 'timeout') await p.stop();
        assert.notEqual(code, 'timeout', `anvil kept running:\n${p.output()}`);
        assert.notEqual(code, 0);
        assert.match(p.output(), new RegExp(`Anvil cannot start: plugin package ${bad.pkg}: `));
        assert.match(p.output(), bad.message);
      } finally {
        rmSync(dir, { recursive: true, force: true });
        rmSync(data, { recursive: true, force: true });
      }
    });
  }
});
