/**
 * Test support (also for test/compat and test/bad-input): the real API over real HTTP on 127.0.0.1:0, with a
 * fresh database (SQLite, or MariaDB from ANVIL_TEST_MYSQL_URL) and the real plugin registry.
 */
import { DEFAULT_SETTINGS, type Settings } from '@anvil/sdk';
import type { Database } from '@anvil/db';
import type { TestEngine } from '@anvil/db/testing';
import { createRegistry } from '@anvil/registry';
import { startApi } from './server.ts';
import { startTestConductor } from '@anvil/conductor/testing';

export interface TestApi {
  url: string;
  db: Database;
  settings: Settings;
  /** fetch with the microversion header (default latest) and JSON handling. */
  call(method: string, path: string, body?: unknown, version?: string | null, headers?: Record<string, string>): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  body: any;
  /** Parsed inner error (error_message decoded) for error responses. */
  error: any;
}

export async function startTestApi(
  engine: TestEngine,
  overrides: Partial<Settings> = {},
  maxMinor?: number,
  opts: { conductor?: boolean } = {},
): Promise<TestApi> {
  const t = await engine.open();
  const settings = { ...DEFAULT_SETTINGS, ...t.settings, port: 0, hostname: 'test-conductor', ...overrides } as Settings;
  const registry = await createRegistry(settings, { warn: () => {} });
  // a real conductor (in-process RPC) when the routes under test need one (allocations)
  const conductor = opts.conductor ? await startTestConductor(t.db, overrides) : null;
  const api = await startApi({ settings, db: t.db, registry, maxMinor, conductor: conductor?.rpcapi });
  const call: TestApi['call'] = async (method, path, body, version = 'latest', headers = {}) => {
    const h: Record<string, string> = { ...headers };
    if (version) h['X-OpenStack-Ironic-API-Version'] = version;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['Content-Type'] = 'application/json';
    }
    const r = await fetch(api.url + path, { method, headers: h, body: payload });
    const text = await r.text();
    let parsed: any = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    let error: any = null;
    if (parsed && typeof parsed.error_message === 'string') error = JSON.parse(parsed.error_message);
    return { status: r.status, headers: r.headers, body: parsed, error };
  };
  return {
    url: api.url,
    db: t.db,
    settings,
    call,
    async close() {
      await api.close();
      await conductor?.stop();
      await t.cleanup();
    },
  };
}
