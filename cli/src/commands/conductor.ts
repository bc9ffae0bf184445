/**
 * `anvil conductor`: a conductor alone. Registers as settings.hostname in settings.conductor_group, serves its RPC
 * topics over the transport the settings choose (rpc_transport: local is only useful inside `anvil server`; use
 * kafka with kafka_brokers between processes), heartbeats, runs the periodic tasks. SIGINT/SIGTERM: graceful stop.
 */
import { mkdirSync } from 'node:fs';
import { loadSettings, SETTINGS_HELP } from '../config.ts';
import { runResource } from './resources.ts';
import { waitForSignal } from './signals.ts';

export const CONDUCTOR_HELP = `usage: anvil conductor [options]

Runs one conductor: owns the nodes the hash ring gives it, runs their deploy/clean/power work, takes over the nodes
of conductors that stop heartbeating (heartbeat_interval ${'2'} s, heartbeat_timeout ${'6'} s by default).
Between processes use --rpc-transport kafka --kafka-brokers host:port and a shared --database-url.
\`anvil conductor list|show HOSTNAME [output options]\` reads the conductors from the API (\`anvil conductor list --help\`).

${SETTINGS_HELP}`;

export async function run(argv: string[]): Promise<number> {
  const shown = await runResource('conductor', argv); // `conductor list|show`: the API's conductors
  if (shown !== null) return shown;
  const { settings, help } = await loadSettings(argv);
  if (help) {
    console.log(CONDUCTOR_HELP);
    return 0;
  }
  if (!settings.database_url) mkdirSync(settings.data_dir, { recursive: true });
  if (settings.rpc_transport !== 'kafka') {
    console.warn('anvil conductor: warning: rpc_transport is "local", so no API process can reach this conductor; use --rpc-transport kafka (or `anvil server`)');
  }
  const [{ openDatabase }, { createRegistry }, { startConductor, startMetricsServer, untilAvailable }] = await Promise.all([
    import('@anvil/db'),
    import('@anvil/registry'),
    import('@anvil/conductor'),
  ]);
  // a database that is not up yet is waited for (backoff), not a reason to exit
  const db = await untilAvailable('opening the database', () => openDatabase(settings), { log: (m) => console.warn(`anvil conductor: ${m}`) });
  const registry = await createRegistry(settings);
  const running = await startConductor({ settings, db, registry });
  // node events for the API processes' GET /v1/anvil/events (nova-bridge), relayed over Kafka between processes
  const relay = settings.rpc_transport === 'kafka' ? await (await import('@anvil/nova-bridge/events/kafka')).relayNodeEventsToKafka(running.events, { brokers: settings.kafka_brokers }).catch(() => null) : null;
  console.log(`anvil conductor: ${settings.hostname} (group "${settings.conductor_group}") serving ${registry.hardwareTypeNames().join(', ')} over ${settings.rpc_transport}`);
  const metrics =
    typeof settings.metrics_port === 'number'
      ? await startMetricsServer({ host: settings.host, port: settings.metrics_port, db, hostname: settings.hostname, heartbeatTimeout: settings.heartbeat_timeout })
      : null;
  if (metrics) console.log(`anvil conductor: metrics on ${metrics.url}/metrics (also /healthz, /readyz)`);
  await waitForSignal();
  await metrics?.close();
  await relay?.close();
  await running.stop();
  await db.close();
  return 0;
}
