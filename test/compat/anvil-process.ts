/**
 * Anvil for the client tests: `anvil server` (test/anvil-server.ts) without a config file, ready once it lists
 * fake-hardware. Also the clients' environment.
 */
import type { ChildProcess } from 'node:child_process';
import { startServer } from '../anvil-server.ts';

export interface AnvilProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export async function startAnvil(extraArgs: string[] = []): Promise<AnvilProcess> {
  const s = await startServer({ args: extraArgs, env: { ANVIL_CONFIG: '' } });
  return { url: s.url, child: s.child, output: s.output, stop: () => s.stop() };
}

/** Environment for the OpenStack clients: no auth, endpoint override. */
export function clientEnv(url: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OS_')) env[k] = v;
  return { ...env, OS_AUTH_TYPE: 'none', OS_ENDPOINT: url, ...extra };
}
