/**
 * The conductor's "done when": real MariaDB + real Kafka, 1 `anvil api` + 3 `anvil conductor` processes.
 * 100 fake nodes spread over the three by the hash ring are deployed and undeployed through the HTTP API; one
 * conductor is SIGKILLed mid-deploy. Asserts: its locks are released and its nodes re-owned within 10 s, every
 * node reaches its target (a client re-issues deploys the kill failed, as Nova would), none stays locked or in a
 * transient state, and every request the API accepted took effect.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeRecord } from '@anvil/sdk';
import { openDatabase, type Database } from '@anvil/db';
import { createMysqlDatabase } from '@anvil/db/testing';
import { HashRings } from '@anvil/conductor';
import { type Cluster, ironicClient, pool, startCluster } from './cluster.ts';
import { failWithout } from '../prereq.ts';
import { sleep, until } from '../wait.ts';

const MYSQL = process.env.ANVIL_TEST_MYSQL_URL;
const KAFKA = process.env.ANVIL_TEST_KAFKA_BROKERS;
const missing = !MYSQL || !KAFKA ? 'needs ANVIL_TEST_MYSQL_URL and ANVIL_TEST_KAFKA_BROKERS (scripts/services/{mariadb,kafka}.sh)' : false;
failWithout(missing);
const N = 100;

let cluster: Cluster;
let db: Database;
let dropDb: () => Promise<void>;

const TRANSIENT = ['deploying', 'wait call-back', 'cleaning', 'clean wait', 'deleting', 'verifying', 'inspecting', 'rescuing', 'unrescuing', 'adopting'];

before(async () => {
  if (missing) return;
  const created = await createMysqlDatabase(MYSQL!);
  dropDb = created.drop;
  db = await openDatabase({ data_dir: '/tmp', database_url: created.url });
  cluster = await startCluster({ databaseUrl: created.url, brokers: KAFKA!, conductors: 3 });
});

after(async () => {
  if (process.env.ANVIL_TEST_DEBUG && cluster) {
    for (const p of cluster.procs.values()) console.log(`--- ${p.name}\n${p.output.join('').split('\n').filter((l) => /warn|error/i.test(l)).slice(-40).join('\n')}`);
  }
  await cluster?.stop();
  await db?.close();
  await dropDb?.();
});

/** Send a provision verb, retrying what a client retries (409 locked, 503 no conductor / RPC timeout). */
async function verb(call: ReturnType<typeof ironicClient>, uuid: string, target: string, accepted: Map<string, number>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const r = await call('PUT', `/v1/nodes/${uuid}/states/provision`, { target });
    if (r.status === 202) {
      accepted.set(`${uuid}|${target}`, (accepted.get(`${uuid}|${target}`) ?? 0) + 1);
      return;
    }
    if ((r.status === 409 || r.status === 503) && attempt < 40) {
      await sleep(250);
      continue;
    }
    throw new Error(`${target} on ${uuid}: HTTP ${r.status} ${r.error}`);
  }
}

async function waitAll(uuids: string[], pred: (n: NodeRecord) => boolean, timeoutMs: number, what: string): Promise<NodeRecord[]> {
  let bad: NodeRecord[] = [];
  return until(
    `${uuids.length} nodes ${what}`,
    async () => {
      const nodes: NodeRecord[] = await db.nodes.list({ filters: { uuid_in: uuids }, limit: 1000 });
      bad = nodes.filter((n) => !pred(n));
      return bad.length === 0 && nodes;
    },
    timeoutMs,
    () => `${bad.length} not yet:\n${bad.slice(0, 5).map((n) => `${n.uuid}: ${n.provision_state}/${n.target_provision_state} res=${n.reservation} err=${n.last_error}`).join('\n')}`,
    200,
  );
}

