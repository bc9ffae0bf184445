/**
 * Issue #19 fault: worker exhaustion must refuse a request with nothing changed. With the pool one slot short of
 * full, several provision / power requests race; each must either be accepted (and its worker run) or be refused
 * with 503 NoFreeConductorWorker leaving the node exactly as it was — never saved as moved and then refused.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AnvilError, type NodeRecord } from '@anvil/sdk';
import { testEngines, type TestDatabase } from '@anvil/db/testing';
import { startTestConductor, type TestConductor } from '../testing.ts';

const engine = testEngines()[0];
let tdb: TestDatabase;
let c: TestConductor;
const POOL = 4;

before(async () => {
  tdb = await engine.open();
  c = await startTestConductor(tdb.db, { workers_pool_size: POOL, automated_clean: false } as never);
});
after(async () => {
  await c?.stop();
  await tdb?.cleanup();
});

const route = (n: NodeRecord) => ({ uuid: n.uuid, driver: n.driver, conductor_group: n.conductor_group });

async function occupy(slots: number): Promise<() => void> {
  let free!: () => void;
  const gate = new Promise<void>((r) => {
    free = r;
  });
  for (let i = 0; i < slots; i++) c.conductor.ctx.workers.start(`busy-${i}-${Math.random()}`, () => gate, () => undefined);
  return free;
}

for (const kind of ['provide', 'power on'] as const) {
  test(`a full worker pool refuses "${kind}" with nothing changed`, async () => {
    const nodes = await Promise.all(
      Array.from({ length: 6 }, () => c.createNode({ provision_state: 'manageable', power_state: 'power off' })),
    );
    const free = await occupy(POOL - 1);
    const outcomes = await Promise.all(
      nodes.map((n) =>
        (kind === 'provide' ? c.rpcapi.doProvisionAction(route(n), 'provide') : c.rpcapi.changeNodePowerState(route(n), 'power on')).then(
          () => 'accepted' as const,
          (err: unknown) => {
            assert.ok(AnvilError.is(err) && err.code === 'NoFreeConductorWorker', `unexpected ${String(err)}`);
            assert.equal(err.status, 503);
            return 'refused' as const;
          },
        ),
      ),
    );
    free();
    assert.ok(outcomes.includes('refused'), `the pool (size ${POOL}) refused nothing: ${outcomes.join(', ')}`);
    assert.ok(outcomes.includes('accepted'));
    for (const [i, n] of nodes.entries()) {
      if (outcomes[i] === 'accepted') {
        await c.waitFor(n.uuid, (x) =>
          kind === 'provide' ? x.provision_state === 'available' && x.reservation === null : x.power_state === 'power on' && x.target_power_state === null,
        );
        continue;
      }
      const x = await c.waitFor(n.uuid, (y) => y.reservation === null);
      assert.equal(x.provision_state, 'manageable', `refused node ${n.uuid} was moved`);
      assert.equal(x.target_provision_state, null);
      assert.equal(x.target_power_state, null, `refused node ${n.uuid} kept a target power state`);
      assert.equal(x.power_state, 'power off');
      assert.equal(x.last_error, null);
    }
    await c.conductor.ctx.workers.idle(5_000);
    assert.equal(c.conductor.ctx.workers.size, 0, 'every slot was given back');
  });
}
