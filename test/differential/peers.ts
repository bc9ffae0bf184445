/**
 * The two servers of the differential replay, configured alike: Debian's real Ironic 21.4 (its own instance,
 * started by scripts/services/real-ironic.sh under a private ANVIL_TMP, so no other test's nodes show up in its
 * lists) and Anvil (the real API + conductor, SQLite) with the same settings as that ironic.conf. Each comes with a
 * backdoor into its database (contract/fixture.ts `Backdoor`) for states no API call reaches.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import knex from 'knex';
import { startApi } from '@anvil/api';
import { startTestConductor } from '@anvil/conductor/testing';
import { testEngines } from '@anvil/db/testing';
import { createRegistry } from '@anvil/registry';
import { anvilBackdoor, type Backdoor } from '../contract/fixture.ts';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
/** ironic.conf's [DEFAULT]host in scripts/services/real-ironic.sh; Anvil's conductor takes the same name. */
export const CONDUCTOR_HOST = 'nova-bridge-reference';

export interface Peer {
  name: 'anvil' | 'ironic';
  url: string;
  db: Backdoor;
  close(): Promise<void>;
}

/** Anvil with the interfaces, defaults and cleaning setting of real-ironic.sh's ironic.conf. */
export const IRONIC_LIKE_SETTINGS = {
  hostname: CONDUCTOR_HOST,
  enabled_hardware_types: ['fake-hardware'],
  enabled_bios_interfaces: ['fake', 'no-bios'],
  enabled_boot_interfaces: ['fake'],
  enabled_console_interfaces: ['fake', 'no-console'],
  enabled_deploy_interfaces: ['fake'],
  enabled_inspect_interfaces: ['fake', 'no-inspect'],
  enabled_management_interfaces: ['fake'],
  enabled_network_interfaces: ['noop'],
  default_network_interface: 'noop',
  enabled_power_interfaces: ['fake'],
  enabled_raid_interfaces: ['fake', 'no-raid'],
  enabled_rescue_interfaces: ['fake', 'no-rescue'],
  default_rescue_interface: 'fake',
  enabled_storage_interfaces: ['noop'],
  enabled_vendor_interfaces: ['fake', 'no-vendor'],
  automated_clean: false,
};

export async function startAnvilPeer(): Promise<Peer> {
  const t = await testEngines()[0].open();
  const c = await startTestConductor(t.db, IRONIC_LIKE_SETTINGS as never);
  const registry = await createRegistry(c.settings, { warn: () => {} });
  // capped at Ironic 21.4's maximum (1.82): 'latest' means the same on both servers
  const api = await startApi({ settings: { ...c.settings, port: 0 }, db: t.db, registry, conductor: c.rpcapi, maxMinor: 82 });
  return {
    name: 'anvil',
    url: api.url,
    db: anvilBackdoor(t.db),
    async close() {
      await api.close();
      await c.stop();
      await t.cleanup();
    },
  };
}

/** A private real Ironic (about 10 s to start); fails naming the script when it cannot start. */
export async function startIronicPeer(): Promise<Peer> {
  const tmp = mkdtempSync(join(tmpdir(), 'anvil-differential-'));
  const script = join(root, 'scripts/services/real-ironic.sh');
  // a fixed hash seed: Ironic lists some things (unexpected query arguments) in its set order
  const env = { ...process.env, ANVIL_TMP: tmp, PYTHONHASHSEED: '0' };
  try {
    await run('bash', [script, 'start'], { env, timeout: 300_000 });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`scripts/services/real-ironic.sh start failed (Debian's python3-ironic is needed): ${(e as { stderr?: string }).stderr ?? e}`);
  }
  const dir = join(tmp, 'real-ironic');
  const url = `http://127.0.0.1:${readFileSync(join(dir, 'port'), 'utf8').trim()}`;
  const sql = knex({ client: 'better-sqlite3', connection: { filename: join(dir, 'ironic.sqlite') }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
  await sql.raw('PRAGMA busy_timeout = 5000');
  const nodeId = async (uuid: string): Promise<number> => {
    const row = await sql('nodes').where({ uuid }).first('id');
    if (!row) throw new Error(`real Ironic has no node ${uuid}`);
    return row.id;
  };
  const now = () => new Date().toISOString().replace('T', ' ').replace('Z', '');
  const db: Backdoor = {
    async setNode(uuid, values) {
      const row = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'boolean' ? Number(v) : v]));
      // as Ironic's node save would: updated_at, and provision_updated_at with a provision state
      const stamps = 'provision_state' in values ? { updated_at: now(), provision_updated_at: now() } : { updated_at: now() };
      await sql('nodes').where({ uuid }).update({ ...row, ...stamps });
    },
    async reserve(uuid, host) {
      await sql('nodes').where({ uuid }).update({ reservation: host });
    },
    async addHistory(uuid, event) {
      const u = randomUUID();
      const base = { created_at: now(), version: '1.0', uuid: u, conductor: null, event_type: 'provisioning', severity: 'INFO' };
      await sql('node_history').insert({ ...base, event, node_id: await nodeId(uuid) });
      return u;
    },
    async setInventory(uuid, inventory, pluginData) {
      const row = { created_at: now(), version: '1.0', inventory_data: JSON.stringify(inventory), plugin_data: JSON.stringify(pluginData) };
      await sql('node_inventory').insert({ ...row, node_id: await nodeId(uuid) });
    },
    async addBiosSetting(uuid, s) {
      const row = { created_at: now(), version: '1.1', name: s.name, value: s.value, attribute_type: s.attribute_type };
      await sql('bios_settings').insert({ ...row, allowable_values: JSON.stringify(s.allowable_values), node_id: await nodeId(uuid) });
    },
  };
  return {
    name: 'ironic',
    url,
    db,
    async close() {
      await sql.destroy();
      await run('bash', [script, 'stop'], { env }).catch(() => {});
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
