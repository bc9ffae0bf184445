/**
 * A compute service stopped mid-build leaves the instance as it is (BUILD, its claim, its node deploying) and,
 * started again under the same host name, resumes it (Nova's _init_instance): the deploy is waited for → ACTIVE.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ComputeService, ComputeStore } from '@anvil/nova-bridge/service';
import { startAnvil } from './anvil-process.ts';
import { compute, flavorAndImage } from './compute-fleet.ts';
import { enrollFakeNode, waitNode } from './fake-nodes.ts';
import { until } from '../wait.ts';

test('a compute service stopped mid-build resumes the build when it starts again', { timeout: 120_000 }, async (t) => {
  const anvil = await startAnvil(['--set', 'compute_enabled=false']);
  const dir = mkdtempSync(join(tmpdir(), 'restart-'));
  const store = await ComputeStore.open({ data_dir: dir });
  const opts = { endpoint: anvil.url, store, host: 'cr', listen: { host: '127.0.0.1', port: 0 }, waitMode: 'sse' as const };
  let svc: ComputeService | null = await ComputeService.start(opts);
  try {
    const rc = `cr-${randomUUID().slice(0, 6)}`;
    const node = await enrollFakeNode(anvil.url, { name: rc, resourceClass: rc, driverInfo: { fake_deploy_sleep: '3' } });
    const fi = await flavorAndImage(svc.url!, rc);
    const { server } = await compute(svc.url!, 'POST', '/v2.1/servers', { server: { name: 'vm', flavorRef: fi.flavor, imageRef: fi.image, networks: 'none' } });
    await waitNode(anvil.url, node.uuid, (n) => n.provision_state === 'deploying' || n.provision_state === 'wait call-back', 'deploying');
    await svc.stop();
    svc = null;
    const cut = await store.instance(server.id);
    assert.deepEqual([cut.status, cut.task_state, cut.node], ['BUILD', 'spawning', node.uuid], 'left as it was, not failed');
    assert.ok((await store.db.placement.consumerAllocations(server.id)).allocations[node.uuid], 'the claim is kept');
    assert.deepEqual(await store.db.compute.faults(server.id), []);
    svc = await ComputeService.start(opts);
    await until('the instance to resume to ACTIVE', async () => {
      const i = await store.instance(server.id);
      assert.ok(['ACTIVE', 'BUILD'].includes(i.status), `${i.status}/${i.task_state}`);
      return i.status === 'ACTIVE';
    }, 60_000);
    t.diagnostic('resumed to ACTIVE after the restart');
    await compute(svc.url!, 'DELETE', `/v2.1/servers/${server.id}`);
    await waitNode(anvil.url, node.uuid, (n) => n.provision_state === 'available' && n.instance_uuid === null, 'released');
  } catch (err) {
    t.diagnostic(anvil.output().slice(-3000));
    throw err;
  } finally {
    await svc?.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    await anvil.stop();
  }
});
