import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describeEachEngine } from '../testing.ts';

describeEachEngine('Inspector-compatible API tables (013_inspector)', ({ db }) => {
  test('inspector rules: create, oldest first, duplicate uuid 409, destroy one and all', async () => {
    const a = await db.inspectorRules.create({ uuid: randomUUID(), description: 'a', conditions: [{ op: 'eq', field: 'data://x', value: 1, multiple: 'any', invert: false }], actions: [{ action: 'fail', message: 'm' }] });
    assert.deepEqual([a.scope, a.conditions[0].field, a.actions[0].action], [null, 'data://x', 'fail']);
    const b = await db.inspectorRules.create({ uuid: randomUUID(), description: null, scope: 'rack-1', actions: [{ action: 'add-trait', name: 'CUSTOM_X' }] });
    assert.deepEqual(b.conditions, []);
    assert.deepEqual((await db.inspectorRules.list()).map((r) => r.uuid), [a.uuid, b.uuid]);
    await assert.rejects(db.inspectorRules.create({ uuid: a.uuid, actions: [] }), { status: 409 });
    await db.inspectorRules.destroy(a.uuid);
    await assert.rejects(db.inspectorRules.getByUuid(a.uuid), { status: 404, message: `Rule ${a.uuid} was not found` });
    await db.inspectorRules.destroyAll();
    assert.deepEqual(await db.inspectorRules.list(), []);
  });

  test('introspections: start creates then restarts (error and data cleared); update; newest first', async () => {
    const n1 = randomUUID();
    const n2 = randomUUID();
    const first = await db.introspections.start(n1, true);
    assert.deepEqual([first.uuid, first.manage_boot, first.error, first.unprocessed], [n1, true, null, {}]);
    await db.introspections.update(n1, { error: 'Canceled by operator', unprocessed: { inventory: { interfaces: [] } } });
    assert.equal((await db.introspections.getByUuid(n1)).error, 'Canceled by operator');
    await db.introspections.update(randomUUID(), { error: 'no row: nothing' });
    await db.introspections.start(n2, true);
    const again = await db.introspections.start(n1, false);
    assert.deepEqual([again.id, again.manage_boot, again.error, again.unprocessed], [first.id, false, null, {}]);
    assert.ok(again.started_at >= first.started_at);
    assert.deepEqual((await db.introspections.list()).map((r) => r.uuid).filter((u) => u === n1 || u === n2).length, 2);
    assert.equal(await db.introspections.find(randomUUID()), undefined);
    await assert.rejects(db.introspections.getByUuid('nope'), { status: 404, message: 'Could not find node nope in cache' });
  });
});
