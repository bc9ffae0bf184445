/**
 * The agent's URL and token in driver_internal_info as Ironic keeps them (conductor/utils.py wipe_token_and_url,
 * remove_agent_url; agent_base HEARTBEAT_ALLOWED and touch_provisioning), on a real conductor with fake-hardware:
 * a heartbeat outside the heartbeat states records nothing; one in a hold state is recorded and does nothing else;
 * one in deploy/clean wait moves the callback deadline;
 * unrescue and tear-down drop the rescue ramdisk's URL and token; a deploy ends without them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeRecord } from '@anvil/sdk';
import { testEngines, type TestDatabase } from '@anvil/db/testing';
import { startTestConductor, type TestConductor } from '../testing.ts';

const TOKEN = 'a'.repeat(43);
const STALE = { agent_url: 'http://10.9.9.9:9999', agent_secret_token: TOKEN, agent_verify_ca: '/tmp/x.crt' };
const settled = (n: NodeRecord) => n.reservation === null && n.target_provision_state === null;
const HOUR_AGO = () => new Date(Date.now() - 3600_000);

for (const engine of testEngines()) {
  describe(`agent URL and token bookkeeping on ${engine.engine}`, () => {
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
    const beat = (n: NodeRecord, url = STALE.agent_url) => c.rpcapi.heartbeat(route(n), { callback_url: url, agent_token: TOKEN, agent_version: '9.4.1' });
    const inState = (provision_state: string, extra: Partial<NodeRecord> = {}) =>
      c.createNode({ provision_state, driver_internal_info: { agent_secret_token: TOKEN }, ...extra });

    test('a heartbeat in active, rescue or available records nothing (Ironic: unsupported provision state)', async () => {
      for (const state of ['active', 'rescue', 'available']) {
        const n = await inState(state);
        await beat(n);
        const x = await c.db.nodes.getByUuid(n.uuid);
        assert.equal(x.driver_internal_info.agent_url, undefined, state);
        assert.equal(x.driver_internal_info.agent_last_heartbeat, undefined, state);
      }
    });

    test('a heartbeat in clean, deploy or service hold is recorded and nothing else (Ironic 39: _HEARTBEAT_RECORD_ONLY)', async () => {
      for (const [state, target] of [['clean hold', 'manageable'], ['deploy hold', 'active'], ['service hold', 'active']]) {
        const step = { interface: 'deploy', step: 'hold', priority: 0, abortable: false };
        const n = await inState(state, { target_provision_state: target, provision_updated_at: HOUR_AGO() as unknown as string, clean_step: step, deploy_step: step, service_step: step });
        await beat(n);
        const x = await c.db.nodes.getByUuid(n.uuid);
        assert.equal(x.driver_internal_info.agent_url, STALE.agent_url, state);
        assert.equal(typeof x.driver_internal_info.agent_last_heartbeat, 'string', state);
        // still held, its step kept, the deadline not moved (a held node waits for `unhold` or `abort`)
        assert.deepEqual([x.provision_state, x.target_provision_state, x.reservation], [state, target, null]);
        assert.equal(Date.now() - new Date(x.provision_updated_at as unknown as string).getTime() > 60_000, true, state);
      }
    });

    test('a heartbeat in wait call-back or clean wait moves provision_updated_at (the callback deadline); rescue wait does not', async () => {
      for (const [state, touched] of [['wait call-back', true], ['clean wait', true], ['rescue wait', false]] as const) {
        const n = await inState(state, { provision_updated_at: HOUR_AGO() as unknown as string });
        await beat(n);
        const x = await c.db.nodes.getByUuid(n.uuid);
        assert.equal(x.driver_internal_info.agent_url, STALE.agent_url, state);
        const age = Date.now() - new Date(x.provision_updated_at as unknown as string).getTime();
        assert.equal(age < 60_000, touched, `${state}: provision_updated_at ${x.provision_updated_at}`);
      }
    });

    test('unrescue forgets the rescue agent; undeploy and the cleaning after it start without a stale URL', async () => {
      const n = await c.createNode();
      await act(n, 'manage');
      await until(n, 'manageable');
      await act(n, 'provide');
      await until(n, 'available');
      await act(n, 'active');
      await until(n, 'active');
      await act(n, 'rescue', { rescue_password: 'sekrit' });
      const r = await until(n, 'rescue');
      // what a rescue ramdisk's heartbeats leave in `rescue` (Ironic keeps them until unrescue)
      await c.db.nodes.update(n.uuid, { driver_internal_info: { ...r.driver_internal_info, ...STALE } });
      await act(n, 'unrescue');
      const back = await until(n, 'active');
      for (const k of Object.keys(STALE)) assert.equal(back.driver_internal_info[k], undefined, k);

      // a URL left on an active node (an agent heartbeating where Ironic would not record it) is dropped by tear-down
      await c.db.nodes.update(n.uuid, { driver_internal_info: { ...back.driver_internal_info, ...STALE } });
      await act(n, 'deleted');
      const avail = await until(n, 'available');
      for (const k of Object.keys(STALE)) assert.equal(avail.driver_internal_info[k], undefined, k);
    });

    test('a deploy ends without the previous ramdisk\'s URL, token and cached steps', async () => {
      const d = await c.createNode();
      await act(d, 'manage');
      await until(d, 'manageable');
      await act(d, 'provide');
      const a = await until(d, 'available');
      await c.db.nodes.update(d.uuid, { driver_internal_info: { ...a.driver_internal_info, ...STALE, agent_cached_deploy_steps: { deploy: [] } } });
      await act(d, 'active');
      const active = await until(d, 'active');
      for (const k of [...Object.keys(STALE), 'agent_cached_deploy_steps']) assert.equal(active.driver_internal_info[k], undefined, k);
    });
  });
}
