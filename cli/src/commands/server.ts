/**
 * `anvil server`: everything in one process on embedded defaults — database (SQLite in data_dir unless
 * database_url), driver registry, the conductor and the API over one RPC transport. Prints the URL.
 * The port is bound first (discovery answers at once); the rest loads behind it and queued requests follow.
 */
import { mkdirSync } from 'node:fs';
import { startEarly } from '@anvil/api/early';
import type { Database } from '@anvil/db';
import type { Settings } from '@anvil/sdk';
import { loadSettings, type SettingOrigin, SETTINGS_HELP } from '../config.ts';
import { waitForSignal } from './signals.ts';

export const SERVER_HELP = `usage: anvil server [options]        (npm start -- [options])

Runs Anvil in one process: embedded SQLite database, driver plugins, the Ironic v1 API.
Then point a client at it, e.g.:
  export OS_AUTH_TYPE=none OS_ENDPOINT=http://127.0.0.1:6385
  baremetal node create --driver fake-hardware --name node-0

${SETTINGS_HELP}
  --set api_max_version=1.N   highest API microversion announced (default: what this build implements)
  --compute-port N            the compute API (default 8774; \`anvil compute --help\`), --set compute_enabled=false: none
  --set inspector_port=N      the Inspector-compatible API (ironic-inspector v1, default 5050; a port you set that is
                              busy refuses start, a busy default is skipped with a warning), --set inspector_api_enabled=false: none
  --set vnc_enabled=true      the noVNC proxy for graphical consoles (ironic-novncproxy) on vnc_port (default 6090)`;

/**
 * the compute service inside `anvil server`, under the API's auth_strategy; a busy compute_port, or http_basic without
 * compute_ironic_username, leaves Anvil running without it (said once)
 */
async function startCompute(settings: Settings, url: string, db: Database) {
  try {
    const c = await (await import('@anvil/nova-bridge/service')).startComputeService({ ...settings, compute_ironic_url: settings.compute_ironic_url ?? url }, { db });
    console.log(`anvil: compute API listening on ${c.service.url}`);
    return c;
  } catch (err) {
    if ((err as { code?: string }).code === 'ConfigInvalid') {
      // http_basic without compute_ironic_username: Anvil runs, the compute service says what it needs
      console.warn(`anvil: compute service not started: ${(err as Error).message}`);
      return null;
    }
    if ((err as { code?: string }).code !== 'EADDRINUSE') throw err;
    console.warn(`anvil: compute service not started: port ${settings.compute_port} is in use (--compute-port N, or --set compute_enabled=false)`);
    return null;
  }
}

/**
 * the Inspector-compatible API (ironic-inspector v1) on inspector_port. A busy port: when the operator chose the
 * port (flag, ANVIL_INSPECTOR_PORT, config file) Anvil refuses to start, as for the Ironic API's port; on the default
 * 5050 (ironic-inspector's own, maybe running on this host) Anvil runs without it and says so once, with what that
 * means and how to change it.
 */
export async function startInspector(settings: Settings, deps: { db: Database; registry: unknown; conductor: unknown }, portOrigin?: SettingOrigin) {
  if (settings.inspector_api_enabled === false) return null;
  try {
    const api = await (await import('@anvil/api')).startInspectorApi({ settings, ...deps } as Parameters<typeof import('@anvil/api').startInspectorApi>[0]);
    console.log(`anvil: Inspector-compatible API listening on ${api.url}`);
    return api;
  } catch (err) {
    if ((err as { code?: string }).code !== 'EADDRINUSE') throw err;
    const port = settings.inspector_port;
    const off = 'choose a free inspector_port, or --set inspector_api_enabled=false to run without it';
    if (portOrigin && portOrigin.source !== 'default') throw new Error(`inspector_port ${port} (${portOrigin.where}) is in use on ${settings.host ?? 'all addresses'}: ${off}`);
    console.warn(
      `anvil: Inspector-compatible API not started: port ${port} (the default inspector_port) is in use; introspection clients and nodes on the \`inspector\` inspect interface cannot reach this Anvil (--set inspector_port=N, or --set inspector_api_enabled=false)`,
    );
    return null;
  }
}

export async function run(argv: string[]): Promise<number> {
  // `anvil server create|list|show|delete|reboot|…`: the compute verbs live in nova-bridge (server-compute.ts)
  const compute = argv[0] && !argv[0].startsWith('-') ? await import('./server-compute.ts') : null;
  if (compute?.COMPUTE_VERBS.includes(argv[0])) return compute.run(argv);
  const { settings, help, origins } = await loadSettings(argv);
  if (help) {
    console.log(SERVER_HELP);
    return 0;
  }
  if (!settings.database_url) mkdirSync(settings.data_dir, { recursive: true });
  const early = await startEarly(settings);
  console.log(`anvil: Ironic API listening on ${early.url} (data: ${settings.database_url ? 'database_url' : settings.data_dir})`);
  const [{ openDatabase }, { createHandler }, { createRegistry }, { startConductor, connectConductors, createTransport }] = await Promise.all([
    import('@anvil/db'),
    import('@anvil/api'),
    import('@anvil/registry'),
    import('@anvil/conductor'),
  ]);
  const db = await openDatabase(settings);
  const registry = await createRegistry(settings);
  // one transport shared by the conductor and the API (in-process by default, Kafka when configured)
  const transport = await createTransport(settings);
  const conductor = await startConductor({ settings, db, registry, transport });
  const client = await connectConductors({ settings, db, transport });
  // up before the Ironic API answers anything but discovery, so a client that saw the Ironic API can use it
  const inspectorApi = await startInspector(settings, { db, registry, conductor: client.rpcapi }, origins.get('inspector_port'));
  const novnc = await (await import('./novncproxy.ts')).startNovnc(settings, db);
  early.attach(
    createHandler({
      settings,
      db,
      registry,
      conductor: client.rpcapi,
      conductorForNode: client.rpcapi.cachedOwner,
      events: conductor.events,
    }),
  );
  console.log(`anvil: conductor ${settings.hostname} running (${settings.rpc_transport} RPC)`);
  // the compute service (nova-bridge) on compute_port, over this API, same database
  const computeSvc = settings.compute_enabled ? await startCompute(settings, early.url, db) : null;
  await waitForSignal();
  await inspectorApi?.close();
  await novnc?.close();
  await computeSvc?.stop();
  await early.close();
  await conductor.stop();
  await transport.close();
  await db.close();
  return 0;
}
