/**
 * The compute service's periodic tasks against `anvil server` (fake-hardware): the resource tracker puts a node
 * into Placement as soon as its state events say it became available (the periodic task set far away), and the
 * periodic task follows maintenance, a resource class change and a deleted node; _sync_power_states turns an
 * ACTIVE instance whose node was powered off behind its back into SHUTOFF, as Nova does.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { customResourceClass } from '@anvil/nova-bridge';
import { ComputeService, ComputeStore } from '@anvil/nova-bridge/service';
import { startAnvil } from './anvil-process.ts';
import { api, enrollFakeNode, waitNode } from './fake-nodes.ts';
import { until } from '../wait.ts';

test('resource tracker on events and periodically; power state sync', { timeout: 180_000 }, async (t) => {
  const anvil = await startAnvil(['--set', 'compute_enabled=false']);
  const dir = mkdtempSync(join(tmpdir(), 'rt-'));
  const store = await ComputeStore.open({ data_dir: dir });
  const rc = `rt-${randomUUID().slice(0, 6)}`;
  const cls = customResourceClass(rc);
  let svc: ComputeService | null = null;
  try {
    // events only: periodic tasks an hour away
    svc = await ComputeService.start({ endpoint: anvil.url, store, host: 'rt', listen: null, waitMode: 'sse', resourceIntervalMs: 3_600_000, powerSyncIntervalMs: 3_600_000 });
    const node = await enrollFakeNode(anvil.url, { name: rc, resourceClass: rc });
    const p = await until('the provider from node events', async () => {
      const got = await store.db.placement.provider(node.uuid);
      return got?.inventories[cls]?.reserved === 0 ? got : undefined;
    });
    assert.deepEqual(p.inventories[cls], { total: 1, reserved: 0, min_unit: 1, max_unit: 1, step_size: 1, allocation_ratio: 1 });
    t.diagnostic('provider appeared on the node events');
    // an instance on it, built while no power sync runs; then the node is powered on behind its back
    await store.putFlavor({ id: randomUUID(), name: 'bm', vcpus: 1, ram: 1, disk: 1, ephemeral: 0, swap: 0, extra_specs: { [`resources:${cls}`]: '1' } });
    const inst = await svc.manager.create({ name: 'vm', flavor: 'bm', image: 'http://127.0.0.1:9/d.raw' });
    assert.equal(inst.status, 'ACTIVE');
    await api(anvil.url, 'PUT', `/v1/nodes/${node.uuid}/states/power`, { target: 'power on' });
    await waitNode(anvil.url, node.uuid, (n) => n.power_state === 'power on' && !n.target_power_state, 'power on');
    await svc.stop();

    // periodic tasks every 300 ms: power sync records RUNNING; the node powered off behind Nova's back → SHUTOFF
    svc = await ComputeService.start({ endpoint: anvil.url, store, host: 'rt', listen: null, waitMode: 'sse', resourceIntervalMs: 300, powerSyncIntervalMs: 300 });
    await until('RUNNING recorded', async () => (await store.instance(inst.uuid)).power_state === 'RUNNING');
    await api(anvil.url, 'PUT', `/v1/nodes/${node.uuid}/states/power`, { target: 'power off' });
    const off = await until('SHUTOFF', async () => {
      const i = await store.instance(inst.uuid);
      return i.status === 'SHUTOFF' ? i : undefined;
    });
    assert.equal(off.power_state, 'SHUTDOWN');
    t.diagnostic('power sync: ACTIVE → SHUTOFF');
    await svc.manager.delete(inst.uuid);
    await waitNode(anvil.url, node.uuid, (n) => n.provision_state === 'available', 'available');

    // the periodic resource tracker: maintenance → reserved, resource class change → the new class
    await until('unreserved again', async () => (await store.db.placement.provider(node.uuid))?.inventories[cls]?.reserved === 0);
    await api(anvil.url, 'PUT', `/v1/nodes/${node.uuid}/maintenance`, { reason: 'test' });
    await until('reserved in maintenance', async () => (await store.db.placement.provider(node.uuid))?.inventories[cls]?.reserved === 1);
    await api(anvil.url, 'DELETE', `/v1/nodes/${node.uuid}/maintenance`);
    await api(anvil.url, 'PATCH', `/v1/nodes/${node.uuid}`, [{ op: 'replace', path: '/resource_class', value: `${rc}-b` }]);
    const cls2 = customResourceClass(`${rc}-b`);
    await until('the new resource class', async () => {
      const got = await store.db.placement.provider(node.uuid);
      return got?.inventories[cls2]?.reserved === 0 && !got.inventories[cls];
    });
    t.diagnostic('maintenance and resource class followed');
    await api(anvil.url, 'DELETE', `/v1/nodes/${node.uuid}`);
    await until('provider removed', async () => (await store.db.placement.provider(node.uuid)) === undefined);
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
