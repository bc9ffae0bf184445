/**
 * The suite's one way to start Anvil as a user does: `node <cli>/bin/anvil.js server --host 127.0.0.1 --port P
 * --data-dir D [--set k=v ...]` on a free port, wait (bounded) until the API lists the wanted driver, and stop
 * exactly that child. test/nova, test/compat, test/ipmi and test/plugins wrap it with their own defaults.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forwardChildOutput } from './child-output.ts';
import { freePort } from './free-port.ts';
import { sleep } from './wait.ts';

const root = new URL('../', import.meta.url).pathname;

export interface ServerOptions {
  /** the address to listen on (default 127.0.0.1) */
  host?: string;
  /** more arguments after `server` */
  args?: string[];
  /** settings as `--set key=value` (without inspector_port or inspector_api_enabled: no Inspector-compatible API) */
  settings?: Record<string, string | number | boolean>;
  /** reuse a port / data dir (restart the same Anvil); a given data dir is left in place on stop */
  port?: number;
  dataDir?: string;
  /** also serve the compute API on this port (`--compute-port`); without it (or a compute setting) there is none */
  computePort?: number;
  /** run the CLI installed under this directory (node_modules/@anvil/cli), from there, without ANVIL_* variables */
  installDir?: string;
  env?: Record<string, string>;
  /** the driver the API must list before the server counts as up; null: do not wait */
  driver?: string | null;
  /** bound of that wait (a loaded machine starts slowly) */
  timeoutMs?: number;
}

export interface AnvilServer {
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  output(): string;
  /** resolves with the exit code once the process ended and all its output was read ('close', not 'exit') */
  exited: Promise<number | null>;
  /** JSON request against /v1 with a microversion header (default 1.46) */
  api(method: string, path: string, body?: unknown, version?: string): Promise<{ status: number; body: any }>;
  /** SIGTERM (graceful) by default, SIGKILL after 5 s; SIGKILL simulates a crash */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startServer(o: ServerOptions = {}): Promise<AnvilServer> {
  const host = o.host ?? '127.0.0.1';
  const port = o.port ?? (await freePort(host));
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'anvil-test-'));
  const sets = Object.entries(o.settings ?? {}).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
  // no Inspector-compatible API on its fixed default port 5050 (tests would collide on it) unless the test asks for it
  const wantsInspector = [...sets, ...(o.args ?? [])].some((a) => /^inspector_(port|api_enabled)=/.test(a));
  if (!wantsInspector) sets.unshift('--set', 'inspector_api_enabled=false');
  // likewise no compute API on its fixed default port 8774 unless the test gives a port or a compute setting
  const wantsCompute = o.computePort !== undefined || [...sets, ...(o.args ?? [])].some((a) => /^(--compute-port|compute_(port|enabled)=)/.test(a));
  const compute = o.computePort !== undefined ? ['--compute-port', String(o.computePort)] : wantsCompute ? [] : ['--set', 'compute_enabled=false'];
  const bin = o.installDir ? join(o.installDir, 'node_modules', '@anvil', 'cli', 'bin', 'anvil.js') : join(root, 'cli/bin/anvil.js');
  const baseEnv = o.installDir ? Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ANVIL_'))) : process.env;
  let out = '';
  const child = spawn(
    process.execPath,
    [bin, 'server', '--host', host, '--port', String(port), '--data-dir', dataDir, ...compute, ...sets, ...(o.args ?? [])],
    { cwd: o.installDir ?? root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...baseEnv, ...o.env } },
  );
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  forwardChildOutput(child, `anvil server :${port}`);
  // 'close', not 'exit': at 'exit' the last lines written may still sit in the pipes, unread
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const url = `http://${host}:${port}`;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    if (!o.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const api: AnvilServer['api'] = async (method, path, body, version = '1.46') => {
    const r = await fetch(`${url}/v1${path}`, {
      method,
      headers: { 'X-OpenStack-Ironic-API-Version': version, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  };
  const server: AnvilServer = { url, port, dataDir, child, output: () => out, exited, api, stop };
  const driver = o.driver === undefined ? 'fake-hardware' : o.driver;
  if (driver === null) return server;
  const limit = o.timeoutMs ?? 60_000;
  const deadline = Date.now() + limit;
  let apiUp = false;
  for (;;) {
    if (child.exitCode !== null) {
      await exited; // its last lines (the reason) read
      await stop();
      throw new Error(`anvil server exited (${child.exitCode}):\n${out}`);
    }
    const r = await api('GET', '/drivers').catch(() => null);
    if (r) apiUp = true;
    if (r?.status === 200 && r.body.drivers.some((d: { name: string }) => d.name === driver)) return server;
    if (Date.now() > deadline) {
      await stop();
      const what = apiUp ? `answered but did not list the ${driver} driver (no conductor serving it)` : 'did not answer';
      throw new Error(`anvil server on ${url} ${what} within ${limit / 1000} s:\n${out}`);
    }
    await sleep(100);
  }
}
