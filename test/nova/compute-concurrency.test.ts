/**
 * The compute service under concurrency (issue acceptance): 50 concurrent creates against 40 available nodes →
 * exactly 40 ACTIVE on 40 distinct nodes, 10 clean "No valid host" faults with a reason per node, and the store
 * (and Placement) holding exactly what the nodes say. Then the same with two `anvil compute` processes sharing
 * the nodes on MariaDB, one of them SIGKILLed half-way: the survivor adopts and finishes its builds.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '@anvil/db';
import { createMysqlDatabase } from '@anvil/db/testing';
import { freePort } from '../free-port.ts';
import { startAnvil } from './anvil-process.ts';
import { assertConsistent, compute, createServers, enrollFleet, flavorAndImage, waitSettled } from './compute-fleet.ts';
import { until } from '../wait.ts';

const root = new URL('../../', import.meta.url).pathname;
const mysqlUrl = process.env.ANVIL_TEST_MYSQL_URL;

test('50 concurrent creates, 40 nodes, one compute service: 40 ACTIVE on distinct nodes, 10 No valid host', { timeout: 300_000 }, async (t) => {
  const anvil = await startAnvil();
  try {
    const rc = `conc-${randomUUID().slice(0, 6)}`;
    const nodes = await enrollFleet(anvil.url, rc, 40, '0.2-1');
    const fi = await flavorAndImage(anvil.computeUrl, rc);
    const t0 = performance.now();
    const made = await createServers([anvil.computeUrl], 50, rc, fi);
    const { servers } = await waitSettled(anvil.computeUrl, made.map((m) => m.id), t0, 240_000);
    t.diagnostic(`50 creates settled in ${(performance.now() - t0).toFixed(0)} ms`);
    const db = await openDatabase({ data_dir: anvil.dataDir, database_url: null } as never, { migrate: false });
    try {
      await assertConsistent(anvil.url, servers, nodes, 40, await db.placement.allocationRows());
    } finally {
      await db.close();
    }
  } catch (err) {
    t.diagnostic(anvil.output().slice(-3000));
    throw err;
  } finally {
    await anvil.stop();
  }
});

function startCompute(host: string, port: number, ironic: string, dbUrl: string, log: string[]): ChildProcess {
  const child = spawn(
    process.execPath,
    [join(root, 'cli/bin/anvil.js'), 'compute', '--database-url', dbUrl, '--compute-port', String(port), '--compute-host', host, '--compute-ironic-url', ironic,
      '--set', 'compute_report_interval=0.5', '--set', 'compute_service_down_time=3'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (d) => log.push(`${host}: ${d}`));
  child.stderr!.on('data', (d) => log.push(`${host}: ${d}`));
  return child;
}

async function up(url: string): Promise<void> {
  let last = '';
  await until(
    `the compute API at ${url}`,
    () => compute(url, 'GET', '/v2.1/os-availability-zone').then(() => true, (err) => ((last = String(err)), false)),
    30_000,
    () => last,
    200,
  );
}

test('two compute services on MariaDB, one SIGKILLed half-way: still 40 ACTIVE, 10 No valid host, store = nodes', { timeout: 300_000 }, async (t) => {
  assert.ok(mysqlUrl, 'ANVIL_TEST_MYSQL_URL is not set: run scripts/services/mariadb.sh start');
  const anvil = await startAnvil(['--set', 'compute_enabled=false']);
  const mdb = await createMysqlDatabase(mysqlUrl!);
  const log: string[] = [];
  const [p1, p2] = [await freePort(), await freePort()];
  const c1 = startCompute('c1', p1, anvil.url, mdb.url, log);
  let c2: ChildProcess | null = null;
  try {
    await up(`http://127.0.0.1:${p1}`);
    c2 = startCompute('c2', p2, anvil.url, mdb.url, log);
    await up(`http://127.0.0.1:${p2}`);
    const [u1, u2] = [`http://127.0.0.1:${p1}`, `http://127.0.0.1:${p2}`];
    const rc = `duo-${randomUUID().slice(0, 6)}`;
    const nodes = await enrollFleet(anvil.url, rc, 40, '1-3');
    const fi = await flavorAndImage(u1, rc);
    const t0 = performance.now();
    const made = await createServers([u1, u2], 50, rc, fi);
    let killedWith = -1;
    const { servers } = await waitSettled(u1, made.map((m) => m.id), t0, 240_000, (now) => {
      const active = now.filter((s) => s.status === 'ACTIVE').length;
      if (c2 && killedWith < 0 && active >= 15) {
        killedWith = active;
        const onC2 = now.filter((s) => s['OS-EXT-SRV-ATTR:host'] === 'c2' && s.status === 'BUILD').length;
        t.diagnostic(`SIGKILL c2 with ${active} ACTIVE, ${onC2} of c2's builds still running`);
        assert.ok(onC2 > 0, 'c2 is killed mid-build');
        c2.kill('SIGKILL');
      }
    });
    assert.ok(killedWith >= 0, 'c2 was killed half-way');
    t.diagnostic(`settled in ${(performance.now() - t0).toFixed(0)} ms`);
    assert.ok(servers.every((s) => s['OS-EXT-SRV-ATTR:host'] === 'c1'), 'the survivor manages every instance');
    const db = await openDatabase({ data_dir: '', database_url: mdb.url } as never, { migrate: false });
    try {
      await assertConsistent(anvil.url, servers, nodes, 40, await db.placement.allocationRows());
    } finally {
      await db.close();
    }
  } catch (err) {
    t.diagnostic(log.join('').slice(-4000));
    throw err;
  } finally {
    c2?.kill('SIGKILL');
    c1.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    c1.kill('SIGKILL');
    await anvil.stop();
    await mdb.drop();
  }
});
