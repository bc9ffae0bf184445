/**
 * Anvil for the compute tests: `anvil server` (test/anvil-server.ts) with the compute API on its own free port,
 * ready once it lists fake-hardware (bounded 60 s wait), log level warn unless ANVIL_LOG_LEVEL says otherwise.
 */
import { startServer } from '../anvil-server.ts';
import { freePort } from '../free-port.ts';

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
  const computePort = o.computePort ?? (await freePort());
  const s = await startServer({ args: extra, port: o.port, dataDir: o.dataDir, computePort, env: { ANVIL_LOG_LEVEL: process.env.ANVIL_LOG_LEVEL ?? 'warn' } });
  return { url: s.url, port: s.port, computeUrl: `http://127.0.0.1:${computePort}`, computePort, dataDir: s.dataDir, output: s.output, stop: s.stop };
}
