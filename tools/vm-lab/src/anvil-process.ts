/**
 * `anvil server` as a child process for `anvil lab`: listening on the lab's host address with the lab settings, its
 * data under the lab directory, output to a log file; resolves once the ipmi driver is listed.
 */
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { AnvilHandle } from './lab.ts';

const freePort = (host: string) =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

export async function spawnAnvil(anvilJs: string, dir: string, host: string, settings: Record<string, string | number | boolean>): Promise<AnvilHandle & { pid: number; port: number }> {
  const port = await freePort(host);
  const sets = Object.entries(settings).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
  const logFile = join(dir, 'anvil.log');
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, [anvilJs, 'server', '--host', host, '--port', String(port), '--data-dir', join(dir, 'anvil'), ...sets], {
    stdio: ['ignore', out, out],
    detached: true,
  });
  child.unref();
  const url = `http://${host}:${port}`;
  const api = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${url}/v1${path}`, {
      method,
      headers: { 'X-OpenStack-Ironic-API-Version': '1.46', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  };
  const stop = async () => {
    try {
      process.kill(child.pid as number, 'SIGTERM');
    } catch {
      // gone
    }
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const r = await api('GET', '/drivers');
      if (r.status === 200 && r.body.drivers.some((d: { name: string }) => d.name === 'ipmi')) break;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`anvil server did not start on ${url} (see ${logFile})`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, api, output: () => '', stop, pid: child.pid as number, port };
}
