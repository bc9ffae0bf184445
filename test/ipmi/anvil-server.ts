/**
 * Anvil for the hardware tests: `anvil server` (test/anvil-server.ts) with extra settings on 127.0.0.1 (or on
 * `host`, e.g. the host end of a VM lab's bridge), ready once it lists the ipmi driver; `api` speaks 1.46.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../anvil-server.ts';

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
  /** JSON request against /v1 with the microversion header (1.46 unless `version` says otherwise) */
  api(method: string, path: string, body?: unknown, version?: string): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startAnvil(settings: Record<string, string | number | boolean>, host = '127.0.0.1'): Promise<Anvil> {
  const s = await startServer({ settings, host, driver: 'ipmi', env: { ANVIL_LOG_LEVEL: 'info' } });
  return { url: s.url, output: s.output, api: (method, path, body, version) => s.api(method, path, body, version ?? API_VERSION), stop: () => s.stop() };
}
