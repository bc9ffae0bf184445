/** `anvil api`: the API service alone (opens the database, migrating it, and serves the Ironic v1 API). */
import { mkdirSync } from 'node:fs';
import { openDatabase } from '@anvil/db';
import { startApi } from '@anvil/api';
import { createRegistry } from '@anvil/registry';
import { loadSettings, SETTINGS_HELP } from '../config.ts';
import { waitForSignal } from './signals.ts';

export const API_HELP = `usage: anvil api [options]

Serves the Ironic v1 API, the Inspector-compatible API on inspector_port and, with vnc_enabled, the noVNC proxy on vnc_port (no conductor in this process; state changes need a conductor reachable over RPC).

${SETTINGS_HELP}`;

export async function run(argv: string[]): Promise<number> {
  const { settings, help, origins } = await loadSettings(argv);
  if (help) {
    console.log(API_HELP);
    return 0;
  }
  if (!settings.database_url) mkdirSync(settings.data_dir, { recursive: true });
  const { untilAvailable } = await import('@anvil/conductor');
  // a database that is not up yet is waited for (backoff), not a reason to exit
  const db = await untilAvailable('opening the database', () => openDatabase(settings), { log: (m) => console.warn(`anvil api: ${m}`) });
  const registry = await createRegistry(settings);
  // the conductors are reached over the settings' RPC transport (Kafka between processes)
  const { connectConductors } = await import('@anvil/conductor');
  const client = await connectConductors({ settings, db });
  // conductors' node events (relayed over Kafka) feed GET /v1/anvil/events (nova-bridge)
  const events = settings.rpc_transport === 'kafka' ? (await import('@anvil/nova-bridge/events/kafka')).nodeEventsFromKafka({ brokers: settings.kafka_brokers }) : undefined;
  const api = await startApi({ settings, db, registry, conductor: client.rpcapi, conductorForNode: client.rpcapi.cachedOwner, events });
  console.log(`anvil api: listening on ${api.url}`);
  const inspectorApi = await (await import('./server.ts')).startInspector(settings, { db, registry, conductor: client.rpcapi }, origins.get('inspector_port'));
  const novnc = await (await import('./novncproxy.ts')).startNovnc(settings, db);
  await waitForSignal();
  await novnc?.close();
  await inspectorApi?.close();
  await api.close();
  await events?.close();
  await client.close();
  await db.close();
  return 0;
}
