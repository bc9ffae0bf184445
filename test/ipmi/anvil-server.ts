/**
 * Starts `anvil server` (the all-in-one process a user runs) on a free port of 127.0.0.1 (or of `host`, e.g. the
 * host end of a VM lab's bridge) with its own data directory and extra settings, waits until the ipmi driver is
 * listed, and stops exactly that child.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../free-port.ts';

const root = new URL('../../', import.meta.url).pathname;
export const API_VERSION = '1.46';

export function anvilServerMissing(): string | null {
  return existsSync(join(root, 'cli/bin/anvil.js')) && existsSync(join(root, 'cli/src/commands/server.ts'))
    ? null
    : 'this tree has no `anvil server` command yet';
}

export interface Anvil {
  url: string;
  output(): string;
  /** JSON request against /v1 with the microversion header */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startAnvil(settings: Record<string, string | number | boolean>, host = '127.0.0.1'): Promise<Anvil> {
  const port = await freePort(host);
  const dataDir = mkdtempSync(join(tmpdir(), 'anvil-ipmi-'));
  const sets = Object.entries(settings).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
  let out = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [join(root, 'cli/bin/anvil.js'), 'server', '--port', String(port), '--host', host, '--data-dir', dataDir, ...sets],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ANVIL_LOG_LEVEL: 'info' } },
  );
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const url = `http://${host}:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const api = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${url}/v1${path}`, {
      method,
      headers: { 'X-OpenStack-Ironic-API-Version': API_VERSION, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`anvil server exited (${child.exitCode}):\n${out}`);
    }
    try {
      const r = await api('GET', '/drivers');
      if (r.status === 200 && r.body.drivers.some((d: { name: string }) => d.name === 'ipmi')) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`anvil server did not list the ipmi driver on ${url}:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, output: () => out, api, stop };
}
