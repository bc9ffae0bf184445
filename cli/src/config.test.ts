/**
 * The settings schema as a user meets it: a typo in a flag, an ANVIL_* variable or a config-file key (JSON or YAML)
 * refuses start with one line naming it and the nearest valid name; bad values likewise; plugin packages' own
 * options (pxe's dhcp_provider, ipmi's ipmi_retries) are checked the same way; `anvil config show` masks secrets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { checkConfigFile, loadSettings } from './config.ts';

const run = promisify(execFile);
const BIN = resolve(import.meta.dirname, '..', 'bin', 'anvil.js');
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ANVIL_') || k.startsWith('ANVIL_TEST_')));

async function refused(p: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(p, (e: Error) => {
    assert.match(e.message, message);
    assert.equal(e.message.includes('\n'), false, 'one line');
    return true;
  });
}

test('flags, ANVIL_* variables and the config file overlay the declared defaults, with their source', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-config-'));
  try {
    const file = join(dir, 'anvil.yaml');
    writeFileSync(file, 'port: 7000\nkafka_brokers: [a:1, b:2]\ndhcp_provider: dnsmasq\nipmi_retries: 5\n');
    const env = { ...cleanEnv(), ANVIL_PORT: '7001', ANVIL_AUTOMATED_CLEAN: 'false', ANVIL_TEST_ANYTHING: 'not a setting' };
    const r = await loadSettings(['--config', file, '--port', '7002', '--set', 'deploy_callback_timeout=60', 'extra'], env);
    assert.equal(r.settings.port, 7002);
    assert.deepEqual(r.origins.get('port'), { source: 'flag', where: '--port' });
    assert.deepEqual(r.settings.kafka_brokers, ['a:1', 'b:2']);
    assert.equal(r.origins.get('kafka_brokers')?.source, 'file');
    assert.equal(r.settings.automated_clean, false);
    assert.deepEqual(r.origins.get('automated_clean'), { source: 'env', where: 'ANVIL_AUTOMATED_CLEAN' });
    assert.equal(r.settings.deploy_callback_timeout, 60);
    assert.equal(r.settings.dhcp_provider, 'dnsmasq'); // the pxe plugin's option
    assert.equal(r.options.get('dhcp_provider')?.owner, '@anvil/plugin-pxe');
    assert.equal(r.settings.ipmi_retries, 5); // the ipmi plugin's option
    assert.equal(r.settings.heartbeat_timeout, 6); // declared default
    assert.deepEqual(r.positional, ['extra']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a typo in a flag, a variable or a file key refuses start naming it and the nearest valid name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-config-'));
  try {
    await refused(loadSettings(['--prot', '7000'], cleanEnv()), /^unknown setting --prot \(did you mean --port\?\)$/);
    await refused(loadSettings(['--databse-url', 'mysql://x'], cleanEnv()), /^unknown setting --databse-url \(did you mean --database-url\?\)$/);
    await refused(loadSettings(['--set', 'deploy_calback_timeout=1'], cleanEnv()), /^unknown setting --set deploy_calback_timeout \(did you mean --set deploy_callback_timeout\?\)$/);
    await refused(loadSettings([], { ...cleanEnv(), ANVIL_DATABSE_URL: 'x' }), /^unknown setting ANVIL_DATABSE_URL \(did you mean ANVIL_DATABASE_URL\?\)$/);
    const json = join(dir, 'a.json');
    writeFileSync(json, JSON.stringify({ port: 1, ipmi_retry: 2 }));
    await refused(loadSettings(['--config', json], cleanEnv()), /^unknown setting 'ipmi_retry' in .*a\.json \(did you mean 'ipmi_retries'\?\)$/);
    const yaml = join(dir, 'a.yaml');
    writeFileSync(yaml, 'hostnme: c1\n');
    await refused(loadSettings([], { ...cleanEnv(), ANVIL_CONFIG: yaml }), /^unknown setting 'hostnme' in .*a\.yaml \(did you mean 'hostname'\?\)$/);
    await refused(checkConfigFile(yaml), /did you mean 'hostname'/);
    await refused(loadSettings(['--zzzzzz', '1'], cleanEnv()), /^unknown setting --zzzzzz$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad value refuses start naming the setting, what it got and what it takes', async () => {
  await refused(loadSettings(['--port', 'abc'], cleanEnv()), /^--port: got 'abc', must be an integer$/);
  await refused(loadSettings(['--set', 'dhcp_provider=dnsmaq'], cleanEnv()), /^--set dhcp_provider: got 'dnsmaq', must be one of none, dnsmasq, neutron \(did you mean 'dnsmasq'\?\)$/);
  await refused(loadSettings([], { ...cleanEnv(), ANVIL_AUTOMATED_CLEAN: 'maybe' }), /^ANVIL_AUTOMATED_CLEAN: got 'maybe', must be true or false$/);
  await refused(loadSettings(['--rpc-transport', 'kafak'], cleanEnv()), /must be one of local, kafka \(did you mean 'kafka'\?\)/);
  await refused(loadSettings(['--heartbeat-timeout', '-1'], cleanEnv()), /must be at least 0/);
});

test('the real CLI: one line and exit 1 on a typo; config show masks secrets and says where each value came from', async () => {
  const env = cleanEnv();
  await assert.rejects(run(process.execPath, [BIN, 'server', '--prot', '7000'], { env }), (e: { code: number; stderr: string }) => {
    assert.equal(e.code, 1);
    assert.equal(e.stderr, 'anvil: unknown setting --prot (did you mean --port?)\n');
    return true;
  });
  const { stdout } = await run(process.execPath, [BIN, 'config', 'show', '-f', 'json', '--set', 'keystone_password=s3cret'], {
    env: { ...env, ANVIL_DATABASE_URL: 'mysql://u:pw@h/db' },
  });
  const rows = JSON.parse(stdout) as { name: string; value: string; where: string; owner: string }[];
  const row = (n: string) => rows.find((r) => r.name === n);
  assert.deepEqual([row('keystone_password')?.value, row('keystone_password')?.where], ['***', '--set keystone_password']);
  assert.deepEqual([row('database_url')?.value, row('database_url')?.where], ['***', 'ANVIL_DATABASE_URL']);
  assert.equal(stdout.includes('s3cret') || stdout.includes(':pw@'), false);
  assert.equal(row('ipmi_retries')?.owner, '@anvil/plugin-ipmi');
  const version = await run(process.execPath, [BIN, '--version'], { env });
  assert.match(version.stdout, /^anvil \d+\.\d+\.\d+\n$/);
});

test('a busy inspector_port: refuses start when the operator set it, runs without the Inspector API (one warning) on the default', async (t) => {
  const { createServer } = await import('node:net');
  const { startInspector } = await import('./commands/server.ts');
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  const port = (busy.address() as { port: number }).port;
  const deps = { db: undefined as never, registry: undefined, conductor: undefined };
  try {
    const set = await loadSettings(['--set', `inspector_port=${port}`], cleanEnv());
    await refused(startInspector(set.settings, deps, set.origins.get('inspector_port')), new RegExp(`^inspector_port ${port} \\(--set inspector_port\\) is in use on 127\\.0\\.0\\.1: choose a free inspector_port, or --set inspector_api_enabled=false`));
    const byEnv = await loadSettings([], { ...cleanEnv(), ANVIL_INSPECTOR_PORT: String(port) });
    await refused(startInspector(byEnv.settings, deps, byEnv.origins.get('inspector_port')), /\(ANVIL_INSPECTOR_PORT\) is in use/);
    const warn = t.mock.method(console, 'warn', () => {});
    const dflt = await loadSettings([], cleanEnv());
    assert.equal(dflt.origins.get('inspector_port')?.source, 'default');
    assert.equal(await startInspector({ ...dflt.settings, inspector_port: port }, deps, dflt.origins.get('inspector_port')), null);
    assert.equal(warn.mock.callCount(), 1);
    assert.match(String(warn.mock.calls[0].arguments[0]), new RegExp(`^anvil: Inspector-compatible API not started: port ${port} \\(the default inspector_port\\) is in use; .*--set inspector_port=N, or --set inspector_api_enabled=false`));
    assert.equal(await startInspector({ ...set.settings, inspector_api_enabled: false }, deps, set.origins.get('inspector_port')), null, 'disabled: no bind at all');
  } finally {
    busy.close();
  }
});
