/**
 * Split deployment (`anvil api` + `anvil conductor` processes, MariaDB, Kafka): the conductor's node events
 * reach the API process over Kafka and its GET /v1/anvil/events, so the bridge's spawn returns on the event —
 * its fallback re-read is pushed to 60 s, far beyond the test's patience.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createMysqlDatabase } from '@anvil/db/testing';
import { ComputeManager, ComputeStore, IronicDriver, type SseWaiter, customResourceClass } from '@anvil/nova-bridge';
import { startCluster } from '../conductor/cluster.ts';
import { api, enrollFakeNode } from './fake-nodes.ts';
import { failWithout } from '../prereq.ts';

const MYSQL = process.env.ANVIL_TEST_MYSQL_URL;
const KAFKA = process.env.ANVIL_TEST_KAFKA_BROKERS;
const missing = !MYSQL || !KAFKA ? 'needs ANVIL_TEST_MYSQL_URL and ANVIL_TEST_KAFKA_BROKERS (scripts/services/{mariadb,kafka}.sh)' : false;
failWithout(missing);

test('split API/conductor over Kafka: spawn is woken by relayed node events', { timeout: 150_000 }, async (t) => {
  const db = await createMysqlDatabase(MYSQL!);
  const cluster = await startCluster({ databaseUrl: db.url, brokers: KAFKA!, conductors: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'nova-split-'));
  let driver: IronicDriver | null = null;
  try {
    const url = cluster.apiUrl;
    const rc = `split-${randomUUID().slice(0, 6)}`;
    const node = await enrollFakeNode(url, { name: rc, resourceClass: rc, conductorGroup: cluster.group, driverInfo: { fake_deploy_sleep: '1' } });
    driver = await IronicDriver.create({ endpoint: url, waitMode: 'sse', apiRetryIntervalMs: 60_000 });
    const store = await ComputeStore.open({ data_dir: dir });
    t.after(() => store.close());
    await store.putFlavor({ id: randomUUID(), name: 'bm', vcpus: 1, ram: 1, disk: 1, ephemeral: 0, swap: 0, extra_specs: { [`resources:${customResourceClass(rc)}`]: '1' } });
    const mgr = new ComputeManager(store, driver);
    // the API's Kafka consumer may still be joining its group: poke the node (maintenance on/off → node events)
    // until an event makes it through, so the measured spawn does not race the consumer's start
    const waiter = driver.ctx.waiter as SseWaiter;
    for (let i = 0; waiter.eventsSeen === 0 && i < 60; i++) {
      await api(url, 'PUT', `/v1/nodes/${node.uuid}/maintenance`, { reason: 'warm-up' });
      await api(url, 'DELETE', `/v1/nodes/${node.uuid}/maintenance`);
      await new Promise((r) => setTimeout(r, 300));
    }
    assert.ok(waiter.eventsSeen > 0, 'node events reach the API stream');
    const t0 = performance.now();
    const inst = await mgr.create({ name: 'split', flavor: 'bm', image: randomUUID() });
    const ms = performance.now() - t0;
    t.diagnostic(`spawn took ${ms.toFixed(0)} ms, ${waiter.eventsSeen} events seen`);
    assert.equal(inst.status, 'ACTIVE');
    assert.equal(inst.node, node.uuid);
    assert.ok(ms < 40_000, 'woken by events, not the 60 s fallback');
    await mgr.delete(inst.uuid);
  } catch (err) {
    for (const p of cluster.procs.values()) t.diagnostic(`--- ${p.name}\n${p.output.join('').slice(-2000)}`);
    throw err;
  } finally {
    await driver?.close();
    await cluster.stop();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});
