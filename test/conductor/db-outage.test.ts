/**
 * "DB briefly unavailable: tasks fail cleanly, no node stuck with a reservation." A real conductor talks to the
 * real MariaDB through a TCP proxy this test cuts for a few seconds while deployments run. Afterwards every node
 * is unlocked and settled (active, or deploy failed with a last_error), and a retry brings all of them to active.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeRecord } from '@anvil/sdk';
import { openDatabase, type Database } from '@anvil/db';
import { createMysqlDatabase } from '@anvil/db/testing';
import { startTestConductor, type TestConductor } from '@anvil/conductor/testing';
import { failWithout } from '../prereq.ts';
import { TcpProxy } from '../tcp-proxy.ts';
import { sleep, until } from '../wait.ts';

const MYSQL = process.env.ANVIL_TEST_MYSQL_URL;
const missing = MYSQL ? false : 'needs ANVIL_TEST_MYSQL_URL (scripts/services/mariadb.sh)';
failWithout(missing);

let proxy: TcpProxy;
let direct: Database;
let viaProxy: Database;
let c: TestConductor;
let drop: () => Promise<void>;

before(async () => {
  if (missing) return;
  const created = await createMysqlDatabase(MYSQL!);
  drop = created.drop;
  direct = await openDatabase({ data_dir: '/tmp', database_url: created.url });
  const u = new URL(created.url);
  proxy = new TcpProxy({ host: u.hostname, port: Number(u.port) });
  await proxy.start();
  u.port = String(proxy.port);
  viaProxy = await openDatabase({ data_dir: '/tmp', database_url: u.toString() }, { migrate: false });
  c = await startTestConductor(viaProxy, { heartbeat_interval: 1, heartbeat_timeout: 30 });
});

after(async () => {
  proxy?.restore();
  await c?.stop();
  await viaProxy?.close();
  await proxy?.close();
  await direct?.close();
  await drop?.();
});

test('a database outage mid-deploy leaves no node locked or stuck; retries finish the job', { timeout: 120_000 }, async () => {
  const nodes: NodeRecord[] = [];
  for (let i = 0; i < 20; i++) {
    nodes.push(await c.createNode({ provision_state: 'available', driver_info: { fake_deploy_sleep: '0.3-1.5' } }));
  }
  const route = (n: NodeRecord) => ({ uuid: n.uuid, driver: n.driver, conductor_group: n.conductor_group });
  await Promise.all(nodes.map((n) => c.rpcapi.doProvisionAction(route(n), 'active')));
  await sleep(400); // the deploys are under way
  proxy.cut();
  await sleep(3000); // a 3 s outage
  proxy.restore();

  // settle: nothing reserved, nothing in a transient state (checked over the direct connection)
  let all: NodeRecord[] = [];
  await until(
    'every node unlocked and active or deploy failed',
    async () => {
      all = await direct.nodes.list({ filters: { uuid_in: nodes.map((n) => n.uuid) }, limit: 100 });
      return all.every((n) => n.reservation === null && ['active', 'deploy failed'].includes(n.provision_state));
    },
    60_000,
    () => all.map((n) => `${n.provision_state}/${n.reservation}`).join(', '),
    250,
  );
  const failed = all.filter((n) => n.provision_state === 'deploy failed');
  for (const n of failed) assert.ok(n.last_error, `failed node ${n.uuid} explains why`);
  console.log(`# ${failed.length} of ${all.length} deployments failed during the outage, all unlocked`);

  for (const n of failed) await c.rpcapi.doProvisionAction(route(n), 'active');
  await Promise.all(nodes.map((n) => c.waitFor(n.uuid, (x) => x.provision_state === 'active' && x.reservation === null, 30_000)));
});
