import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toDbDate } from '../codec.ts';
import { describeEachEngine } from '../testing.ts';

describeEachEngine('conductors', ({ db }) => {
  /** Moves a conductor's last heartbeat into the past. */
  const age = (hostname: string, seconds: number) =>
    db.knex('conductors').where({ hostname }).update({ updated_at: toDbDate(new Date(Date.now() - seconds * 1000)) });

  test('register is an upsert that revives; touch heartbeats; unregister marks offline', async () => {
    const c = await db.conductors.register('c1', '', ['fake-hardware']);
    assert.equal(c.hostname, 'c1');
    assert.equal(c.online, true);
    assert.deepEqual(c.drivers, ['fake-hardware']);
    assert.match(c.created_at, /\+00:00$/);
    const again = await db.conductors.register('c1', 'rack1', ['fake-hardware', 'ipmi']);
    assert.equal(again.id, c.id);
    assert.equal(again.conductor_group, 'rack1');
    assert.deepEqual(again.drivers, ['fake-hardware', 'ipmi']);
    await db.conductors.unregister('c1');
    assert.equal((await db.conductors.get('c1')).online, false);
    await db.conductors.touch('c1');
    assert.equal((await db.conductors.get('c1')).online, true);
    await assert.rejects(db.conductors.touch('ghost'), { code: 'NotFound', message: 'Conductor ghost could not be found.' });
    await assert.rejects(db.conductors.get('ghost'), { code: 'NotFound' });
  });

  test('markDead: only a conductor still silent past the timeout is marked offline, with its interfaces', async () => {
    await db.conductors.register('silent', '', ['fake-hardware']);
    await db.conductors.registerHardwareInterfaces('silent', [{ hardware_type: 'fake-hardware', interface_type: 'power', interface_name: 'fake', default: true }]);
    await db.conductors.register('revived', '', ['fake-hardware']);
    await age('silent', 30);
    await age('revived', 30);
    await db.conductors.touch('revived'); // heartbeated again after a takeover read it stale
    assert.equal(await db.conductors.markDead('revived', 6), false);
    assert.equal((await db.conductors.get('revived')).online, true);
    assert.equal(await db.conductors.markDead('silent', 6), true);
    assert.equal((await db.conductors.get('silent')).online, false);
    assert.ok(!(await db.conductors.listHardwareInterfaces()).some((r) => r.hostname === 'silent'));
    assert.equal(await db.conductors.markDead('silent', 6), false, 'already offline');
    assert.equal(await db.conductors.markDead('ghost', 6), false);
  });

  test('concurrent registration of the same host yields one row', async () => {
    await Promise.all(Array.from({ length: 6 }, (_, i) => db.conductors.register('racer', '', [`d${i}`])));
    const rows = await db.conductors.list({ filters: { hostname: 'racer' } });
    assert.equal(rows.length, 1);
  });

  test('listAlive: online and heartbeat within the timeout', async () => {
    await db.conductors.register('fresh', '', []);
    await db.conductors.register('stale', '', []);
    await db.conductors.register('gone', '', []);
    await age('stale', 120);
    await db.conductors.unregister('gone');
    const alive = (await db.conductors.listAlive(60)).map((c) => c.hostname);
    assert.ok(alive.includes('fresh'));
    assert.ok(!alive.includes('stale'));
    assert.ok(!alive.includes('gone'));
    assert.ok((await db.conductors.listAlive(600)).some((c) => c.hostname === 'stale'));
    await db.conductors.touch('stale');
    assert.ok((await db.conductors.listAlive(60)).some((c) => c.hostname === 'stale'));
  });

  test('list: filters, hostname marker, sort', async () => {
    const all = await db.conductors.list({ sortKey: 'hostname' });
    const names = all.map((c) => c.hostname);
    assert.deepEqual(names, [...names].sort());
    const page = await db.conductors.list({ sortKey: 'hostname', marker: names[1] });
    assert.deepEqual(page.map((c) => c.hostname), names.slice(2));
    await assert.rejects(db.conductors.list({ marker: 'nobody' }), { code: 'NotFound' });
    assert.ok((await db.conductors.list({ filters: { online: false } })).every((c) => !c.online));
    assert.deepEqual((await db.conductors.list({ filters: { conductor_group: 'rack1' } })).map((c) => c.hostname), ['c1']);
  });

  test('hardware interfaces: replaced per conductor, listed for alive conductors', async () => {
    await db.conductors.register('hw1', '', ['fake-hardware']);
    await db.conductors.register('hw2', '', ['ipmi']);
    await db.conductors.registerHardwareInterfaces('hw1', [
      { hardware_type: 'fake-hardware', interface_type: 'power', interface_name: 'fake', default: true },
      { hardware_type: 'fake-hardware', interface_type: 'boot', interface_name: 'fake', default: true },
      { hardware_type: 'fake-hardware', interface_type: 'boot', interface_name: 'fake', default: true },
    ]);
    await db.conductors.registerHardwareInterfaces('hw2', [{ hardware_type: 'ipmi', interface_type: 'power', interface_name: 'ipmitool', default: true }]);
    await db.conductors.registerHardwareInterfaces('hw1', [
      { hardware_type: 'fake-hardware', interface_type: 'power', interface_name: 'fake', default: true },
      { hardware_type: 'fake-hardware', interface_type: 'deploy', interface_name: 'fake', default: false },
    ]);
    const rows = (await db.conductors.listHardwareInterfaces(60)).filter((r) => r.hostname.startsWith('hw'));
    assert.deepEqual(
      rows.map((r) => `${r.hostname}:${r.hardware_type}:${r.interface_type}:${r.interface_name}:${r.default}`).sort(),
      ['hw1:fake-hardware:deploy:fake:false', 'hw1:fake-hardware:power:fake:true', 'hw2:ipmi:power:ipmitool:true'],
    );
    await age('hw2', 300);
    assert.ok(!(await db.conductors.listHardwareInterfaces(60)).some((r) => r.hostname === 'hw2'));
    assert.ok((await db.conductors.listHardwareInterfaces()).some((r) => r.hostname === 'hw2'));
    await db.conductors.unregister('hw1');
    assert.ok(!(await db.conductors.listHardwareInterfaces()).some((r) => r.hostname === 'hw1'));
    await assert.rejects(db.conductors.registerHardwareInterfaces('ghost', []), { code: 'NotFound' });
  });
});
