import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { NodeRecord } from '@anvil/sdk';
import type { Database } from '../types.ts';
import { type TestDatabase, testEngines } from '../testing.ts';

for (const eng of testEngines()) {
  describe(`ports, portgroups, chassis [${eng.engine}]`, () => {
    let t: TestDatabase;
    let db: Database;
    let a: NodeRecord;
    let b: NodeRecord;
    before(async () => {
      t = await eng.open();
      db = t.db;
      a = await db.nodes.create({ driver: 'fake-hardware', shard: 'east' });
      b = await db.nodes.create({ driver: 'fake-hardware', shard: 'west' });
    });
    after(async () => {
      await t?.cleanup();
    });

    test('ports and portgroups by node uuid (the conductor reads them alongside the node when it locks it)', async () => {
      const g = await db.portgroups.create({ node_id: b.id, address: '52:54:00:aa:bb:01', name: `g-${randomUUID().slice(0, 6)}` });
      const p = await db.ports.create({ node_id: b.id, address: '52:54:00:aa:bb:02', portgroup_id: g.id });
      assert.deepEqual((await db.ports.list({ filters: { node_uuid: b.uuid } })).map((x) => x.uuid), [p.uuid]);
      assert.deepEqual((await db.portgroups.list({ filters: { node_uuid: b.uuid } })).map((x) => x.uuid), [g.uuid]);
      assert.deepEqual(await db.ports.list({ filters: { node_uuid: randomUUID() } }), []);
      await db.ports.destroy(p.uuid);
      await db.portgroups.destroy(g.uuid);
    });

    test('port CRUD with JSON and boolean fields; MAC stored lowercase', async () => {
      const p = await db.ports.create({
        node_id: a.id,
        address: '52:54:00:AB:CD:01',
        local_link_connection: { switch_id: '0a:1b:2c:3d:4e:5f', port_id: 'Ethernet3/1', switch_info: 'sw1' },
        physical_network: 'physnet1',
      });
      assert.equal(p.address, '52:54:00:ab:cd:01');
      assert.equal(p.pxe_enabled, true);
      assert.equal(p.is_smartnic, false);
      assert.deepEqual(p.extra, {});
      assert.deepEqual((await db.ports.getByAddress('52:54:00:ab:cd:01')).local_link_connection.port_id, 'Ethernet3/1');
      const u = await db.ports.update(p.uuid, { pxe_enabled: false, extra: { vif_port_id: 'v1' }, internal_info: { tenant_vif_port_id: 'v1' } });
      assert.equal(u.pxe_enabled, false);
      assert.deepEqual(u.internal_info, { tenant_vif_port_id: 'v1' });
      assert.deepEqual(await db.ports.get(p.id), u);
      await db.ports.destroy(p.uuid);
      await assert.rejects(db.ports.getByUuid(p.uuid), { code: 'NotFound', message: `Port ${p.uuid} could not be found.` });
      await assert.rejects(db.ports.destroy(p.uuid), { code: 'NotFound' });
    });

    test('duplicate MAC → MACAlreadyExists (any case), nothing written', async () => {
      await db.ports.create({ node_id: a.id, address: '52:54:00:00:00:01' });
      const count = (await db.ports.list()).length;
      await assert.rejects(db.ports.create({ node_id: b.id, address: '52:54:00:00:00:01'.toUpperCase() }), {
        code: 'MACAlreadyExists',
        status: 409,
        message: 'A port with MAC address 52:54:00:00:00:01 already exists.',
      });
      const other = await db.ports.create({ node_id: b.id, address: '52:54:00:00:00:02' });
      await assert.rejects(db.ports.update(other.uuid, { address: '52:54:00:00:00:01' }), { code: 'MACAlreadyExists' });
      assert.equal((await db.ports.getByUuid(other.uuid)).address, '52:54:00:00:00:02');
      assert.equal((await db.ports.list()).length, count + 1);
    });

    if (eng.engine === 'mysql') {
      test('values longer than the column → InvalidParameterValue (strict mode, no silent truncation)', async () => {
        await assert.rejects(db.ports.create({ node_id: a.id, address: '52:54:00:00:00:00:00:00:00' }), {
          code: 'InvalidParameterValue',
          message: 'Value for field address is too long.',
        });
      });
    }

    test('port filters: node_id, address, shard, portgroup_id; paging', async () => {
      const pg = await db.portgroups.create({ node_id: b.id, name: 'bond0', address: '52:54:00:00:0b:00' });
      await db.ports.create({ node_id: b.id, address: '52:54:00:00:0b:01', portgroup_id: pg.id });
      const onB = await db.ports.list({ filters: { node_id: b.id } });
      assert.ok(onB.length >= 2 && onB.every((p) => p.node_id === b.id));
      assert.deepEqual((await db.ports.list({ filters: { portgroup_id: pg.id } })).map((p) => p.address), ['52:54:00:00:0b:01']);
      assert.deepEqual((await db.ports.list({ filters: { address: '52:54:00:00:0B:01' } })).length, 1);
      const west = await db.ports.list({ filters: { shard: ['west'] } });
      assert.ok(west.length >= 2 && west.every((p) => p.node_id === b.id));
      assert.ok((await db.ports.list({ filters: { shard: 'east' } })).every((p) => p.node_id === a.id));
      const all = await db.ports.list({ sortKey: 'address', sortDir: 'desc' });
      const p1 = await db.ports.list({ sortKey: 'address', sortDir: 'desc', limit: 2 });
      const p2 = await db.ports.list({ sortKey: 'address', sortDir: 'desc', limit: 2, marker: p1[1].uuid });
      assert.deepEqual([...p1, ...p2].map((p) => p.uuid), all.slice(0, 4).map((p) => p.uuid));
      await assert.rejects(db.ports.list({ marker: randomUUID() }), { code: 'NotFound' });
    });

    test('portgroups: unique name and MAC, lookups, cannot delete with ports', async () => {
      const pg = await db.portgroups.create({ node_id: a.id, name: 'pg-a', address: '52:54:00:00:0A:00', properties: { miimon: 100 } });
      assert.equal(pg.address, '52:54:00:00:0a:00');
      assert.equal(pg.mode, 'active-backup');
      assert.equal(pg.standalone_ports_supported, true);
      assert.deepEqual(pg.properties, { miimon: 100 });
      assert.equal((await db.portgroups.getByIdent('pg-a')).uuid, pg.uuid);
      assert.equal((await db.portgroups.getByIdent(pg.uuid)).name, 'pg-a');
      assert.equal((await db.portgroups.getByAddress('52:54:00:00:0a:00')).uuid, pg.uuid);
      await assert.rejects(db.portgroups.create({ node_id: b.id, name: 'pg-a' }), {
        code: 'PortgroupDuplicateName',
        status: 409,
        message: 'A portgroup with name pg-a already exists.',
      });
      await assert.rejects(db.portgroups.create({ node_id: b.id, address: '52:54:00:00:0a:00' }), { code: 'PortgroupMACAlreadyExists', status: 409 });
      const port = await db.ports.create({ node_id: a.id, address: '52:54:00:00:0a:01', portgroup_id: pg.id });
      await assert.rejects(db.portgroups.destroy(pg.uuid), {
        code: 'PortgroupNotEmpty',
        status: 400,
        message: `Cannot complete the requested action because portgroup ${pg.uuid} contains ports.`,
      });
      await db.ports.update(port.uuid, { portgroup_id: null });
      assert.equal((await db.portgroups.update(pg.uuid, { mode: '802.3ad' })).mode, '802.3ad');
      await db.portgroups.destroy(pg.uuid);
      await assert.rejects(db.portgroups.getByName('pg-a'), { code: 'NotFound', message: 'Portgroup pg-a could not be found.' });
      assert.equal((await db.portgroups.list({ filters: { node_id: b.id } })).length, 1);
    });

    test('chassis CRUD and list', async () => {
      const c1 = await db.chassis.create({ description: 'first', extra: { row: 1 } });
      const c2 = await db.chassis.create({ description: 'second' });
      assert.deepEqual((await db.chassis.getByUuid(c1.uuid)).extra, { row: 1 });
      assert.equal((await db.chassis.update(c2.uuid, { description: 'zweite' })).description, 'zweite');
      assert.deepEqual((await db.chassis.list({ sortKey: 'description' })).map((c) => c.description), ['first', 'zweite']);
      assert.deepEqual((await db.chassis.list({ filters: { description_contains: 'WEI' } })).map((c) => c.uuid), [c2.uuid]);
      await db.chassis.destroy(c1.uuid);
      await assert.rejects(db.chassis.get(c1.id), { code: 'NotFound', message: `Chassis ${c1.id} could not be found.` });
    });
  });
}
