/**
 * Issue #19 fault: a conductor started before its database and its broker are up (a cold start, a fresh broker that
 * answers "This server does not host this topic-partition" for a while after it said ready) waits and retries with
 * backoff instead of exiting. A real `anvil conductor` process is started against a database behind a cut TCP proxy
 * and a private Kafka broker that is down; both come up later; the conductor must then serve RPC (`ping` over
 * Kafka) and register in the database.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { DEFAULT_SETTINGS, topicForHost } from '@anvil/sdk';
import { openDatabase, type Database } from '@anvil/db';
import { createMysqlDatabase } from '@anvil/db/testing';
import { createTransport } from '@anvil/conductor';
import { failWithout } from '../prereq.ts';
import { TcpProxy } from '../tcp-proxy.ts';
import { sleep, until } from '../wait.ts';
import { type AnvilProc, launch } from './cluster.ts';

const MYSQL = process.env.ANVIL_TEST_MYSQL_URL;
const KAFKA = process.env.ANVIL_TEST_KAFKA_BROKERS;
failWithout(!MYSQL || !KAFKA ? 'needs ANVIL_TEST_MYSQL_URL and ANVIL_TEST_KAFKA_BROKERS (scripts/services/{mariadb,kafka}.sh)' : false);

const script = new URL('../../scripts/services/kafka.sh', import.meta.url).pathname;
const instance = `cold-start-${process.pid}`;
const broker = async (cmd: 'start' | 'down' | 'stop' | 'env') =>
  (
    await promisify(execFile)('bash', [script, cmd], {
      env: { ...process.env, ANVIL_KAFKA_INSTANCE: instance, ANVIL_KAFKA_OWNER_PID: String(process.pid) },
      timeout: 90_000,
    })
  ).stdout;

let proxy: TcpProxy;
let db: Database;
let drop: () => Promise<void>;
let dbUrl: URL;
let proc: AnvilProc | null = null;

before(async () => {
  const created = await createMysqlDatabase(MYSQL!);
  drop = created.drop;
  db = await openDatabase({ data_dir: '/tmp', database_url: created.url });
  dbUrl = new URL(created.url);
  proxy = new TcpProxy({ host: dbUrl.hostname, port: Number(dbUrl.port) });
  await proxy.start();
  dbUrl.port = String(proxy.port); // the conductor reaches the database through the proxy
});

after(async () => {
  if (proc && proc.child.exitCode === null) {
    proc.child.kill('SIGTERM');
    const t = setTimeout(() => proc?.child.kill('SIGKILL'), 10_000);
    await proc.exited;
    clearTimeout(t);
  }
  await broker('stop').catch(() => undefined);
  await proxy?.close();
  await db?.close();
  await drop?.();
});

test('a conductor started before MariaDB and Kafka waits for them instead of exiting', { timeout: 150_000 }, async () => {
  // a broker that existed once (its port is known) and is down now
  await broker('start');
  const brokers = (await broker('env')).trim().split('=')[1];
  await broker('down');
  proxy.cut();
  const host = `cold-${randomBytes(4).toString('hex')}`;
  const args = ['conductor', '--database-url', dbUrl.toString(), '--rpc-transport', 'kafka', '--kafka-brokers', brokers, '--hostname', host];
  args.push('--conductor-group', host, '--set', 'enabled_hardware_types=fake-hardware');
  const output: string[] = [];
  const started = launch(host, args, /anvil conductor: /, { ...process.env, ANVIL_LOG_LEVEL: 'warn' }, 120_000, output);
  let exited: string | null = null;
  started.catch((err: Error) => {
    exited = err.message;
  });
  const saw = (what: string, re: RegExp) => until(what, async () => exited !== null || re.test(output.join('')), 60_000);
  // the database is refused: the process must retry, not exit
  await saw('a failed database attempt', /opening the database failed/);
  await sleep(1_000);
  assert.equal(exited, null, `the conductor exited while the database was down: ${exited}`);
  proxy.restore();
  // now the broker is refused
  await saw('a failed broker attempt', /serving anvil\.conductor\.[^ ]+ failed/);
  await sleep(1_000);
  assert.equal(exited, null, `the conductor exited while the broker was down: ${exited}`);
  await broker('start'); // a fresh broker: topic-partition errors for a while after "ready"
  proc = await started;
  const out = proc.output.join('');
  assert.match(out, /opening the database failed .*retrying with backoff/);
  assert.match(out, /serving anvil\.conductor\.[^ ]+ failed .*retrying with backoff/);

  const transport = await createTransport({ ...DEFAULT_SETTINGS, rpc_transport: 'kafka', kafka_brokers: [brokers], hostname: `cold-cli-${process.pid}` });
  try {
    const pong = await transport.call(topicForHost(host), 'ping', {}, 20_000);
    assert.ok(pong, 'the conductor answered ping over Kafka');
  } finally {
    await transport.close();
  }
  const alive = await until('the conductor registered', async () => (await db.conductors.listAlive(6)).find((c) => c.hostname === host), 15_000);
  assert.equal(alive.conductor_group, host);
});