test('every verb through the HTTP API of the multi-process cluster (Kafka RPC)', { timeout: 120_000 }, async () => {
  const call = ironicClient(cluster.apiUrl, '1.46');
  const r = await call('POST', '/v1/nodes', { driver: 'fake-hardware', name: `verbs-${cluster.group}`, conductor_group: cluster.group });
  assert.equal(r.status, 201, r.error ?? '');
  const uuid: string = r.body.uuid;
  const step = async (target: string, state: string, extra: Record<string, unknown> = {}) => {
    const res = await call('PUT', `/v1/nodes/${uuid}/states/provision`, { target, ...extra });
    assert.equal(res.status, 202, `${target}: ${res.error}`);
    await waitAll([uuid], (n) => n.provision_state === state && n.target_provision_state === null && n.reservation === null, 30_000, state);
  };
  await step('manage', 'manageable');
  await step('inspect', 'manageable');
  await step('provide', 'available');
  await step('active', 'active', { configdrive: 'H4sICDw6ZmcAA2NvbmZpZy1kcml2ZQA=' });
  await step('rebuild', 'active');
  await step('rescue', 'rescue', { rescue_password: 'pw' });
  await step('unrescue', 'active');
  await step('deleted', 'available');
  await step('manage', 'manageable');
  await step('adopt', 'active');
  await step('deleted', 'available');
  // refusals cross the bus with Ironic's codes
  let res = await call('PUT', `/v1/nodes/${uuid}/states/provision`, { target: 'adopt' });
  assert.equal(res.status, 400);
  assert.match(res.error ?? '', /can not be performed on node/);
  res = await call('PUT', `/v1/nodes/${uuid}/states/power`, { target: 'power on' });
  assert.equal(res.status, 202);
  await waitAll([uuid], (n) => n.power_state === 'power on' && n.target_power_state === null && n.reservation === null, 30_000, 'powered on');
  res = await call('PUT', `/v1/nodes/${uuid}/maintenance`, { reason: 'over kafka' });
  assert.equal(res.status, 202);
  res = await call('GET', `/v1/nodes/${uuid}/validate`);
  assert.equal(res.status, 200);
  assert.equal(res.body.power.result, true);
  res = await call('DELETE', `/v1/nodes/${uuid}/maintenance`);
  assert.equal(res.status, 202);
  assert.equal((await call('DELETE', `/v1/nodes/${uuid}`)).status, 204);
});

