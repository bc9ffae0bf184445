/**
 * Issue #19 fault: calls to a conductor whose heartbeat stopped must not wait out the 60 s RPC timeout. 1 `anvil
 * api` + 2 `anvil conductor` processes over Kafka and MariaDB with rpc_response_timeout=60; one conductor is frozen
 * (SIGSTOP: no heartbeat, no RPC, its lock rows stay); requests for its nodes are re-routed to the live conductor
 * (or refused with 503) within a few heartbeat timeouts, and every accepted request takes effect. When the frozen
 * conductor resumes, it refuses (never runs) the calls sent to it while it stood still: they went elsewhere.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeRecord } from '@anvil/sdk';
import { openDatabase, type Database } from '@anvil/db';
import { createMysqlDatabase } from '@anvil/db/testing';
import { type Cluster, ironicClient, startCluster } from './cluster.ts';
import { failWithout } from '../prereq.ts';
import { until } from '../wait.ts';

const MYSQL = process.env.ANVIL_TEST_MYSQL_URL;
const KAFKA = process.env.ANVIL_TEST_KAFKA_BROKERS;
failWithout(!MYSQL || !KAFKA ? 'needs ANVIL_TEST_MYSQL_URL and ANVIL_TEST_KAFKA_BROKERS (scripts/services/{mariadb,kafka}.sh)' : false);

let cluster: Cluster;
let db: Database;
let dropDb: () => Promise<void>;
let frozen: string | null = null;

before(async () => {
  const created = await createMysqlDatabase(MYSQL!);
  dropDb = created.drop;
  db = await openDatabase({ data_dir: '/tmp', database_url: created.url });
  cluster = await startCluster({ databaseUrl: created.url, brokers: KAFKA!, conductors: 2, settings: { rpc_response_timeout: 60 } });
});

after(async () => {
  if (frozen) cluster?.procs.get(frozen)?.child.kill('SIGCONT');
  await cluster?.stop();
  await db?.close();
  await dropDb?.();
});

test('a frozen conductor: its nodes are re-routed or refused fast, not after the 60 s RPC timeout', { timeout: 120_000 }, async () => {
  const call = ironicClient(cluster.apiUrl, '1.49');
  const [victim, survivor] = cluster.hostnames;
  // nodes of the victim (by the API's own `conductor` field, i.e. its hash ring)
  const mine: string[] = [];
  for (let i = 0; mine.length < 4 && i < 60; i++) {
    const r = await call('POST', '/v1/nodes', { driver: 'fake-hardware', conductor_group: cluster.group });
    assert.equal(r.status, 201, r.error ?? '');
    if (r.body.conductor === victim) mine.push(r.body.uuid);
  }
  assert.equal(mine.length, 4, `no nodes hashed to ${victim}`);

  frozen = victim;
  cluster.procs.get(victim)!.child.kill('SIGSTOP');
  const started = Date.now();
  const answers = await Promise.all(
    mine.map(async (uuid) => {
      const t0 = Date.now();
      const r = await call('PUT', `/v1/nodes/${uuid}/states/provision`, { target: 'manage' });
      return { uuid, status: r.status, error: r.error, ms: Date.now() - t0 };
    }),
  );
  const slowest = Math.max(...answers.map((a) => a.ms));
  console.log(`frozen conductor: ${answers.map((a) => `${a.status} in ${a.ms} ms`).join(', ')}`);
  for (const a of answers) assert.ok(a.status === 202 || a.status === 503, `${a.uuid}: HTTP ${a.status} ${a.error}`);
  // heartbeat_timeout is 6 s and the API looks every second: far below the 60 s RPC timeout
  assert.ok(slowest < 25_000, `a call to the frozen conductor waited ${slowest} ms (RPC timeout 60 s)`);
  assert.ok(Date.now() - started < 30_000);

  // a client retries what was refused; every node ends manageable, owned by the survivor
  for (const a of answers.filter((x) => x.status !== 202)) {
    const r = await until(`manage of ${a.uuid} accepted`, async () => {
      const x = await call('PUT', `/v1/nodes/${a.uuid}/states/provision`, { target: 'manage' });
      return x.status === 202 ? x : x.status === 503 || x.status === 409 ? false : Promise.reject(new Error(`HTTP ${x.status} ${x.error}`));
    }, 30_000, undefined, 500);
    assert.equal(r.status, 202);
  }
  await until('every node manageable and unlocked', async () => {
    const nodes: NodeRecord[] = await db.nodes.list({ filters: { uuid_in: mine }, limit: 100 });
    return nodes.every((n) => n.provision_state === 'manageable' && n.reservation === null);
  }, 30_000, async () => JSON.stringify((await db.nodes.list({ filters: { uuid_in: mine }, limit: 100 })).map((n: NodeRecord) => [n.provision_state, n.reservation, n.last_error])));
  const r = await call('GET', `/v1/nodes/${mine[0]}`);
  assert.equal(r.body.conductor, survivor);

  // resumed, the victim reads the calls sent while it stood still and refuses them unrun (rpc/pause-detector.ts)
  const proc = cluster.procs.get(victim)!;
  proc.child.kill('SIGCONT');
  frozen = null;
  const refusals = () => proc.output.join('').match(/refusing do_provision_action \([^)]+\) on \S+: sent (\d+ ms before this server started or resumed|while this server's heartbeat is stale)/g) ?? [];
  await until('the resumed conductor refused the stale calls', async () => refusals().length >= answers.length, 30_000, () => proc.output.join('').slice(-3000));
  assert.equal(refusals().length, answers.length);
});
