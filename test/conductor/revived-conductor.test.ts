/**
 * "Refused though done" in the long chaos run's database-cut phase (bench/README.md, Chaos): when every database
 * connection comes back, each conductor's first takeover pass reads the others' heartbeats as stale and declares
 * them dead — while they heartbeat again in between. Declared dead after its own heartbeat, a conductor kept
 * running the calls it took (its heartbeat was fresh, so it accepted them), while it read as offline: the API gave
 * up the calls waiting on it and sent them to another conductor, which answered 409 (the node locked by the first)
 * and then 400 "in state active"; the takeover also stole the locks of its running work.
 *
 * Here the interleaving is forced, with real parts: two conductors on the real MariaDB, B behind a TCP proxy cut
 * like the bench cuts it, long enough for its heartbeat to go stale; A's takeover reads it stale, and before A
 * writes anything B's connections come back and B heartbeats. B must not be declared dead: it stays online, keeps
 * its lock, and its deployment (running through the outage) ends `active`. Before the fix B was marked offline and
 * its node failed with "Conductor B went offline".
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConductorRecord } from '@anvil/sdk';
import { openDatabase, type Database } from '@anvil/db';
import { createMysqlDatabase } from '@anvil/db/testing';
import { startTestConductor, type TestConductor } from '@anvil/conductor/testing';
import { failWithout } from '../prereq.ts';
import { TcpProxy } from '../tcp-proxy.ts';
import { until } from '../wait.ts';

const MYSQL = process.env.ANVIL_TEST_MYSQL_URL;
const missing = MYSQL ? false : 'needs ANVIL_TEST_MYSQL_URL (scripts/services/mariadb.sh)';
failWithout(missing);

const TIMEOUT_S = 3;
const settings = { heartbeat_interval: 1, heartbeat_timeout: TIMEOUT_S };
let direct: Database;
let dbA: Database;
let dbB: Database;
let proxyB: TcpProxy;
let a: TestConductor | undefined;
let b: TestConductor | undefined;
let drop: () => Promise<void>;

before(async () => {
  const created = await createMysqlDatabase(MYSQL!);
  drop = created.drop;
  direct = await openDatabase({ data_dir: '/tmp', database_url: created.url });
  dbA = await openDatabase({ data_dir: '/tmp', database_url: created.url }, { migrate: false });
  const u = new URL(created.url);
  proxyB = new TcpProxy({ host: u.hostname, port: Number(u.port) });
  await proxyB.start();
  u.port = String(proxyB.port);
  dbB = await openDatabase({ data_dir: '/tmp', database_url: u.toString() }, { migrate: false });
});

after(async () => {
  proxyB?.restore();
  await b?.stop();
  await a?.stop();
  await Promise.all([dbA?.close(), dbB?.close()]);
  await proxyB?.close();
  await direct?.close();
  await drop?.();
});

const ageSec = (c: ConductorRecord) => (Date.now() - Date.parse(c.updated_at ?? c.created_at)) / 1000;
/** Stale as the takeover reads it: older than the timeout at the database's one-second precision. */
const stale = (c: ConductorRecord) => Date.parse(c.updated_at ?? c.created_at) < Math.floor((Date.now() - TIMEOUT_S * 1000) / 1000) * 1000;

test('a conductor that heartbeats again while another declares it dead after a database cut keeps its work', { timeout: 60_000 }, async () => {
  // A serves another conductor group, so B's own RPC facade routes B's node to B; every conductor takes over any
  let hostB = '';
  let sawStale = false;
  let cut = false;
  // A's takeover pass: once it has read B's heartbeat as stale, B's database comes back and B heartbeats before
  // A goes on (what happens by chance when every connection returns at once)
  const list = dbA.conductors.list.bind(dbA.conductors);
  dbA.conductors.list = async (opts) => {
    const rows = await list(opts);
    const silentB = rows.find((c: ConductorRecord) => c.hostname === hostB && c.online && ageSec(c) > TIMEOUT_S);
    if (silentB && cut && !sawStale && opts?.filters?.online) {
      sawStale = true;
      proxyB.restore();
      await until('B heartbeating again', async () => ageSec(await direct.conductors.get(hostB)) < 1, 10_000);
      await until('the read row stale at one-second precision too', async () => stale(silentB), 2_000, undefined, 50);
    }
    return rows;
  };
  a = await startTestConductor(dbA, { ...settings, conductor_group: 'other' });
  b = await startTestConductor(dbB, settings);
  hostB = b.settings.hostname as string;
  // B deploys a node whose deploy step (7 s) runs through the outage
  const node = await b.createNode({ provision_state: 'available', power_state: 'power off', driver_info: { fake_deploy_sleep: '7' } });
  await b.rpcapi.doProvisionAction({ uuid: node.uuid, driver: node.driver, conductor_group: node.conductor_group }, 'active');
  assert.equal((await direct.nodes.getByUuid(node.uuid)).reservation, hostB);

  cut = true;
  proxyB.cut(); // every connection of B dropped, new ones refused, as the chaos bench cuts MariaDB
  await until("A's takeover reading B as dead", async () => sawStale, 15_000);

  const done = await until(
    'the deployment to end',
    async () => {
      const n = await direct.nodes.getByUuid(node.uuid);
      return !n.reservation && (n.provision_state === 'active' || n.provision_state === 'deploy failed') && n;
    },
    25_000,
  );
  assert.equal(done.provision_state, 'active', `B's deployment was taken from it: ${done.last_error}`);
  assert.equal(done.last_error, null);
  const rowB = await direct.conductors.get(hostB);
  assert.equal(rowB.online, true, 'B, heartbeating, was marked offline');
  assert.ok((await direct.conductors.listAlive(TIMEOUT_S)).some((c: ConductorRecord) => c.hostname === hostB));
});
