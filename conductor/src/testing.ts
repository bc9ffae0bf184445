/**
 * Test support (also for the API's and other packages' tests): a real conductor on a fresh database (SQLite by
 * default, or the settings given), the real plugin registry with fake-hardware, the in-process transport and the
 * RPC facade. Nothing is stubbed.
 */
import { DEFAULT_SETTINGS, type NodeRecord, type Settings } from '@anvil/sdk';
import type { Database } from '@anvil/db';
import { createRegistry } from '@anvil/registry';
import { NodeEvents } from './events.ts';
import { createLogger } from './log.ts';
import { ConductorRpcApi } from './rpcapi.ts';
import { LocalTransport } from './rpc/local.ts';
import { Conductor } from './service.ts';

export interface TestConductor {
  settings: Settings;
  db: Database;
  conductor: Conductor;
  rpcapi: ConductorRpcApi;
  transport: LocalTransport;
  events: NodeEvents;
  /** Create a fake-hardware node (interfaces resolved like the API does). */
  createNode(values?: Partial<NodeRecord>): Promise<NodeRecord>;
  /** Poll the node until pred holds (default 10 s). */
  waitFor(uuid: string, pred: (n: NodeRecord) => boolean, timeoutMs?: number): Promise<NodeRecord>;
  stop(): Promise<void>;
}

export async function startTestConductor(db: Database, overrides: Partial<Settings> = {}): Promise<TestConductor> {
  const settings: Settings = {
    ...DEFAULT_SETTINGS,
    enabled_hardware_types: ['fake-hardware'],
    hostname: `test-conductor-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    node_locked_retry_interval: 0.05,
    ...overrides,
  };
  const registry = await createRegistry(settings);
  const log = createLogger({}, process.env.ANVIL_LOG_LEVEL ?? 'error');
  const transport = new LocalTransport(log);
  const events = new NodeEvents();
  const conductor = new Conductor({ settings, db, registry, transport, events, log });
  await conductor.start();
  const rpcapi = new ConductorRpcApi({ transport, db, settings });
  return {
    settings,
    db,
    conductor,
    rpcapi,
    transport,
    events,
    async createNode(values = {}) {
      const ifaces = registry.resolveInterfaces(values.driver ?? 'fake-hardware', {});
      return db.nodes.create({ driver: 'fake-hardware', provision_state: 'enroll', ...ifaces, ...values });
    },
    async waitFor(uuid, pred, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const n: NodeRecord = await db.nodes.getByUuid(uuid);
        if (pred(n)) return n;
        if (Date.now() > deadline) {
          throw new Error(`node ${uuid} did not reach the expected state; now ${n.provision_state} (target ${n.target_provision_state}, reservation ${n.reservation}, last_error ${n.last_error})`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      await conductor.stop(5_000);
      await transport.close();
    },
  };
}
