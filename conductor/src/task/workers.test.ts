/** workers_pool_size: background work beyond the pool is refused with 503 and leaves the node untouched. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnvilError, type NodeRecord } from '@anvil/sdk';
import { testEngines } from '@anvil/db/testing';
import { startTestConductor } from '../testing.ts';

test('a full worker pool answers 503 NoFreeConductorWorker; the node keeps its state and is unlocked', async () => {
  const tdb = await testEngines()[0].open();
  const c = await startTestConductor(tdb.db, { workers_pool_size: 1 });
  try {
    const route = (n: NodeRecord) => ({ uuid: n.uuid, driver: n.driver, conductor_group: n.conductor_group });
    const slow = await c.createNode({ provision_state: 'available', driver_info: { fake_deploy_sleep: '1.5' } });
    const other = await c.createNode({ provision_state: 'available' });
    await c.rpcapi.doProvisionAction(route(slow), 'active');
    await assert.rejects(
      c.rpcapi.doProvisionAction(route(other), 'active'),
      (e: unknown) => AnvilError.is(e) && e.status === 503 && e.code === 'NoFreeConductorWorker',
    );
    const x: NodeRecord = await c.db.nodes.getByUuid(other.uuid);
    assert.equal(x.provision_state, 'available');
    assert.equal(x.reservation, null);
    await c.waitFor(slow.uuid, (n) => n.provision_state === 'active' && n.reservation === null);
    await c.rpcapi.doProvisionAction(route(other), 'active');
    await c.waitFor(other.uuid, (n) => n.provision_state === 'active' && n.reservation === null);
  } finally {
    await c.stop();
    await tdb.cleanup();
  }
});
