/**
 * One request followed end to end in a split deployment: `anvil api` + 2 `anvil conductor` processes over Kafka
 * and MariaDB. A provision action's X-OpenStack-Request-Id appears in the API's access-log line and, carried in the
 * Kafka record headers, in the owning conductor's task log lines (with the node uuid) — all pino JSON lines.
 * The same cluster's /metrics: the conductors' own endpoint (metrics_port) shows tasks and Kafka consumer lag;
 * the API's shows RPC latency over Kafka; /readyz checks the database, live conductors and an RPC ping.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createMysqlDatabase } from '@anvil/db/testing';
import { type Cluster, ironicClient, startCluster } from '../conductor/cluster.ts';
import { failWithout } from '../prereq.ts';
import { until } from '../wait.ts';
import { parsePrometheus, sum } from './prom-text.ts';

const MYSQL = process.env.ANVIL_TEST_MYSQL_URL;
const KAFKA = process.env.ANVIL_TEST_KAFKA_BROKERS;
failWithout(!MYSQL || !KAFKA ? 'needs ANVIL_TEST_MYSQL_URL and ANVIL_TEST_KAFKA_BROKERS (scripts/services/{mariadb,kafka}.sh)' : false);

let cluster: Cluster;
let dropDb: () => Promise<void>;

before(async () => {
  const created = await createMysqlDatabase(MYSQL!);
  dropDb = created.drop;
  cluster = await startCluster({ databaseUrl: created.url, brokers: KAFKA!, conductors: 2, logLevel: 'info', settings: { metrics_port: 0 } });
});

after(async () => {
  await cluster?.stop();
  await dropDb?.();
});

/** The JSON log lines a process wrote (other lines, e.g. the CLI's own messages, are skipped). */
function jsonLines(name: string): Record<string, unknown>[] {
  const text = cluster.procs.get(name)?.output.join('') ?? '';
  return text
    .slice(0, text.lastIndexOf('\n') + 1) // complete lines only: the pipe may have delivered half of the last one
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

test('a request id from the API access log through Kafka to the conductor task log', { timeout: 180_000 }, async () => {
  const call = ironicClient(cluster.apiUrl, '1.46');
  const created = await call('POST', '/v1/nodes', { driver: 'fake-hardware', conductor_group: cluster.group });
  assert.equal(created.status, 201, created.error ?? '');
  const uuid = created.body.uuid as string;
  const r = await fetch(`${cluster.apiUrl}/v1/nodes/${uuid}/states/provision`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', 'X-OpenStack-Ironic-API-Version': '1.46' },
    body: JSON.stringify({ target: 'manage' }),
  });
  assert.equal(r.status, 202);
  const id = r.headers.get('x-openstack-request-id');
  assert.match(id ?? '', /^req-[0-9a-f-]{36}$/);
  await until('manageable', async () => ((await call('GET', `/v1/nodes/${uuid}`)).body.provision_state === 'manageable' ? true : undefined), 90_000);

  const access = await until('the access-log line', async () => jsonLines('api').find((l) => l.request_id === id && l.msg === 'request'), 10_000);
  assert.deepEqual([access.method, access.path, access.status, access.level], ['PUT', `/v1/nodes/${uuid}/states/provision`, 202, 'info']);
  assert.equal(typeof access.duration_ms, 'number');
  assert.ok('project' in access);

  // like every log line of a child, the owner's may reach our pipe after the API answered
  const owner = await until(`a conductor's log line with ${id}`, async () => cluster.hostnames.find((h) => jsonLines(h).some((l) => l.request_id === id)), 10_000);
  // the node row can read "manageable" a moment before the conductor's log line reaches the pipe we read
  const movedTo = (lines: Record<string, unknown>[]) => lines.filter((l) => String(l.msg).includes('moved to provision state'));
  await until('the conductor logged the move to manageable', async () => (movedTo(jsonLines(owner).filter((l) => l.request_id === id)).some((l) => String(l.msg).includes('"manageable"')) ? true : undefined), 10_000);
  const lines = jsonLines(owner).filter((l) => l.request_id === id);
  const moves = movedTo(lines);
  assert.ok(moves.length >= 2, JSON.stringify(lines));
  for (const l of moves) assert.deepEqual([l.node_uuid, l.conductor, l.level], [uuid, owner, 'info']);
  assert.ok(moves.some((l) => String(l.msg).includes('"manageable"')));
  // the other conductor never saw it
  assert.equal(jsonLines(cluster.hostnames.find((h) => h !== owner)!).some((l) => l.request_id === id), false);

  // metrics: the owning conductor's own endpoint, the API's; readiness over Kafka
  const out = cluster.procs.get(owner)!.output.join('');
  const url = /metrics on (http:\/\/\S+)\/metrics/.exec(out)?.[1];
  assert.ok(url, 'the conductor printed its metrics URL');
  // the task is counted when its worker releases the lock, a moment after the move was logged
  const cm = await until('the finished task in the conductor\'s metrics', async () => {
    const m = parsePrometheus(await (await fetch(`${url}/metrics`)).text());
    return sum(m, 'anvil_task_duration_seconds_count', { flow: 'provision action', outcome: 'ok' }) >= 1 ? m : undefined;
  }, 10_000);
  assert.ok(sum(cm, 'anvil_bmc_call_duration_seconds_count', { driver: 'fake-hardware', interface: 'power' }) >= 1);
  const lag = cm.filter((s) => s.name === 'anvil_kafka_consumer_lag');
  assert.ok(lag.length >= 1 && lag.every((s) => s.value >= 0 && s.value < 1000), JSON.stringify(lag));
  assert.equal((await fetch(`${url}/readyz`)).status, 200);
  const am = parsePrometheus(await (await fetch(`${cluster.apiUrl}/metrics`)).text());
  assert.ok(sum(am, 'anvil_rpc_call_duration_seconds_count', { method: 'do_provision_action', outcome: 'ok' }) >= 1);
  assert.ok(sum(am, 'anvil_conductors_alive') >= 2);
  const ready = await fetch(`${cluster.apiUrl}/readyz`);
  const body = (await ready.json()) as { checks: Record<string, string> };
  assert.equal(ready.status, 200, JSON.stringify(body));
  assert.equal(body.checks.rpc, 'ok (kafka)');
});
