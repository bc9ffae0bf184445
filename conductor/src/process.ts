/**
 * Wiring for the processes (`anvil conductor`, `anvil api`, `anvil server`): a conductor with the transport the
 * settings choose, and the API-side facade on the same (or its own) transport. Keeps the CLI commands thin.
 */
import type { DriverRegistry, RpcTransport, Settings } from '@anvil/sdk';
import type { Database } from '@anvil/db';
import { NodeEvents } from './events.ts';
import { createLogger, type Logger } from './log.ts';
import { ConductorRpcApi } from './rpcapi.ts';
import { createTransport } from './rpc/transport.ts';
import { Conductor } from './service.ts';
import { acquireRecorder } from './why/trace-recorder.ts';

export interface RunningConductor {
  conductor: Conductor;
  transport: RpcTransport;
  events: NodeEvents;
  /** Graceful stop (drain workers, release locks, go offline) and close the transport. */
  stop(drainMs?: number): Promise<void>;
}

export async function startConductor(opts: {
  settings: Settings;
  db: Database;
  registry: DriverRegistry;
  transport?: RpcTransport;
  events?: NodeEvents;
  log?: Logger;
}): Promise<RunningConductor> {
  const log = opts.log ?? createLogger();
  const transport = opts.transport ?? (await createTransport(opts.settings, log));
  const events = opts.events ?? new NodeEvents();
  const conductor = new Conductor({ settings: opts.settings, db: opts.db, registry: opts.registry, transport, events, log });
  await conductor.start();
  return {
    conductor,
    transport,
    events,
    async stop(drainMs = 30_000) {
      await conductor.stop(drainMs);
      if (!opts.transport) await transport.close();
    },
  };
}

export interface ConductorClient {
  rpcapi: ConductorRpcApi;
  transport: RpcTransport;
  close(): Promise<void>;
}

/** The API side: a ConductorRpcApi over the settings' transport (or a given one, e.g. the in-process one). */
export async function connectConductors(opts: { settings: Settings; db: Database; transport?: RpcTransport; log?: Logger }): Promise<ConductorClient> {
  const transport = opts.transport ?? (await createTransport(opts.settings, opts.log));
  const rpcapi = new ConductorRpcApi({ transport, db: opts.db, settings: opts.settings });
  await rpcapi.rings().catch(() => undefined);
  // the API records agent lookups and heartbeats in the boot trace (shared with a conductor in the same process)
  const trace = acquireRecorder(opts.db, Number(opts.settings.boot_trace_max_events) || 500);
  return {
    rpcapi,
    transport,
    async close() {
      await trace.release();
      if (!opts.transport) await transport.close();
    },
  };
}