test('100 nodes over 3 conductors on Kafka + MariaDB, one SIGKILLed mid-deploy, all reach their target', { timeout: 240_000 }, async () => {
  const call = ironicClient(cluster.apiUrl, '1.46');
  const accepted = new Map<string, number>();
  const created = await pool([...Array(N).keys()], 16, async (i) => {
    const r = await call('POST', '/v1/nodes', {
      driver: 'fake-hardware',
      name: `tk-${cluster.group}-${i}`,
      conductor_group: cluster.group,
      // slow deploys so the kill lands while many are in flight
      driver_info: { fake_deploy_sleep: '0.4-1.2' },
    });
    assert.equal(r.status, 201, r.error ?? '');
    return r.body.uuid as string;
  });
  const settled = (state: string) => (n: NodeRecord) => n.provision_state === state && n.target_provision_state === null && n.reservation === null;

  await pool(created, 20, (u) => verb(call, u, 'manage', accepted));
  await waitAll(created, settled('manageable'), 60_000, 'manageable');
  await pool(created, 20, (u) => verb(call, u, 'provide', accepted));
  await waitAll(created, settled('available'), 60_000, 'available');

  // ownership by the ring of the three live conductors
  const alive = await db.conductors.listAlive(6);
  const rings = new HashRings(alive.filter((c: { conductor_group: string }) => c.conductor_group === cluster.group));
  const owners = new Map<string, string[]>();
  for (const u of created) {
    const h = rings.ownerOf({ uuid: u, driver: 'fake-hardware', conductor_group: cluster.group })!;
    owners.set(h, [...(owners.get(h) ?? []), u]);
  }
  assert.equal(owners.size, 3, 'nodes spread over all three conductors');
  for (const [h, list] of owners) assert.ok(list.length >= 10, `${h} owns ${list.length} nodes`);

  // deploy everything; kill the busiest conductor while its deploys run
  const victim = [...owners.entries()].sort((a, b) => b[1].length - a[1].length)[0][0];
  const deploys = pool(created, 25, (u) => verb(call, u, 'active', accepted));
  await waitAll(owners.get(victim)!, (n) => n.provision_state !== 'available', 60_000, 'deploying on the victim');
  const inFlight: NodeRecord[] = await db.nodes.list({ filters: { reserved_by: victim }, limit: 1000 });
  await cluster.kill(victim, 'SIGKILL');
  const killedAt = Date.now();

  // re-owned within 10 s: the victim is out of the ring, its locks released, its transient nodes failed
  const victimNodes = owners.get(victim)!;
  await waitAll(victimNodes, (n) => n.reservation !== victim && !TRANSIENT.includes(n.provision_state) || (n.reservation !== null && n.reservation !== victim), 10_000, 'released by the dead conductor');
  const reownedMs = Date.now() - killedAt;
  const aliveAfter = await db.conductors.listAlive(6);
  assert.ok(!aliveAfter.some((c: { hostname: string }) => c.hostname === victim), 'victim no longer alive');
  const rings2 = new HashRings(aliveAfter.filter((c: { conductor_group: string }) => c.conductor_group === cluster.group));
  for (const u of victimNodes) {
    const o = rings2.ownerOf({ uuid: u, driver: 'fake-hardware', conductor_group: cluster.group });
    assert.ok(o && o !== victim, `node ${u} re-owned (${o})`);
  }
  assert.ok(reownedMs < 10_000, `re-owned in ${reownedMs} ms`);
  console.log(`# victim ${victim}: ${inFlight.length} nodes locked at kill, released and re-owned in ${reownedMs} ms`);
  await deploys;

  // a client (like Nova) re-issues deploys that the kill failed
  const afterKill = await waitAll(created, (n) => n.reservation === null && !TRANSIENT.includes(n.provision_state), 60_000, 'settled after the kill');
  const failed = afterKill.filter((n) => n.provision_state === 'deploy failed');
  for (const n of failed) assert.match(n.last_error ?? '', /went offline/);
  // each such failure carries its diagnosis (beside last_error) and `why` shows it: conductor.lost naming the victim
  for (const n of failed.slice(0, 5)) {
    const why = await call('GET', `/v1/anvil/nodes/${n.uuid}/why`);
    assert.equal(why.body?.last_failure?.diagnosis?.code, 'conductor.lost', JSON.stringify(why.body));
    assert.match(why.body.last_failure.diagnosis.cause, new RegExp(`Conductor ${victim} stopped heartbeating`));
    assert.equal((await db.diagnoses.latest(n.uuid))?.code, 'conductor.lost');
  }
  await pool(failed.map((n) => n.uuid), 20, (u) => verb(call, u, 'active', accepted));
  await waitAll(created, settled('active'), 90_000, 'active');

  await pool(created, 25, (u) => verb(call, u, 'deleted', accepted));
  const final = await waitAll(created, settled('available'), 90_000, 'available');
  for (const n of final) {
    assert.equal(n.reservation, null);
    assert.deepEqual(n.instance_info, {});
  }
  // every accepted request took effect: each node saw manage, provide, ≥1 active and one deleted
  for (const u of created) {
    assert.equal(accepted.get(`${u}|manage`), 1);
    assert.equal(accepted.get(`${u}|provide`), 1);
    assert.ok((accepted.get(`${u}|active`) ?? 0) >= 1);
    assert.equal(accepted.get(`${u}|deleted`), 1);
  }
  const left = await db.nodes.list({ filters: { reserved: true, uuid_in: created }, limit: 1000 });
  assert.equal(left.length, 0);
});
