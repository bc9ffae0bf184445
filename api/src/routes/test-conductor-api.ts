/**
 * For the route tests that need real state changes: a real conductor (in-process transport, fake-hardware) on a
 * fresh SQLite database in a temporary directory (settings overridable), and the API (max microversion 1.82 unless
 * given) over it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@anvil/db';
import { startTestConductor, type TestConductor } from '@anvil/conductor/testing';
import { createRegistry } from '@anvil/registry';
import type { Settings } from '@anvil/sdk';
import { startApi, type RunningApi } from '../server.ts';

export interface ConductorApi {
  api: RunningApi;
  c: TestConductor;
  /** Closes the API, stops the conductor, closes the database and removes the directory. */
  stop(): Promise<void>;
}

export async function startConductorApi(dirPrefix: string, overrides: Partial<Settings> = {}, maxMinor = 82): Promise<ConductorApi> {
  const dir = mkdtempSync(join(tmpdir(), dirPrefix));
  const db = await openDatabase({ data_dir: dir, database_url: null });
  const c = await startTestConductor(db, overrides);
  const registry = await createRegistry(c.settings, { warn: () => {} });
  const api = await startApi({ settings: { ...c.settings, port: 0 }, db, registry, conductor: c.rpcapi, maxMinor });
  return {
    api,
    c,
    async stop() {
      await api.close();
      await c.stop();
      await c.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
