import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { describeEachEngine } from '../testing.ts';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/;

describeEachEngine('nodes', ({ db, t }) => {
  test('create returns a full record with defaults, typed fields and ISO dates', async () => {
    const n = await db.nodes.create({ driver: 'fake-hardware', name: 'crud-0' });
    assert.match(n.uuid, /^[0-9a-f-]{36}$/);
    assert.equal(n.provision_state, 'enroll');
    assert.equal(n.maintenance, false);
    assert.equal(n.protected, false);
    assert.equal(n.automated_clean, null);
    assert.equal(n.conductor_group, '');
    assert.deepEqual(n.driver_info, {});
    assert.match(n.created_at, ISO);
    assert.equal(n.updated_at, null);
    assert.equal(n.chassis_uuid, null);
    assert.deepEqual(await db.nodes.get(n.id), n);
    assert.deepEqual(await db.nodes.getByName('crud-0'), n);
    assert.deepEqual(await db.nodes.getByIdent('crud-0'), n);
    assert.deepEqual(await db.nodes.getByIdent(n.uuid), n);
  });

  test('create without a read-back returns exactly what the database holds (every column written)', async () => {
    const when = new Date('2026-01-02T03:04:05Z');
    const n = await db.nodes.create({
      driver: 'ipmi', name: 'crud-all', driver_info: { a: 'ü' }, driver_internal_info: { x: [1] }, properties: { cpus: 2 },
      instance_info: { image_source: 'img' }, instance_uuid: '11111111-2222-3333-4444-555555555555', extra: { e: null },
      power_state: 'power on', target_power_state: null, provision_state: 'available', target_provision_state: 'active',
      provision_updated_at: when, maintenance: true, maintenance_reason: 'r', last_error: 'boom', reservation: 'host-a',
      console_enabled: true, inspection_started_at: when, inspection_finished_at: null, clean_step: { step: 'x' },
      deploy_step: {}, raid_config: {}, target_raid_config: { logical_disks: [] }, resource_class: 'gold',
      boot_interface: 'pxe', power_interface: 'ipmitool', fault: 'power failure', conductor_group: 'g1',
      conductor_affinity: 7, automated_clean: false, protected: true, protected_reason: 'p', owner: 'o', lessee: 'l',
      description: 'd', retired: true, retired_reason: 'old', network_data: { links: [] }, boot_mode: 'uefi',
      secure_boot: true, shard: 's1',
    });
    assert.deepEqual(await db.nodes.getByUuid(n.uuid), n);
    assert.equal(n.provision_updated_at, '2026-01-02T03:04:05+00:00');
    assert.equal(n.conductor_affinity, 7);
    const bare = await db.nodes.create({ driver: 'fake-hardware' });
    assert.deepEqual(await db.nodes.getByUuid(bare.uuid), bare);
    const withTraits = await db.nodes.create({ driver: 'fake-hardware', traits: [] });
    assert.deepEqual(withTraits.traits, []);
    assert.deepEqual(await db.nodes.getByUuid(withTraits.uuid, { withTraits: true }), withTraits);
  });

  test('JSON fields round-trip (nested, unicode, > 64 KiB), booleans and dates', async () => {
    const big = 'x'.repeat(200_000);
    const info = { ipmi_address: '10.0.0.1', nested: { list: [1, 'two', null, true, { deep: 'ü日本' }] }, n: 1.5 };
    const n = await db.nodes.create({
      driver: 'ipmi',
      driver_info: info,
      instance_info: { configdrive: big },
      properties: { cpus: 4, memory_mb: 8192 },
      maintenance: true,
      maintenance_reason: 'because',
      secure_boot: false,
      automated_clean: true,
      provision_updated_at: new Date('2026-01-02T03:04:05.678Z'),
      inspection_started_at: '2026-01-02T05:04:05+02:00',
    });
    const back = await db.nodes.getByUuid(n.uuid);
    assert.deepEqual(back.driver_info, info);
    assert.equal((back.instance_info as { configdrive: string }).configdrive.length, 200_000);
    assert.equal(back.maintenance, true);
    assert.equal(back.secure_boot, false);
    assert.equal(back.automated_clean, true);
    assert.equal(back.provision_updated_at, '2026-01-02T03:04:05+00:00');
    assert.equal(back.inspection_started_at, '2026-01-02T03:04:05+00:00');
  });

  test('update changes columns, sets updated_at, ignores derived fields, rejects unknown ones', async () => {
    const n = await db.nodes.create({ driver: 'fake-hardware' });
    const u = await db.nodes.update(n.uuid, { power_state: 'power on', extra: { a: [1] }, chassis_uuid: 'ignored' } as never);
    assert.equal(u.power_state, 'power on');
    assert.deepEqual(u.extra, { a: [1] });
    assert.match(u.updated_at!, ISO);
    await assert.rejects(db.nodes.update(n.uuid, { bogus: 1 } as never), { code: 'InvalidParameterValue' });
    await assert.rejects(db.nodes.update(randomUUID(), { power_state: 'power on' }), { code: 'NotFound', status: 404 });
  });

  test('provision_state changes stamp provision_updated_at and inspection times (Ironic update_node)', async () => {
    const n = await db.nodes.create({ driver: 'fake-hardware', provision_state: 'manageable' });
    assert.equal(n.provision_updated_at, null);
    const insp = await db.nodes.update(n.uuid, { provision_state: 'inspecting' });
    assert.match(insp.provision_updated_at!, ISO);
    assert.match(insp.inspection_started_at!, ISO);
    assert.equal(insp.inspection_finished_at, null);
    const done = await db.nodes.update(n.uuid, { provision_state: 'manageable' });
    assert.equal(done.inspection_started_at, null);
    assert.match(done.inspection_finished_at!, ISO);
    await db.nodes.update(n.uuid, { provision_state: 'inspecting' });
    const failed = await db.nodes.update(n.uuid, { provision_state: 'inspect failed' });
    assert.equal(failed.inspection_started_at, null);
    const other = await db.nodes.update(n.uuid, { power_state: 'power on', provision_updated_at: '2020-01-01T00:00:00+00:00' });
    assert.equal(other.provision_updated_at, '2020-01-01T00:00:00+00:00');
    await assert.rejects(db.nodes.update(n.uuid, { uuid: randomUUID() }), { code: 'InvalidParameterValue', message: 'Cannot overwrite UUID for an existing Node.' });
    assert.equal((await db.nodes.update(n.uuid, { uuid: n.uuid, name: 'same-uuid-ok' })).name, 'same-uuid-ok');
  });

  test('unique violations map to Ironic errors and leave nothing behind', async () => {
    const a = await db.nodes.create({ driver: 'fake-hardware', name: 'uniq-a', instance_uuid: randomUUID() });
    const before = await db.nodes.count();
    await assert.rejects(db.nodes.create({ driver: 'fake-hardware', name: 'uniq-a', traits: ['CUSTOM_X'] }), {
      code: 'DuplicateName',
      status: 409,
      message: 'A node with name uniq-a already exists.',
    });
    await assert.rejects(db.nodes.create({ driver: 'fake-hardware', uuid: a.uuid }), { code: 'AlreadyExists', message: `A node with UUID ${a.uuid} already exists.` });
    const b = await db.nodes.create({ driver: 'fake-hardware' });
    await assert.rejects(db.nodes.update(b.uuid, { instance_uuid: a.instance_uuid }), (err: Error & { code: string; status: number }) => {
      assert.equal(err.code, 'InstanceAssociated');
      assert.equal(err.status, 409);
      assert.match(err.message, new RegExp(`Instance ${a.instance_uuid} is already associated with a node, it cannot be associated with this other node ${b.uuid}`));
      return true;
    });
    await assert.rejects(db.nodes.update(b.uuid, { name: 'uniq-a' }), { code: 'DuplicateName' });
    assert.equal(await db.nodes.count(), before + 1);
    assert.equal((await db.nodes.getByUuid(b.uuid)).name, null);
    assert.equal((await db.traits.list(b.id)).length, 0);
    assert.equal((await db.nodes.list({ filters: { uuid_in: [a.uuid, b.uuid] }, withTraits: true })).flatMap((x) => x.traits).length, 0);
  });

  test('instance_uuid: setting another instance on an associated node → NodeAssociated', async () => {
    const inst = randomUUID();
    const n = await db.nodes.create({ driver: 'fake-hardware', instance_uuid: inst });
    await assert.rejects(db.nodes.update(n.uuid, { instance_uuid: randomUUID() }), {
      code: 'NodeAssociated',
      message: `Node ${n.uuid} is associated with instance ${inst}.`,
    });
    assert.equal((await db.nodes.update(n.uuid, { instance_uuid: inst })).instance_uuid, inst);
    assert.equal((await db.nodes.update(n.uuid, { instance_uuid: null })).instance_uuid, null);
    assert.equal((await db.nodes.getByInstanceUuid(inst).catch((e) => e.code)), 'NotFound');
  });

  test('engine errors never carry bound values (BMC passwords); NOT NULL → MissingParameterValue', async () => {
    const secret = `s3cret-${randomUUID()}`;
    const err = await db.nodes.create({ driver: null as never, driver_info: { ipmi_password: secret } }).then(
      () => assert.fail('created a node without driver'),
      (e: unknown) => e as Error & { code: string },
    );
    assert.equal(err.code, 'MissingParameterValue');
    assert.match(err.message, /driver/);
    const row = { uuid: randomUUID(), driver: 'x', provision_state: null, driver_info: JSON.stringify({ ipmi_password: secret }), created_at: '2026-01-01 00:00:00' };
    const attempts = [() => db.knex('nodes').insert(row), () => db.transaction((tx) => tx.knex('nodes').insert(row))];
    for (const attempt of attempts) {
      await Promise.resolve(attempt()).then(
        () => assert.fail('inserted a NULL provision_state'),
        (raw: unknown) => {
          const text = `${String(raw)} ${JSON.stringify(raw)} ${inspect(raw, { depth: 5 })}`;
          assert.ok(!text.includes(secret), text);
        },
      );
    }
  });

  test('not found messages', async () => {
    const u = randomUUID();
    await assert.rejects(db.nodes.getByUuid(u), { code: 'NotFound', status: 404, message: `Node ${u} could not be found.` });
    await assert.rejects(db.nodes.getByName('nope'), { message: 'Node nope could not be found.' });
    await assert.rejects(db.nodes.destroy(u), { code: 'NotFound' });
  });

  test('reserve / release: exclusive, atomic, typed errors', async () => {
    const n = await db.nodes.create({ driver: 'fake-hardware' });
    assert.equal((await db.nodes.reserve(n.uuid, 'cond-1')).reservation, 'cond-1');
    await assert.rejects(db.nodes.reserve(n.uuid, 'cond-2'), {
      code: 'NodeLocked',
      status: 409,
      message: `Node ${n.uuid} is locked by host cond-1, please retry after the current operation is completed.`,
    });
    await assert.rejects(db.nodes.release(n.uuid, 'cond-2'), { code: 'NodeLocked' });
    await assert.rejects(db.nodes.update(n.uuid, { power_state: 'power off' }, { expectReservation: 'cond-2' }), { code: 'NodeLocked' });
    assert.equal((await db.nodes.update(n.uuid, { power_state: 'power off' }, { expectReservation: 'cond-1' })).power_state, 'power off');
    await db.nodes.release(n.uuid, 'cond-1');
    await assert.rejects(db.nodes.release(n.uuid, 'cond-1'), { code: 'NodeNotLocked', status: 400 });
    await assert.rejects(db.nodes.update(n.uuid, { power_state: 'power on' }, { expectReservation: 'cond-1' }), { code: 'NodeNotLocked' });
    await assert.rejects(db.nodes.reserve(randomUUID(), 'cond-1'), { code: 'NotFound' });
  });

  test('concurrent reserve from two connections: exactly one wins', async () => {
    const { reopen } = await import('../testing.ts');
    const other = await reopen(t);
    try {
      for (let round = 0; round < 5; round++) {
        const n = await db.nodes.create({ driver: 'fake-hardware' });
        const attempts = Array.from({ length: 8 }, (_, i) => (i % 2 ? other : db).nodes.reserve(n.uuid, `host-${i}`));
        const results = await Promise.allSettled(attempts);
        const won = results.filter((r) => r.status === 'fulfilled');
        assert.equal(won.length, 1, `round ${round}`);
        for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as { code: string }).code, 'NodeLocked');
        const holder = (won[0] as PromiseFulfilledResult<{ reservation: string }>).value.reservation;
        assert.equal((await other.nodes.getByUuid(n.uuid)).reservation, holder);
      }
    } finally {
      await other.close();
    }
  });

  test('releaseAllHeldBy clears only that host', async () => {
    const a = await db.nodes.create({ driver: 'fake-hardware' });
    const b = await db.nodes.create({ driver: 'fake-hardware' });
    const c = await db.nodes.create({ driver: 'fake-hardware' });
    await db.nodes.reserve(a.uuid, 'dying');
    await db.nodes.reserve(b.uuid, 'dying');
    await db.nodes.reserve(c.uuid, 'alive');
    assert.equal(await db.nodes.releaseAllHeldBy('dying'), 2);
    assert.equal((await db.nodes.getByUuid(a.uuid)).reservation, null);
    assert.equal((await db.nodes.getByUuid(c.uuid)).reservation, 'alive');
    await db.nodes.release(c.uuid, 'alive');
  });

  test('destroy cascades to everything hanging off the node', async () => {
    const n = await db.nodes.create({ driver: 'fake-hardware', traits: ['CUSTOM_GPU'] });
    const keep = await db.nodes.create({ driver: 'fake-hardware', traits: ['CUSTOM_GPU'] });
    const pg = await db.portgroups.create({ node_id: n.id, name: `pg-${n.id}` });
    await db.ports.create({ node_id: n.id, address: '52:54:00:aa:00:01', portgroup_id: pg.id });
    await db.ports.create({ node_id: keep.id, address: '52:54:00:aa:00:02' });
    await db.history.record(n.id, { event: 'boom', severity: 'ERROR', event_type: 'deploy' });
    await db.bios.upsert(n.id, [{ name: 'ProcVirtualization', value: 'Enabled' }]);
    await db.volumeConnectors.create({ node_id: n.id, type: 'iqn', connector_id: `iqn.${n.id}` });
    await db.volumeTargets.create({ node_id: n.id, volume_type: 'iscsi', volume_id: randomUUID(), boot_index: 0 });
    await db.inventory.set(n.id, { cpu: { count: 2 } });
    const alloc = await db.allocations.create({ node_id: n.id, resource_class: 'baremetal' });
    await db.nodes.destroy(n.uuid);
    assert.equal((await db.allocations.getByUuid(alloc.uuid)).node_id, null, 'allocation orphaned, not deleted');
    await assert.rejects(db.nodes.getByUuid(n.uuid), { code: 'NotFound' });
    for (const table of ['ports', 'portgroups', 'node_traits', 'node_history', 'bios_settings', 'volume_connectors', 'volume_targets', 'node_inventory']) {
      const row = await db.knex(table).where('node_id', n.id).count({ c: '*' }).first();
      assert.equal(Number(row?.c), 0, table);
    }
    assert.deepEqual(await db.traits.list(keep.id), ['CUSTOM_GPU']);
    assert.equal((await db.ports.list({ filters: { node_id: keep.id } })).length, 1);
  });

  test('chassis_uuid is joined; chassis with nodes cannot be deleted', async () => {
    const ch = await db.chassis.create({ description: 'rack' });
    const n = await db.nodes.create({ driver: 'fake-hardware', chassis_id: ch.id });
    assert.equal(n.chassis_uuid, ch.uuid);
    assert.equal((await db.nodes.list({ filters: { chassis_id: ch.id } }))[0].chassis_uuid, ch.uuid);
    await assert.rejects(db.chassis.destroy(ch.uuid), { code: 'ChassisNotEmpty', status: 400 });
    await db.nodes.update(n.uuid, { chassis_id: null });
    await db.chassis.destroy(ch.uuid);
    await assert.rejects(db.chassis.getByUuid(ch.uuid), { code: 'NotFound' });
  });

  test('transaction: commits together or not at all', async () => {
    const name = `tx-${randomUUID().slice(0, 8)}`;
    await assert.rejects(
      db.transaction(async (tx) => {
        const n = await tx.nodes.create({ driver: 'fake-hardware', name });
        await tx.traits.add(n.id, 'CUSTOM_T');
        throw new Error('abort');
      }),
      /abort/,
    );
    await assert.rejects(db.nodes.getByName(name), { code: 'NotFound' });
    const made = await db.transaction(async (tx) => {
      assert.equal(tx.inTransaction, true);
      const n = await tx.nodes.create({ driver: 'fake-hardware', name });
      await tx.traits.add(n.id, 'CUSTOM_T');
      return n;
    });
    assert.deepEqual((await db.nodes.getByName(name, { withTraits: true })).traits, ['CUSTOM_T']);
    assert.equal(made.name, name);
  });
});
