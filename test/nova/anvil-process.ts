/**
 * Starts Anvil the way a user does — `node cli/bin/anvil.js server --port P --data-dir D` — on a free
 * 127.0.0.1 port, waits for it to answer, and stops exactly that child. `available()` says whether this tree
 * has the all-in-one server command yet.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../free-port.ts';

const root = new URL('../../', import.meta.url).pathname;

export function anvilServerAvailable(): boolean {
  return existsSync(join(root, 'cli/src/commands/server.ts'));
}

/** The API answered but never listed fake-hardware: this tree's `anvil server` runs no conductor yet. */
export class NoConductorYet extends Error {}

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
  const deadline = Date.now() + 30_000;
  let apiUpAt = 0;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`anvil server exited (${child.exitCode}):\n${out}`);
    }
    try {
      const r = await fetch(`${url}/v1/drivers`, { headers: { 'X-OpenStack-Ironic-API-Version': '1.46' } });
      if (r.ok && (await r.text()).includes('fake-hardware')) break;
      apiUpAt ||= Date.now();
      if (Date.now() - apiUpAt > 10_000) {
        await stop();
        throw new NoConductorYet('anvil server answers but lists no fake-hardware driver (no conductor running)');
      }
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`anvil server did not come up on ${url}:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, port, computeUrl: `http://127.0.0.1:${computePort}`, computePort, dataDir, output: () => out, stop };
}
