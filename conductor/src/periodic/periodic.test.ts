/**
 * Periodic tasks and takeover on a real database with a real conductor: callback timeouts, abort from wait states,
 * dead-conductor takeover, stale reservations, power-state recording. Node states that fake hardware never
 * produces on its own (wait states, a dead conductor's lock) are written to the database as a crash would leave them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeRecord } from '@anvil/sdk';
import { testEngines, type TestDatabase } from '@anvil/db/testing';
import { startTestConductor, type TestConductor } from '../testing.ts';
import { checkCallbackTimeouts } from './callback-timeouts.ts';
import { takeOverDeadConductors } from './orphans.ts';
import { cleanStaleReservations } from './stale-reservations.ts';
import { PowerSyncCounters, syncPowerStates } from './power-sync.ts';

const old = () => new Date(Date.now() - 3600_000).toISOString();

for (const engine of testEngines()) {
  describe(`periodic tasks on ${engine.engine}`, () => {
    let tdb: TestDatabase;
    let c: TestConductor;
    before(async () => {
      tdb = await engine.open();
      // periodic jobs are driven by hand here: disable their timers
      c = await startTestConductor(tdb.db, {
        heartbeat_interval: 20,
        heartbeat_timeout: 60,
        sync_power_state_interval: 0,
        check_provision_state_interval: 0,
        power_failure_recovery_interval: 0,
        deploy_callback_timeout: 60,
        clean_callback_timeout: 60,
        rescue_callback_timeout: 60,
        inspect_wait_timeout: 60,
      });
    });
    after(async () => {
      await c?.stop();
      await tdb?.cleanup();
    });
    const ctx = () => c.conductor.ctx;
    const route = (n: NodeRecord) => ({ uuid: n.uuid, driver: n.driver, conductor_group: n.conductor_group });

    test('wait states older than their timeout fail with Ironic messages; fresh ones stay', async () => {
      const deploy = await c.createNode({ provision_state: 'wait call-back', target_provision_state: 'active', provision_updated_at: old() });
      const clean = await c.createNode({ provision_state: 'clean wait', target_provision_state: 'available', provision_updated_at: old(), clean_step: { interface: 'deploy', step: 'erase_devices' } });
      const rescue = await c.createNode({ provision_state: 'rescue wait', target_provision_state: 'rescue', provision_updated_at: old(), driver_internal_info: { agent_url: 'http://10.9.9.9:9999' } });
      const inspect = await c.createNode({ provision_state: 'inspect wait', target_provision_state: 'manageable', inspection_started_at: old(), provision_updated_at: old() });
      const fresh = await c.createNode({ provision_state: 'wait call-back', target_provision_state: 'active', provision_updated_at: new Date().toISOString() });
      const maint = await c.createNode({ provision_state: 'wait call-back', target_provision_state: 'active', provision_updated_at: old(), maintenance: true });
      assert.equal(await checkCallbackTimeouts(ctx()), 4);
      const get = (n: NodeRecord) => c.db.nodes.getByUuid(n.uuid) as Promise<NodeRecord>;
      let x = await get(deploy);
      assert.equal(x.provision_state, 'deploy failed');
      assert.equal(x.target_provision_state, 'active');
      assert.equal(x.last_error, `Timeout reached while waiting for callback for node ${deploy.uuid}`);
      x = await get(clean);
      assert.equal(x.provision_state, 'clean failed');
      assert.equal(x.target_provision_state, 'available');
      assert.equal(x.maintenance, true);
      assert.equal(x.fault, 'clean failure');
      assert.match(x.last_error!, /^Timeout reached while cleaning the node/);
      x = await get(rescue);
      assert.equal(x.provision_state, 'rescue failed');
      assert.equal(x.power_state, 'power off', "Ironic's rescuing_error_handler powers the node off");
      assert.equal(x.driver_internal_info.agent_url, undefined);
      x = await get(inspect);
      assert.equal(x.provision_state, 'inspect failed');
      assert.equal(x.last_error, 'timeout reached while inspecting the node');
      assert.equal((await get(fresh)).provision_state, 'wait call-back');
      assert.equal((await get(maint)).provision_state, 'wait call-back');
      for (const n of [deploy, clean, rescue, inspect]) assert.equal((await get(n)).reservation, null);
    });

    test('abort from clean wait, rescue wait and inspect wait', async () => {
      const clean = await c.createNode({ provision_state: 'clean wait', target_provision_state: 'manageable', clean_step: { interface: 'raid', step: 'x', abortable: true } });
      await c.rpcapi.doProvisionAction(route(clean), 'abort');
      let x = await c.waitFor(clean.uuid, (n) => n.provision_state === 'clean failed' && n.reservation === null && !!n.last_error);
      assert.equal(x.target_provision_state, 'manageable');
      assert.deepEqual(x.clean_step, {});
      const rescue = await c.createNode({ provision_state: 'rescue wait', target_provision_state: 'rescue', instance_info: { rescue_password: 'p' } });
      await c.rpcapi.doProvisionAction(route(rescue), 'abort');
      x = await c.waitFor(rescue.uuid, (n) => n.provision_state === 'rescue failed' && n.reservation === null && !!n.last_error);
      assert.equal(x.instance_info.rescue_password, undefined);
      const inspect = await c.createNode({ provision_state: 'inspect wait', target_provision_state: 'manageable' });
      await c.rpcapi.doProvisionAction(route(inspect), 'abort').catch((e) => assert.equal(e.status, 400));
      x = await c.db.nodes.getByUuid(inspect.uuid);
      assert.ok(['inspect failed', 'inspect wait'].includes(x.provision_state));
      assert.equal(x.reservation, null);
    });

    test('abort during a non-abortable clean step waits for the step, then fails cleaning', async () => {
      const n = await c.createNode({
        provision_state: 'clean wait',
        target_provision_state: 'available',
        clean_step: { interface: 'raid', step: 'create_configuration', abortable: false },
        driver_internal_info: { clean_steps: [{ interface: 'raid', step: 'create_configuration', args: {}, priority: 0, abortable: false }], clean_step_index: 0 },
      });
      await c.rpcapi.doProvisionAction(route(n), 'abort');
      let x: NodeRecord = await c.db.nodes.getByUuid(n.uuid);
      assert.equal(x.provision_state, 'clean wait');
      assert.equal((x.clean_step as { abort_after?: boolean }).abort_after, true);
      await c.rpcapi.continueNodeClean(route(n));
      x = await c.waitFor(n.uuid, (y) => y.provision_state === 'clean failed' && y.reservation === null);
      assert.equal(x.last_error, 'By request, the clean operation was aborted during or after the completion of step "raid.create_configuration"');
      assert.deepEqual(x.clean_step, {});
    });

    test('a dead conductor: locks released, transient nodes failed, wait states kept and re-owned', async () => {
      const dead = 'dead-conductor-1';
      await c.db.conductors.register(dead, '', ['fake-hardware']);
      const deploying = await c.createNode({ provision_state: 'deploying', target_provision_state: 'active', target_power_state: 'power on' });
      const cleaning = await c.createNode({ provision_state: 'cleaning', target_provision_state: 'available' });
      const waiting = await c.createNode({ provision_state: 'wait call-back', target_provision_state: 'active', provision_updated_at: new Date().toISOString() });
      for (const n of [deploying, cleaning, waiting]) await c.db.nodes.reserve(n.uuid, dead);
      // not dead yet: heartbeat is fresh
      assert.deepEqual((await takeOverDeadConductors(ctx())).dead, []);
      // age its heartbeat past heartbeat_timeout
      await c.db.knex('conductors').where({ hostname: dead }).update({ updated_at: new Date(Date.now() - 600_000).toISOString().slice(0, 19).replace('T', ' ') });
      const started = Date.now();
      const report = await takeOverDeadConductors(ctx());
      assert.deepEqual(report.dead, [dead]);
      assert.equal(report.released, 3);
      assert.equal(report.failed, 2);
      assert.ok(Date.now() - started < 5000);
      let x: NodeRecord = await c.db.nodes.getByUuid(deploying.uuid);
      assert.equal(x.provision_state, 'deploy failed');
      assert.equal(x.reservation, null);
      assert.equal(x.target_power_state, null);
      assert.match(x.last_error!, /Conductor dead-conductor-1 went offline/);
      x = await c.db.nodes.getByUuid(cleaning.uuid);
      assert.equal(x.provision_state, 'clean failed');
      x = await c.db.nodes.getByUuid(waiting.uuid);
      assert.equal(x.provision_state, 'wait call-back');
      assert.equal(x.reservation, null);
      assert.equal(await c.rpcapi.conductorOf(route(x)), c.conductor.hostname);
      const cond = await c.db.conductors.get(dead);
      assert.equal(cond.online, false);
    });

    test('stale reservations of this host are released; orphaned transient nodes failed', async () => {
      const n = await c.createNode({ provision_state: 'available' });
      await c.db.nodes.reserve(n.uuid, c.conductor.hostname);
      const stuck = await c.createNode({ provision_state: 'deploying', target_provision_state: 'active', provision_updated_at: old() });
      const r = await cleanStaleReservations(ctx());
      assert.ok(r.released >= 1);
      assert.ok(r.failed >= 1);
      assert.equal((await c.db.nodes.getByUuid(n.uuid)).reservation, null);
      const x = await c.db.nodes.getByUuid(stuck.uuid);
      assert.equal(x.provision_state, 'deploy failed');
    });

    test('power sync leaves an unknown power state the hardware also calls unknown (fake power), counting no failure', async () => {
      const n = await c.createNode({ provision_state: 'available', power_state: null });
      const counters = new PowerSyncCounters();
      for (let i = 0; i < 5; i++) assert.ok((await syncPowerStates(ctx(), counters)).checked >= 1);
      const x = await c.db.nodes.getByUuid(n.uuid);
      assert.equal(x.power_state, null);
      assert.equal(counters.counts.get(n.uuid), undefined);
      assert.equal(x.reservation, null);
    });
  });
}
