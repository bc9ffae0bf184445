/**
 * Issue #19 defect: the API must not send elsewhere a call its conductor had already taken. 1 `anvil api` + 2
 * `anvil conductor` processes over Kafka and MariaDB; the victim conductor reaches MariaDB through a proxy that
 * holds every answer back 1 s, so a deploy it took is caught between its first state change ("deploying") and its
 * reply, and the victim is SIGKILLed there. The API saw the conductor's `taken` acknowledgement: it answers 503
 * (Ironic's error format, retryable) instead of re-routing the deploy to the other conductor (which answered 409 or
 * ran the deploy a second time, or 400 "in state active" when the first run had finished); the takeover fails the
 * half-done deploy with a reason, and the client's retry deploys the node.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeRecord } from '@anvil/sdk';
import { openDatabase, type Database } from '@anvil/db';
import { createMysqlDatabase } from '@anvil/db/testing';
import { type Cluster, ironicClient, startCluster } from './cluster.ts';
import { TcpProxy } from '../tcp-proxy.ts';
import { failWithout } from '../prereq.ts';
import { until } from '../wait.ts';

const MYSQL = process.env.ANVIL_TEST_MYSQL_URL;
const KAFKA = process.env.ANVIL_TEST_KAFKA_BROKERS;
failWithout(!MYSQL || !KAFKA ? 'needs ANVIL_TEST_MYSQL_URL and ANVIL_TEST_KAFKA_BROKERS (scripts/services/{mariadb,kafka}.sh)' : false);

let cluster: Cluster;
let db: Database;
let proxy: TcpProxy;
let dropDb: () => Promise<void>;

before(async () => {
  const created = await createMysqlDatabase(MYSQL!);
  dropDb = created.drop;
  db = await openDatabase({ data_dir: '/tmp', database_url: created.url });
  const url = new URL(created.url);
  proxy = new TcpProxy({ host: url.hostname, port: Number(url.port) });
  await proxy.start();
  url.port = String(proxy.port);
  cluster = await startCluster({
    databaseUrl: created.url,
    conductorDatabaseUrl: (i) => (i === 0 ? url.toString() : undefined),
    brokers: KAFKA!,
    conductors: 2,
    settings: { rpc_response_timeout: 60 },
  });
});

after(async () => {
  await cluster?.stop();
  await proxy?.close();
  await db?.close();
  await dropDb?.();
});

const node = async (uuid: string): Promise<NodeRecord> => (await db.nodes.list({ filters: { uuid_in: [uuid] }, limit: 1 }))[0];

test('a deploy its conductor took and then died under: 503, not re-routed; the takeover fails it; a retry deploys', { timeout: 120_000 }, async () => {
  const call = ironicClient(cluster.apiUrl, '1.60');
  const [victim, survivor] = cluster.hostnames;
  let uuid = '';
  for (let i = 0; !uuid && i < 60; i++) {
    const r = await call('POST', '/v1/nodes', { driver: 'fake-hardware', conductor_group: cluster.group });
    assert.equal(r.status, 201, r.error ?? '');
    if (r.body.conductor === victim) uuid = r.body.uuid;
  }
  assert.ok(uuid, `no node hashed to ${victim}`);
  await db.nodes.update(uuid, { provision_state: 'available', power_state: 'power off' });

  proxy.delayMs = 1_000; // the victim's every query now takes ≥ 1 s
  const t0 = Date.now();
  const answer = call('PUT', `/v1/nodes/${uuid}/states/provision`, { target: 'active' });
  // the victim took the call and changed the node; its reply is at least one slow query away
  await until('the victim moved the node to deploying', async () => {
    const n = await node(uuid);
    return n.provision_state === 'deploying' && n.reservation === victim;
  }, 30_000, async () => JSON.stringify(await node(uuid)), 20);
  await cluster.kill(victim, 'SIGKILL');
  const r = await answer;
  const ms = Date.now() - t0;
  console.log(`deploy answered HTTP ${r.status} after ${ms} ms: ${r.error}`);
  assert.equal(r.status, 503, `HTTP ${r.status} ${r.error}`);
  assert.match(r.error ?? '', new RegExp(`Conductor ${victim} took the request .*not sent to another conductor`));
  const inner = JSON.parse(r.body.error_message);
  assert.deepEqual(Object.keys(inner).sort(), ['debuginfo', 'faultcode', 'faultstring']);
  assert.ok(ms < 40_000, `answered after ${ms} ms (RPC timeout 60 s)`);

  // the takeover resolves the half-done deploy: failed with a reason, unlocked; nobody ran it a second time
  const failed = await until('the takeover failed the deploy', async () => {
    const n = await node(uuid);
    return n.reservation === null && n.provision_state !== 'deploying' ? n : false;
  }, 30_000, async () => JSON.stringify(await node(uuid)));
  assert.equal(failed.provision_state, 'deploy failed', JSON.stringify(failed));
  assert.match(failed.last_error ?? '', new RegExp(victim));

  // the client retries: the deploy runs on the survivor
  const again = await call('PUT', `/v1/nodes/${uuid}/states/provision`, { target: 'active' });
  assert.equal(again.status, 202, again.error ?? '');
  await until('the retried deploy finished', async () => (await node(uuid)).provision_state === 'active', 30_000, async () => JSON.stringify(await node(uuid)));
  assert.equal((await call('GET', `/v1/nodes/${uuid}`)).body.conductor, survivor);
});
