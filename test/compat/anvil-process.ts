/**
 * Runs `anvil server` as a child process (as a user would: node cli/bin/anvil.js server) on a free port with a
 * temp data dir; resolves with its URL once the printed URL answers GET /v1/nodes. Also the clients' environment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;

export interface AnvilProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export async function startAnvil(extraArgs: string[] = []): Promise<AnvilProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-compat-'));
  const child = spawn(process.execPath, [join(root, 'cli/bin/anvil.js'), 'server', '--port', '0', '--data-dir', dir, ...extraArgs], {
    cwd: root,
    env: { ...process.env, ANVIL_CONFIG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`anvil server did not print its URL in 20 s:\n${out}`)), 20_000);
    const check = () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`anvil server exited (${code}):\n${out}`)));
  });
  const ready = await fetch(`${url}/v1/nodes`);
  if (ready.status !== 200) throw new Error(`GET /v1/nodes → ${ready.status}`);
  return {
    url,
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Environment for the OpenStack clients: no auth, endpoint override. */
export function clientEnv(url: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OS_')) env[k] = v;
  return { ...env, OS_AUTH_TYPE: 'none', OS_ENDPOINT: url, ...extra };
}
