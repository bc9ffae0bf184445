/**
 * Starts Anvil the way a user does — `node cli/bin/anvil.js server --port P --data-dir D` — on a free
 * 127.0.0.1 port, waits (up to 60 s) until it lists fake-hardware, and stops exactly that child.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../free-port.ts';

const root = new URL('../../', import.meta.url).pathname;

export interface RunningAnvil {
  url: string;
  port: number;
  /** the compute API inside it (`--compute-port`) */
  computeUrl: string;
  computePort: number;
  dataDir: string;
  output: () => string;
  /** SIGTERM (graceful) by default; SIGKILL simulates a crash */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface StartOptions {
  /** reuse a port / data dir (restart the same Anvil); a given data dir is left in place on stop */
  port?: number;
  dataDir?: string;
  computePort?: number;
}

export async function startAnvil(extra: string[] = [], o: StartOptions = {}): Promise<RunningAnvil> {
  const port = o.port ?? (await freePort());
  const computePort = o.computePort ?? (await freePort());
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'nova-anvil-'));
  let out = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [join(root, 'cli/bin/anvil.js'), 'server', '--port', String(port), '--host', '127.0.0.1', '--data-dir', dataDir, '--compute-port', String(computePort), ...extra],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ANVIL_LOG_LEVEL: process.env.ANVIL_LOG_LEVEL ?? 'warn' } },
  );
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    if (!o.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  // a slow start (a loaded machine) waits, bounded; then it fails saying whether the API or the conductor is missing
  const deadline = Date.now() + 60_000;
  let apiUp = false;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`anvil server exited (${child.exitCode}):\n${out}`);
    }
    const r = await fetch(`${url}/v1/drivers`, { headers: { 'X-OpenStack-Ironic-API-Version': '1.46' } }).catch(() => null);
    if (r) apiUp = true;
    if (r?.ok && (await r.text()).includes('fake-hardware')) break;
    if (Date.now() > deadline) {
      await stop();
      const what = apiUp ? 'answered but listed no fake-hardware driver (no conductor running)' : 'did not answer';
      throw new Error(`anvil server on ${url} ${what} within 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, port, computeUrl: `http://127.0.0.1:${computePort}`, computePort, dataDir, output: () => out, stop };
}
