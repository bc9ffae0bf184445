/**
 * A node taken between scheduling and prepare_for_spawn (another client grabs it) is refused with
 * ComputeResourcesUnavailable and the build moves to the next alternate — against real Ironic.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ComputeManager, ComputeStore, IronicDriver, customResourceClass } from '@anvil/nova-bridge';
import { api, enrollFakeNode } from './fake-nodes.ts';
import { startRecordingProxy } from './recording-proxy.ts';
import { failWithout } from '../prereq.ts';

const url = process.env.NOVA_REAL_IRONIC_URL;

failWithout(!url && 'NOVA_REAL_IRONIC_URL is not set (bash scripts/services/real-ironic.sh start; export its env)');

test('a node grabbed after scheduling is refused and the build reschedules to an alternate', { timeout: 120_000 }, async (t) => {
  const rc = `resched-${randomUUID().slice(0, 6)}`;
  const nodes = await Promise.all([0, 1].map((i) => enrollFakeNode(url!, { name: `${rc}-${i}`, resourceClass: rc })));
  const ours = new Set(nodes.map((n) => n.uuid));
  let grabbed: string | null = null;
  const thief = randomUUID();
  // the first single-node read of one of our nodes is prepare_for_spawn's: grab that node just before it
  const proxy = await startRecordingProxy(url!, async (r) => {
    const m = /^\/v1\/nodes\/([0-9a-f-]{36})\?fields=/.exec(r.path);
    if (r.method === 'GET' && m && ours.has(m[1]) && !grabbed) {
      grabbed = m[1];
      await api(url!, 'PATCH', `/v1/nodes/${grabbed}`, [{ op: 'replace', path: '/instance_uuid', value: thief }]);
    }
  });
  const dir = mkdtempSync(join(tmpdir(), 'nova-resched-'));
  const driver = await IronicDriver.create({ endpoint: proxy.url, apiRetryIntervalMs: 100 });
  try {
    const store = await ComputeStore.open({ data_dir: dir });
    t.after(() => store.close());
    await store.putFlavor({ id: randomUUID(), name: 'bm', vcpus: 1, ram: 1, disk: 1, ephemeral: 0, swap: 0, extra_specs: { [`resources:${customResourceClass(rc)}`]: '1' } });
    const mgr = new ComputeManager(store, driver);
    const inst = await mgr.create({ name: 'r', flavor: 'bm', image: randomUUID() });
    assert.ok(grabbed);
    assert.equal(inst.status, 'ACTIVE');
    assert.ok(inst.node && ours.has(inst.node) && inst.node !== grabbed, 'built on the alternate');
    assert.equal(mgr.lastSchedule?.hosts.length, 2);
    const reserves = proxy.log.filter((r) => r.method === 'PATCH' && r.body.includes('/instance_uuid'));
    assert.deepEqual(
      reserves.map((r) => r.path),
      [`/v1/nodes/${inst.node}`],
      'no reserve PATCH was sent for the grabbed node',
    );
    assert.equal((await api(url!, 'GET', `/v1/nodes/${grabbed}`)).instance_uuid, thief, 'the other client keeps its node');
    await mgr.delete(inst.uuid);
  } finally {
    await driver.close();
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
