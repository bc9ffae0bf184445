import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { NodeRecord } from '@anvil/sdk';
import type { Database } from '../types.ts';
import { type TestDatabase, testEngines } from '../testing.ts';

for (const eng of testEngines()) {
  describe(`traits, history, volumes, bios, inventory [${eng.engine}]`, () => {
    let t: TestDatabase;
    let db: Database;
    let n: NodeRecord;
    before(async () => {
      t = await eng.open();
      db = t.db;
      n = await db.nodes.create({ driver: 'fake-hardware' });
    });
    after(async () => {
      await t?.cleanup();
    });

    test('traits: set replaces, add is idempotent, remove of a missing one → NotFound, max 50', async () => {
      assert.deepEqual(await db.traits.set(n.id, ['CUSTOM_B', 'CUSTOM_A', 'CUSTOM_A']), ['CUSTOM_A', 'CUSTOM_B']);
      await db.traits.add(n.id, 'CUSTOM_C');
      await db.traits.add(n.id, 'CUSTOM_C');
      assert.deepEqual(await db.traits.list(n.id), ['CUSTOM_A', 'CUSTOM_B', 'CUSTOM_C']);
      assert.equal(await db.traits.has(n.id, 'CUSTOM_B'), true);
      await db.traits.remove(n.id, 'CUSTOM_B');
      await assert.rejects(db.traits.remove(n.id, 'CUSTOM_B'), { code: 'NotFound', status: 404, message: `Node ${n.uuid} doesn't have a trait CUSTOM_B` });
      await assert.rejects(db.traits.set(n.id, Array.from({ length: 51 }, (_, i) => `CUSTOM_${i}`)), { code: 'InvalidParameterValue' });
      assert.deepEqual(await db.traits.list(n.id), ['CUSTOM_A', 'CUSTOM_C']);
      await db.traits.set(n.id, Array.from({ length: 50 }, (_, i) => `CUSTOM_${i}`));
      await assert.rejects(db.traits.add(n.id, 'CUSTOM_MORE'), { code: 'InvalidParameterValue' });
      await db.traits.removeAll(n.id);
      assert.deepEqual(await db.traits.list(n.id), []);
      await assert.rejects(db.traits.add(987654, 'CUSTOM_A'), { code: 'NotFound' });
    });

    test('history: record, list (oldest first, paged), prune keeps the newest', async () => {
      const recs = [];
      for (let i = 0; i < 6; i++) {
        recs.push(await db.history.record(n.id, { event: `event ${i}`, severity: i % 2 ? 'ERROR' : 'INFO', event_type: 'provisioning', conductor: 'c1', user: 'u1' }));
      }
      assert.equal(recs[0].severity, 'INFO');
      assert.equal(recs[0].user, 'u1');
      assert.deepEqual((await db.history.list(n.id)).map((r) => r.event), recs.map((r) => r.event));
      const p2 = await db.history.list(n.id, { limit: 2, marker: recs[1].uuid });
      assert.deepEqual(p2.map((r) => r.event), ['event 2', 'event 3']);
      assert.deepEqual((await db.history.list(n.id, { filters: { severity: 'ERROR' } })).length, 3);
      assert.equal((await db.history.getByUuid(recs[3].uuid)).event, 'event 3');
      assert.equal(await db.history.prune(n.id, 4), 2);
      assert.deepEqual((await db.history.list(n.id)).map((r) => r.event), ['event 2', 'event 3', 'event 4', 'event 5']);
      assert.equal(await db.history.prune(n.id, 0), 4);
      await assert.rejects(db.history.getByUuid(recs[0].uuid), { code: 'NotFound' });
    });

    test('volume connectors: (type, connector_id) unique', async () => {
      const c = await db.volumeConnectors.create({ node_id: n.id, type: 'iqn', connector_id: 'iqn.2017-01.org.example:1', extra: { a: 1 } });
      assert.deepEqual(c.extra, { a: 1 });
      await assert.rejects(db.volumeConnectors.create({ node_id: n.id, type: 'iqn', connector_id: 'iqn.2017-01.org.example:1' }), {
        code: 'VolumeConnectorTypeAndIdAlreadyExists',
        status: 409,
      });
      const w = await db.volumeConnectors.create({ node_id: n.id, type: 'wwpn', connector_id: 'iqn.2017-01.org.example:1' });
      await assert.rejects(db.volumeConnectors.update(w.uuid, { type: 'iqn' }), { code: 'VolumeConnectorTypeAndIdAlreadyExists' });
      assert.deepEqual((await db.volumeConnectors.list({ filters: { node_id: n.id }, sortKey: 'type' })).map((x) => x.type), ['iqn', 'wwpn']);
      await db.volumeConnectors.destroy(w.uuid);
      await assert.rejects(db.volumeConnectors.getByUuid(w.uuid), { code: 'NotFound', message: `Volume connector ${w.uuid} could not be found.` });
    });

    test('volume targets: (node_id, boot_index) unique', async () => {
      const v = await db.volumeTargets.create({ node_id: n.id, volume_type: 'iscsi', volume_id: randomUUID(), boot_index: 0, properties: { target_lun: 0 } });
      assert.deepEqual(v.properties, { target_lun: 0 });
      await assert.rejects(db.volumeTargets.create({ node_id: n.id, volume_type: 'iscsi', volume_id: randomUUID(), boot_index: 0 }), {
        code: 'VolumeTargetBootIndexAlreadyExists',
        message: "A volume target with boot index '0' for the same node already exists.",
      });
      const v1 = await db.volumeTargets.create({ node_id: n.id, volume_type: 'iscsi', volume_id: randomUUID(), boot_index: 1 });
      assert.equal((await db.volumeTargets.update(v1.uuid, { boot_index: 2 })).boot_index, 2);
      assert.deepEqual((await db.volumeTargets.list({ filters: { volume_id: v.volume_id } })).map((x) => x.uuid), [v.uuid]);
      await db.volumeTargets.destroy(v1.uuid);
      await assert.rejects(db.volumeTargets.destroy(v1.uuid), { code: 'NotFound' });
    });

    test('bios: upsert, replace, get, remove', async () => {
      await db.bios.upsert(n.id, [
        { name: 'ProcVirtualization', value: 'Enabled', attribute_type: 'Enumeration', allowable_values: ['Enabled', 'Disabled'], read_only: false, reset_required: true },
        { name: 'BootMode', value: 'Uefi' },
      ]);
      const pv = await db.bios.get(n.id, 'ProcVirtualization');
      assert.deepEqual(pv.allowable_values, ['Enabled', 'Disabled']);
      assert.equal(pv.read_only, false);
      assert.equal(pv.reset_required, true);
      assert.equal(pv.unique, null);
      assert.equal((await db.bios.get(n.id, 'BootMode')).allowable_values, null);
      const after = await db.bios.upsert(n.id, [{ name: 'BootMode', value: 'Bios' }]);
      assert.deepEqual(after.map((s) => [s.name, s.value]), [['BootMode', 'Bios'], ['ProcVirtualization', 'Enabled']]);
      assert.match((await db.bios.get(n.id, 'BootMode')).updated_at!, /\+00:00$/);
      const replaced = await db.bios.replace(n.id, [{ name: 'BootMode', value: 'Uefi' }, { name: 'NumLock', value: 'On', max_length: 3 }]);
      assert.deepEqual(replaced.map((s) => [s.name, s.value, s.max_length]), [['BootMode', 'Uefi', null], ['NumLock', 'On', 3]]);
      await assert.rejects(db.bios.get(n.id, 'ProcVirtualization'), { code: 'NotFound', message: `Node ${n.uuid} doesn't have a BIOS setting 'ProcVirtualization'` });
      await db.bios.remove(n.id, ['NumLock']);
      assert.deepEqual((await db.bios.list(n.id)).map((s) => s.name), ['BootMode']);
      await db.bios.removeAll(n.id);
      assert.deepEqual(await db.bios.list(n.id), []);
    });

    test('firmware: replace keeps initial_version; a changed current_version is the version last flashed (Ironic sync)', async () => {
      const rows = (list: { component: string; initial_version: string; current_version: string | null; last_version_flashed: string | null }[]) =>
        list.map((c) => [c.component, c.initial_version, c.current_version, c.last_version_flashed]);
      await db.firmware.replace(n.id, [
        { component: 'bios', initial_version: '1.0', current_version: '1.0' },
        { component: 'bmc', initial_version: '2.0', current_version: '2.0' },
      ]);
      const flashed = await db.firmware.replace(n.id, [
        { component: 'bios', initial_version: '1.1', current_version: '1.1' },
        { component: 'bmc', initial_version: '2.0', current_version: '2.0' },
      ]);
      assert.deepEqual(rows(flashed), [['bios', '1.0', '1.1', '1.1'], ['bmc', '2.0', '2.0', null]]);
      // unchanged: last_version_flashed stays; a component no longer reported goes; one given explicitly is kept as given
      assert.deepEqual(rows(await db.firmware.replace(n.id, [{ component: 'bios', initial_version: '1.1', current_version: '1.1' }])), [['bios', '1.0', '1.1', '1.1']]);
      assert.deepEqual(rows(await db.firmware.replace(n.id, [{ component: 'bios', initial_version: '1.1', current_version: '1.2', last_version_flashed: null }])), [['bios', '1.0', '1.2', null]]);
      await db.firmware.replace(n.id, []);
    });

    test('inventory: set creates then replaces; get; destroy', async () => {
      await assert.rejects(db.inventory.get(n.id), { code: 'NotFound', message: `Node ${n.uuid} inventory could not be found.` });
      const inv = { cpu: { count: 8, architecture: 'x86_64' }, interfaces: [{ name: 'eth0', mac_address: '52:54:00:00:00:01' }] };
      const first = await db.inventory.set(n.id, inv, { root_disk: { name: '/dev/sda' } });
      assert.deepEqual(first.inventory, inv);
      assert.deepEqual(first.plugin_data, { root_disk: { name: '/dev/sda' } });
      assert.equal(first.updated_at, null);
      const second = await db.inventory.set(n.id, { cpu: { count: 4 } });
      assert.deepEqual(second.inventory, { cpu: { count: 4 } });
      assert.deepEqual(second.plugin_data, {});
      assert.match(second.updated_at!, /\+00:00$/);
      await db.inventory.destroy(n.id);
      await assert.rejects(db.inventory.get(n.id), { code: 'NotFound' });
      await assert.rejects(db.inventory.set(987654, {}), { code: 'NotFound' });
    });
  });
}
