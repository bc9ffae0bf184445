/**
 * Every flow end to end through the RPC facade → in-process transport → conductor → fake-hardware, on a real
 * SQLite database (and MariaDB when ANVIL_TEST_MYSQL_URL is set).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AnvilError, type NodeRecord } from '@anvil/sdk';
import { testEngines, type TestDatabase } from '@anvil/db/testing';
import { startTestConductor, type TestConductor } from '../testing.ts';

const settled = (n: NodeRecord) => n.reservation === null && n.target_provision_state === null;

for (const engine of testEngines()) {
  describe(`conductor flows on ${engine.engine}`, () => {
    let tdb: TestDatabase;
    let c: TestConductor;
    before(async () => {
      tdb = await engine.open();
      c = await startTestConductor(tdb.db, { automated_clean: true });
    });
    after(async () => {
      await c?.stop();
      await tdb?.cleanup();
    });

    const route = (n: NodeRecord) => ({ uuid: n.uuid, driver: n.driver, conductor_group: n.conductor_group });
    const act = async (n: NodeRecord, verb: string, args = {}) => c.rpcapi.doProvisionAction(route(n), verb, args);
    const until = (n: NodeRecord, state: string) => c.waitFor(n.uuid, (x) => x.provision_state === state && settled(x));

    async function available(): Promise<NodeRecord> {
      const n = await c.createNode();
      await act(n, 'manage');
      await until(n, 'manageable');
      await act(n, 'provide');
      return until(n, 'available');
    }

    test('enroll → manage → provide → active → deleted → available', async () => {
      const n = await c.createNode();
      const states: string[] = [];
      const onChange = (e: { uuid: string; provision_state: string }) => {
        if (e.uuid === n.uuid) states.push(e.provision_state);
      };
      c.events.on('change', onChange);
      await act(n, 'manage');
      let x = await until(n, 'manageable');
      assert.equal(x.power_state, null, "verify read the fake power state: unknown until a power action, as Ironic's");
      await act(n, 'provide');
      x = await until(n, 'available');
      await act(n, 'active', { configdrive: { meta_data: { hostname: 'h1' } } });
      x = await until(n, 'active');
      assert.deepEqual(x.instance_info.configdrive, { meta_data: { hostname: 'h1' } });
      assert.ok(x.provision_updated_at);
      assert.deepEqual(x.deploy_step, {});
      await act(n, 'deleted');
      x = await until(n, 'available');
      assert.deepEqual(x.instance_info, {});
      assert.equal(x.last_error, null);
      c.events.off('change', onChange);
      assert.deepEqual(states, ['verifying', 'manageable', 'cleaning', 'available', 'deploying', 'active', 'deleting', 'cleaning', 'available']);
      // as Ironic 39's: no entry per state move, each step flow's start and end (the writer may still hold one)
      let history = await c.db.history.list(x.id);
      for (let i = 0; i < 100 && history.length < 6; i++) {
        await new Promise((r) => setTimeout(r, 20));
        history = await c.db.history.list(x.id);
      }
      const clean = ['automated_cleaning_start', 'automated_cleaning_end'];
      assert.deepEqual(history.map((h) => h.event_type), [...clean, 'deployment_start', 'deployment_end', ...clean]);
    });

    test('rebuild, rescue/unrescue, then a verb not allowed', async () => {
      const n = await available();
      await act(n, 'active');
      await until(n, 'active');
      await act(n, 'rebuild');
      await until(n, 'active');
      await act(n, 'rescue', { rescue_password: 'sekrit' });
      let x = await until(n, 'rescue');
      assert.equal(x.instance_info.rescue_password, 'sekrit');
      await act(n, 'unrescue');
      x = await until(n, 'active');
      assert.equal(x.instance_info.rescue_password, undefined);
      await assert.rejects(act(n, 'provide'), (e: unknown) => AnvilError.is(e) && e.status === 400 && /can not be performed on node/.test(e.message));
      await assert.rejects(act(n, 'rescue', { rescue_password: ' ' }), (e: unknown) => AnvilError.is(e) && e.status === 400);
    });

    test('manual clean with clean_steps ends in manageable; an unknown step fails the cleaning (as Ironic 39)', async () => {
      const n = await c.createNode();
      await act(n, 'manage');
      await until(n, 'manageable');
      await act(n, 'clean', { clean_steps: [{ interface: 'deploy', step: 'no_such_step' }] });
      const failed = await c.waitFor(n.uuid, (x) => x.provision_state === 'clean failed' && x.reservation === null);
      assert.equal(failed.last_error, `Cannot clean node ${n.uuid}: node does not support this clean step: {'interface': 'deploy', 'step': 'no_such_step'}`);
      assert.equal(failed.maintenance, false);
      await act(n, 'manage');
      await until(n, 'manageable');
      const steps = [{ interface: 'power', step: 'noop_power_step', args: {} }];
      const declared = (await c.db.nodes.getByUuid(n.uuid)) as NodeRecord;
      assert.equal(declared.provision_state, 'manageable');
      // use a step the fake interfaces declare, whatever its name
      const { createRegistry } = await import('@anvil/registry');
      const reg = await createRegistry(c.settings);
      const drv = await reg.load(declared);
      const kinds = ['power', 'management', 'deploy', 'bios', 'raid'] as const;
      const found = kinds.flatMap((k) => ((drv.get(k) as { cleanSteps?: { step: string }[] }).cleanSteps ?? []).map((s) => ({ interface: k, step: s.step, args: s.step === 'apply_configuration' ? { settings: [{ name: 'a', value: 'b' }] } : {} })));
      const chosen = found.length ? [found[0]] : steps;
      if (!found.length) {
        await assert.rejects(act(n, 'clean', { clean_steps: chosen }));
        return;
      }
      await act(n, 'clean', { clean_steps: chosen });
      const x = await until(n, 'manageable');
      assert.deepEqual(x.clean_step, {});
      assert.equal(x.last_error, null);
    });

    test('adopt from manageable → active', async () => {
      const n = await c.createNode();
      await act(n, 'manage');
      await until(n, 'manageable');
      await act(n, 'adopt');
      await until(n, 'active');
    });

    test('inspect from manageable returns to manageable with timestamps', async () => {
      const n = await c.createNode();
      await act(n, 'manage');
      await until(n, 'manageable');
      await act(n, 'inspect');
      const x = await until(n, 'manageable');
      assert.ok(x.inspection_finished_at);
      assert.equal(x.inspection_started_at, null);
    });

    test('power on/off/reboot set power_state and clear target', async () => {
      const n = await available();
      await c.rpcapi.changeNodePowerState(route(n), 'power on');
      let x = await c.waitFor(n.uuid, (y) => y.power_state === 'power on' && y.target_power_state === null && y.reservation === null);
      await c.rpcapi.changeNodePowerState(route(n), 'rebooting');
      x = await c.waitFor(n.uuid, (y) => y.target_power_state === null && y.reservation === null);
      assert.equal(x.power_state, 'power on');
      await c.rpcapi.changeNodePowerState(route(n), 'soft power off', 5);
      x = await c.waitFor(n.uuid, (y) => y.power_state === 'power off' && y.target_power_state === null && y.reservation === null);
      await assert.rejects(c.rpcapi.changeNodePowerState(route(n), 'on'), (e: unknown) => AnvilError.is(e) && e.status === 400);
    });

    test('boot device, validate, maintenance', async () => {
      const n = await available();
      const supported = await c.rpcapi.getSupportedBootDevices(route(n));
      assert.ok(supported.includes('pxe'));
      await c.rpcapi.setBootDevice(route(n), 'pxe', true);
      const bd = await c.rpcapi.getBootDevice(route(n));
      assert.equal(bd.boot_device, 'pxe');
      await assert.rejects(c.rpcapi.setBootDevice(route(n), 'nonsense', false), (e: unknown) => AnvilError.is(e) && e.status === 400);
      const v = await c.rpcapi.validateDriverInterfaces(route(n));
      // Ironic 39's order: the core interfaces, then the optional ones (firmware included)
      assert.deepEqual(Object.keys(v), ['boot', 'deploy', 'management', 'network', 'power', 'bios', 'console', 'firmware', 'inspect', 'raid', 'rescue', 'storage']);
      assert.equal(v.power.result, true);
      await c.rpcapi.setMaintenance(route(n), true, 'disk swap');
      let x = await c.db.nodes.getByUuid(n.uuid);
      assert.equal(x.maintenance, true);
      assert.equal(x.maintenance_reason, 'disk swap');
      await assert.rejects(act(n, 'active'), (e: unknown) => AnvilError.is(e) && e.code === 'NodeInMaintenance' && e.status === 400);
      await c.rpcapi.setMaintenance(route(n), false);
      x = await c.db.nodes.getByUuid(n.uuid);
      assert.equal(x.maintenance, false);
      assert.equal(x.maintenance_reason, null);
    });

    test('a locked node answers 409 NodeLocked with Ironic text, and the lock is released after', async () => {
      const n = await available();
      await c.db.nodes.reserve(n.uuid, 'someone-else');
      await assert.rejects(act(n, 'active'), (e: unknown) => AnvilError.is(e) && e.status === 409 && e.message === `Node ${n.uuid} is locked by host someone-else, please retry after the current operation is completed.`);
      await c.db.nodes.release(n.uuid, 'someone-else');
      await act(n, 'active');
      await until(n, 'active');
    });

    test('abort from clean wait and deploy failure handling', async () => {
      // a deploy that fails: an unknown deploy step is refused up front (400), nothing changes
      const n = await available();
      await assert.rejects(act(n, 'active', { deploy_steps: [{ interface: 'deploy', step: 'nope', args: {}, priority: 10 }] }), (e: unknown) => AnvilError.is(e) && e.status === 400);
      const x = await c.db.nodes.getByUuid(n.uuid);
      assert.equal(x.provision_state, 'available');
      assert.equal(x.reservation, null);
    });
  });
}
