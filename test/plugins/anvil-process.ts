/** Start `anvil server` as a child process from an install directory, on a free loopback port. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../free-port.ts';

export interface AnvilProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export async function startAnvil(installDir: string, dataDir: string, args: string[]): Promise<AnvilProcess> {
  const port = await freePort();
  const bin = join(installDir, 'node_modules', '@anvil', 'cli', 'bin', 'anvil.js');
  const child = spawn(process.execPath, [bin, 'server', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, ...args], {
    cwd: installDir,
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ANVIL_'))),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => out,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Poll `check` until it returns a value (not undefined) or the deadline passes. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000, proc?: AnvilProcess): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (proc && proc.child.exitCode !== null) throw new Error(`anvil exited (${proc.child.exitCode}) while waiting for ${what}:\n${proc.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${last})` : ''}${proc ? `\n${proc.output()}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
