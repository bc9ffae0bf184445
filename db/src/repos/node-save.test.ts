/** Node saves under a held reservation (one conditional UPDATE + one read): same results and errors as before. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describeEachEngine } from '../testing.ts';

describeEachEngine('node save under a reservation', ({ db }) => {
  test('the returned node equals the stored one; provision_updated_at stamped on a state change only; JSON kept', async () => {
    const n = await db.nodes.create({ driver: 'fake-hardware', name: `save-${randomUUID().slice(0, 8)}` });
    await db.nodes.reserve(n.uuid, 'c1');
    const a = await db.nodes.update(n.uuid, { power_state: 'power on', driver_internal_info: { x: [1, { y: 'z' }] } }, { expectReservation: 'c1' });
    assert.deepEqual(a, await db.nodes.getByUuid(n.uuid));
    assert.deepEqual(a.driver_internal_info, { x: [1, { y: 'z' }] });
    assert.equal(a.provision_updated_at, n.provision_updated_at);
    assert.ok(a.updated_at);
    const b = await db.nodes.update(n.uuid, { provision_state: 'verifying', target_provision_state: 'manageable' }, { expectReservation: 'c1' });
    assert.deepEqual(b, await db.nodes.getByUuid(n.uuid));
    assert.equal(b.provision_state, 'verifying');
    assert.ok(b.provision_updated_at);
    const c = await db.nodes.update(n.uuid, { provision_state: 'inspecting' }, { expectReservation: 'c1' });
    assert.ok(c.inspection_started_at);
    assert.equal(c.inspection_finished_at, null);
    // leaving inspection needs the state left: inspection_finished_at stamped, started cleared
    const d = await db.nodes.update(n.uuid, { provision_state: 'manageable' }, { expectReservation: 'c1' });
    assert.ok(d.inspection_finished_at);
    assert.equal(d.inspection_started_at, null);
    assert.deepEqual(d, await db.nodes.getByUuid(n.uuid));
    await db.nodes.release(n.uuid, 'c1');
  });

  test('round trips: a held save is one UPDATE and one SELECT; a lost lock one more read; reserve UPDATE + SELECT', async () => {
    const n = await db.nodes.create({ driver: 'fake-hardware' });
    const sql: string[] = [];
    const onQuery = (q: { sql: string }) => sql.push(q.sql.trim().split(/\s+/)[0].toLowerCase());
    db.knex.on('query', onQuery);
    try {
      await db.nodes.reserve(n.uuid, 'c1');
      assert.deepEqual(sql.splice(0), ['update', 'select']);
      await db.nodes.update(n.uuid, { provision_state: 'deploying', driver_internal_info: { a: 1 } }, { expectReservation: 'c1' });
      assert.deepEqual(sql.splice(0), ['update', 'select']);
      await assert.rejects(db.nodes.update(n.uuid, { power_state: 'power on' }, { expectReservation: 'c9' }), { code: 'NodeLocked' });
      assert.deepEqual(sql.splice(0), ['update', 'select']);
      await db.history.record(n.id, { event: 'one insert' });
      assert.deepEqual(sql.splice(0), ['insert']);
    } finally {
      db.knex.off('query', onQuery);
    }
    await db.nodes.release(n.uuid, 'c1');
  });

  test('a save given the held node is one UPDATE and returns exactly the stored row, also leaving inspection', async () => {
    const n = await db.nodes.create({ driver: 'fake-hardware', name: `held-${randomUUID().slice(0, 8)}`, extra: { k: 'v' } });
    let held = await db.nodes.reserve(n.uuid, 'c1');
    const sql: string[] = [];
    const onQuery = (q: { sql: string }) => sql.push(q.sql.trim().split(/\s+/)[0].toLowerCase());
    db.knex.on('query', onQuery);
    try {
      const steps: Parameters<typeof db.nodes.update>[1][] = [
        { provision_state: 'verifying', target_provision_state: 'manageable', last_error: null },
        { power_state: 'power on', driver_internal_info: { a: [1, { b: 'c' }] }, maintenance: true, maintenance_reason: 'x' },
        { provision_state: 'inspecting', target_provision_state: 'manageable' },
        { provision_state: 'manageable', target_provision_state: null, maintenance: false, instance_info: { image_source: 'i' } },
      ];
      for (const values of steps) {
        held = await db.nodes.update(n.uuid, values, { expectReservation: 'c1', held });
        assert.deepEqual(sql.splice(0), ['update']);
        assert.deepEqual(held, await db.nodes.getByUuid(n.uuid));
        sql.length = 0;
      }
      assert.ok(held.inspection_finished_at);
      assert.equal(held.inspection_started_at, null);
      assert.equal(held.provision_state, 'manageable');
      assert.deepEqual(held.extra, { k: 'v' });
      // a lost lock is still refused with nothing written, held or not
      await db.nodes.release(n.uuid, 'c1');
      await db.nodes.reserve(n.uuid, 'c2');
      await assert.rejects(db.nodes.update(n.uuid, { power_state: 'power off' }, { expectReservation: 'c1', held }), { code: 'NodeLocked' });
      assert.equal((await db.nodes.getByUuid(n.uuid)).power_state, 'power on');
    } finally {
      db.knex.off('query', onQuery);
    }
    await db.nodes.release(n.uuid, 'c2');
  });

  test('lock lost → NodeLocked / NodeNotLocked, nothing written; unknown node → NotFound', async () => {
    const n = await db.nodes.create({ driver: 'fake-hardware' });
    await db.nodes.reserve(n.uuid, 'c2');
    await assert.rejects(db.nodes.update(n.uuid, { power_state: 'power off' }, { expectReservation: 'c1' }), {
      code: 'NodeLocked',
      message: `Node ${n.uuid} is locked by host c2, please retry after the current operation is completed.`,
    });
    await assert.rejects(db.nodes.update(n.uuid, { power_state: 'power off' }, { expectReservation: null }), { code: 'NodeLocked' });
    await db.nodes.release(n.uuid, 'c2');
    await assert.rejects(db.nodes.update(n.uuid, { power_state: 'power off' }, { expectReservation: 'c1' }), { code: 'NodeNotLocked' });
    assert.equal((await db.nodes.getByUuid(n.uuid)).power_state, null);
    assert.equal((await db.nodes.update(n.uuid, { power_state: 'power off' }, { expectReservation: null })).power_state, 'power off');
    await assert.rejects(db.nodes.update(randomUUID(), { power_state: 'power off' }, { expectReservation: 'c1' }), { code: 'NotFound' });
  });

  test('instance association: another instance → NodeAssociated, an instance used elsewhere → InstanceAssociated, names unique', async () => {
    const inst = randomUUID();
    const a = await db.nodes.create({ driver: 'fake-hardware', name: `a-${randomUUID().slice(0, 8)}` });
    const b = await db.nodes.create({ driver: 'fake-hardware' });
    await db.nodes.reserve(a.uuid, 'c1');
    await db.nodes.reserve(b.uuid, 'c1');
    assert.equal((await db.nodes.update(a.uuid, { instance_uuid: inst }, { expectReservation: 'c1' })).instance_uuid, inst);
    assert.equal((await db.nodes.update(a.uuid, { instance_uuid: inst }, { expectReservation: 'c1' })).instance_uuid, inst);
    await assert.rejects(db.nodes.update(a.uuid, { instance_uuid: randomUUID() }, { expectReservation: 'c1' }), {
      code: 'NodeAssociated',
      message: `Node ${a.uuid} is associated with instance ${inst}.`,
    });
    await assert.rejects(db.nodes.update(b.uuid, { instance_uuid: inst }, { expectReservation: 'c1' }), {
      code: 'InstanceAssociated',
      message: `Instance ${inst} is already associated with a node, it cannot be associated with this other node ${b.uuid}`,
    });
    await assert.rejects(db.nodes.update(b.uuid, { name: a.name }, { expectReservation: 'c1' }), { code: 'DuplicateName' });
    await assert.rejects(db.nodes.update(b.uuid, { uuid: randomUUID() }, { expectReservation: 'c1' }), { code: 'InvalidParameterValue' });
    assert.equal((await db.nodes.update(a.uuid, { instance_uuid: null }, { expectReservation: 'c1' })).instance_uuid, null);
  });
});
