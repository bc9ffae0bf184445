/** Anvil installed from a tarball: `anvil server` (test/anvil-server.ts) run from an install directory; not waited for. */
import type { ChildProcess } from 'node:child_process';
import { startServer } from '../anvil-server.ts';
import { until as waitUntil } from '../wait.ts';

export interface AnvilProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code once the process ended and all its output was read. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export async function startAnvil(installDir: string, dataDir: string, args: string[]): Promise<AnvilProcess> {
  const s = await startServer({ installDir, dataDir, args, driver: null });
  return { url: s.url, child: s.child, output: s.output, exited: s.exited, stop: () => s.stop() };
}

/**
 * test/wait.ts `until` for a server still starting: a check that throws (connection refused) is tried again;
 * the wait ends at once when the process exits.
 */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000, proc?: AnvilProcess): Promise<T> {
  let last: unknown;
  return waitUntil(
    what,
    async () => {
      if (proc && proc.child.exitCode !== null) throw new Error(`anvil exited (${proc.child.exitCode}) while waiting for ${what}:\n${proc.output()}`);
      try {
        return await check();
      } catch (e) {
        last = e;
        return undefined;
      }
    },
    timeoutMs,
    () => `${last ? `last error: ${last}` : ''}${proc ? `\n${proc.output()}` : ''}`,
    200,
  );
}
