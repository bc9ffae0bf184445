/**
 * `anvil server` in keystone auth mode for the tempest suite: validates tokens against the real Keystone with the
 * service user (its password passed through the environment, not argv); ready when an admin token lists
 * fake-hardware (the conductor is up).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forwardChildOutput } from '../child-output.ts';
import { freePort } from '../free-port.ts';
import { adminToken, type KeystoneEnv } from './keystone-catalog.ts';

const root = new URL('../../', import.meta.url).pathname;

export interface KeystoneAnvil {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startKeystoneAnvil(ks: KeystoneEnv, hardwareTypes: string, settings: Record<string, string>): Promise<KeystoneAnvil> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'anvil-tempest-'));
  const args = ['server', '--port', String(port), '--host', '127.0.0.1', '--data-dir', dataDir, '--auth-strategy', 'keystone',
    '--enabled-hardware-types', hardwareTypes, '--set', `keystone_url=${ks.url}`, '--set', `keystone_username=${ks.serviceUser}`, '--set', 'inspector_api_enabled=false'];
  for (const [k, v] of Object.entries(settings)) args.push('--set', `${k}=${v}`);
  const env: NodeJS.ProcessEnv = { ANVIL_LOG_LEVEL: 'warn' };
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ANVIL_')) env[k] = v;
  env.ANVIL_KEYSTONE_PASSWORD = ks.servicePassword;
  let out = '';
  const child: ChildProcess = spawn(process.execPath, [join(root, 'cli/bin/anvil.js'), ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  forwardChildOutput(child, `anvil server :${port}`);
  const url = `http://127.0.0.1:${port}`;
  const killNow = () => child.kill('SIGKILL');
  process.once('exit', killNow); // not left running when the test process ends without calling stop()
  const stop = async () => {
    process.off('exit', killNow);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const token = await adminToken(ks);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`anvil server exited (${child.exitCode}):\n${out}`);
    }
    const r = await fetch(`${url}/v1/drivers`, { headers: { 'X-Auth-Token': token, 'X-OpenStack-Ironic-API-Version': '1.46' } }).catch(() => null);
    if (r?.ok && (await r.text()).includes('fake-hardware')) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`anvil server on ${url} did not list fake-hardware to an admin token within 60 s (last answer ${r?.status ?? 'none'}):\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, output: () => out, stop };
}
