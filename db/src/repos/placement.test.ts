import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { Instance } from '@anvil/sdk';
import { describeEachEngine } from '../testing.ts';

const inv = (total: number, reserved = 0) => ({ CUSTOM_BM: { total, reserved, min_unit: 1, max_unit: total || 1, step_size: 1, allocation_ratio: 1 } });

describeEachEngine('placement and compute records', ({ db }) => {
  test('provider generations: unchanged put keeps it, a change bumps it, a stale expectation conflicts', async () => {
    const uuid = randomUUID();
    const p = await db.placement.putProvider({ uuid, name: 'n', inventories: inv(1), traits: ['CUSTOM_A'] }, null);
    assert.equal(p.generation, 1);
    assert.equal((await db.placement.putProvider({ uuid, name: 'n', inventories: inv(1), traits: ['CUSTOM_A'] })).generation, 1);
    assert.equal((await db.placement.putProvider({ uuid, name: 'n', inventories: inv(1, 1), traits: ['CUSTOM_A'] }, 1)).generation, 2);
    await assert.rejects(db.placement.putProvider({ uuid, name: 'n', inventories: inv(1), traits: [] }, 1), { code: 'ResourceProviderGenerationConflict', status: 409 });
  });

  test('allocations: capacity, consumer generations, concurrent claims of one unit → exactly one wins', async () => {
    const rp = randomUUID();
    await db.placement.putProvider({ uuid: rp, name: 'n', inventories: inv(1), traits: [] });
    const consumers = Array.from({ length: 8 }, () => randomUUID());
    const results = await Promise.allSettled(consumers.map((c) => db.placement.putAllocations(c, { [rp]: { resources: { CUSTOM_BM: 1 } } }, null)));
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.equal(won.length, 1, 'one unit, one winner');
    for (const r of results) if (r.status === 'rejected') assert.match((r.reason as { code: string }).code, /InsufficientResources|GenerationConflict/);
    const winner = consumers[results.findIndex((r) => r.status === 'fulfilled')];
    const mine = await db.placement.consumerAllocations(winner);
    assert.deepEqual(mine, { consumer_generation: 1, allocations: { [rp]: { resources: { CUSTOM_BM: 1 } } } });
    // a writer holding a stale consumer generation is refused, the right one goes through
    await assert.rejects(db.placement.putAllocations(winner, { [rp]: { resources: { CUSTOM_BM: 1 } } }, null), { code: 'ConsumerGenerationConflict' });
    assert.equal((await db.placement.putAllocations(winner, { [rp]: { resources: { CUSTOM_BM: 1 } } }, 1)).consumer_generation, 2);
    assert.equal(await db.placement.deleteProvider(rp), false, 'in use');
    assert.equal(await db.placement.deleteAllocations(winner), true);
    assert.deepEqual((await db.placement.allocationRows()).filter((r) => r.provider === rp), []);
    assert.equal(await db.placement.deleteProvider(rp), true);
  });

  test('instances: guarded updates, faults newest first, adopt from a dead host', async () => {
    const now = new Date().toISOString();
    const i = { uuid: randomUUID(), name: `vm-${randomUUID().slice(0, 6)}`, status: 'BUILD', task_state: 'scheduling', host: 'c1', node: null, fault: null, created_at: now, updated_at: now } as unknown as Instance;
    await db.compute.createInstance(i);
    assert.equal((await db.compute.instance(i.name)).uuid, i.uuid);
    await assert.rejects(db.compute.updateInstance(i.uuid, { status: 'ACTIVE' }, { taskState: ['spawning'] }), { code: 'UnexpectedTaskStateError', status: 409 });
    const u = await db.compute.updateInstance(i.uuid, { task_state: 'spawning' }, { taskState: ['scheduling'], host: 'c1' });
    assert.equal(u.task_state, 'spawning');
    assert.equal((await db.compute.adopt(i.uuid, 'c2', 'c3')), undefined);
    assert.equal((await db.compute.adopt(i.uuid, 'c1', 'c2'))?.host, 'c2');
    await db.compute.addFault(i.uuid, { code: 500, name: 'A', message: 'first' });
    await db.compute.addFault(i.uuid, { code: 400, name: 'NoValidHost', message: 'second' });
    assert.deepEqual((await db.compute.faults(i.uuid)).map((f) => f.message), ['second', 'first']);
    assert.equal(await db.compute.deleteInstance(i.uuid), true);
    await assert.rejects(db.compute.instance(i.uuid), { code: 'NotFound' });
  });
});
