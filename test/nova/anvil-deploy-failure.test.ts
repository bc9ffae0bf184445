/**
 * Nova's failure rule, for real: the conductor dies mid-deploy, Anvil restarts, the orphaned node goes to
 * `deploy failed` with a last_error — the bridge (waiting on events, across the dropped stream) fails the spawn
 * with InstanceDeployFailure carrying that last_error, tears the node down and leaves the instance in ERROR.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ComputeManager, ComputeStore, IronicDriver, customResourceClass } from '@anvil/nova-bridge';
import { type RunningAnvil, startAnvil } from './anvil-process.ts';
import { enrollFakeNode, waitNode } from './fake-nodes.ts';


test('deploy failed (conductor crash mid-deploy) → instance ERROR with the node last_error, node released', { timeout: 120_000 }, async (t) => {
  const anvilDir = mkdtempSync(join(tmpdir(), 'nova-crash-'));
  let a: RunningAnvil | null = null;
  try {
    a = await startAnvil([], { dataDir: anvilDir });
    const url = a.url;
    const rc = `crash-${randomUUID().slice(0, 6)}`;
    const node = await enrollFakeNode(url, { name: rc, resourceClass: rc, driverInfo: { fake_deploy_sleep: '6' } });
    const store = await ComputeStore.open({ data_dir: join(anvilDir, 'compute') });
    t.after(() => store.close());
    await store.putFlavor({ id: randomUUID(), name: 'bm', vcpus: 1, ram: 1, disk: 1, ephemeral: 0, swap: 0, extra_specs: { [`resources:${customResourceClass(rc)}`]: '1' } });
    // events only: the 2 s safety-net re-read is pushed out so no read lands while Anvil is down
    const driver = await IronicDriver.create({ endpoint: url, waitMode: 'sse', apiRetryIntervalMs: 20_000, apiMaxRetries: 6 });
    const mgr = new ComputeManager(store, driver);
    try {
      const spawning = mgr.create({ name: 'doomed', flavor: 'bm', image: randomUUID() });
      spawning.catch(() => {});
      await waitNode(url, node.uuid, (n) => n.provision_state === 'deploying', 'deploying');
      await a.stop('SIGKILL');
      a = await startAnvil([], { port: a.port, dataDir: anvilDir });
      t.diagnostic('anvil restarted on the same port and data');
      const t0 = performance.now();
      await assert.rejects(spawning, (err: Error & { code?: string }) => {
        // one node, no alternates: Nova's MaxRetriesExceeded carrying the attempt's InstanceDeployFailure
        assert.equal(err.code, 'MaxRetriesExceeded', `${err.name}: ${err.message}`);
        assert.match(err.message, /InstanceDeployFailure/);
        assert.match(err.message, /Failed to provision instance/);
        return true;
      });
      t.diagnostic(`spawn failed and the node was torn down ${(performance.now() - t0).toFixed(0)} ms after the restart`);
      const inst = (await store.instances())[0];
      assert.equal(inst.status, 'ERROR');
      assert.equal(inst.fault?.code, 'MaxRetriesExceeded');
      assert.equal((await store.db.compute.faults(inst.uuid)).at(-1)?.name, 'InstanceDeployFailure', 'the attempt\'s fault is kept');
      const failed = (driver.ctx.client as unknown as { endpoint: string }).endpoint;
      assert.equal(failed, url);
      // the fault carries Ironic's last_error, and the node was torn down and released
      const after = await waitNode(url, node.uuid, (n) => n.provision_state === 'available' && n.instance_uuid === null, 'released', 60_000);
      assert.equal(after.instance_uuid, null);
      assert.ok(inst.fault!.message.length > 'Failed to provision instance '.length + 36 + 2, inst.fault!.message);
      t.diagnostic(`fault: ${inst.fault!.message}`);
    } finally {
      await driver.close();
    }
  } catch (err) {
    if (a) t.diagnostic(a.output().slice(-3000));
    throw err;
  } finally {
    await a?.stop();
    rmSync(anvilDir, { recursive: true, force: true });
  }
});
