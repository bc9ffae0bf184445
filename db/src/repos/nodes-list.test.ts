import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeRecord } from '@anvil/sdk';
import type { Database, ListOptions } from '../types.ts';
import { type TestDatabase, testEngines } from '../testing.ts';

/** Reads every page of size `limit` by following markers. */
async function allPages(db: Database, opts: ListOptions, limit: number): Promise<NodeRecord[]> {
  const out: NodeRecord[] = [];
  let marker: string | undefined;
  for (;;) {
    const page = await db.nodes.list({ ...opts, limit, marker });
    out.push(...page);
    if (page.length < limit) return out;
    marker = page[page.length - 1].uuid;
  }
}

for (const eng of testEngines()) {
  describe(`node list [${eng.engine}]`, () => {
    let t: TestDatabase;
    let db: Database;
    let nodes: NodeRecord[];
    before(async () => {
      t = await eng.open();
      db = t.db;
      nodes = [];
      const states = ['available', 'active', 'manageable', 'available', 'enroll'];
      for (let i = 0; i < 15; i++) {
        nodes.push(
          await db.nodes.create({
            driver: i % 3 === 0 ? 'ipmi' : 'fake-hardware',
            name: i % 4 === 0 ? null : `node-${String(i).padStart(2, '0')}`,
            provision_state: states[i % 5],
            maintenance: i % 5 === 1,
            instance_uuid: i % 5 === 1 ? `00000000-0000-0000-0000-0000000000${String(i).padStart(2, '0')}` : null,
            resource_class: i % 2 ? 'gold' : 'silver',
            conductor_group: i < 10 ? '' : 'rack2',
            owner: i % 7 === 0 ? 'proj-a' : null,
            lessee: i % 7 === 1 ? 'proj-a' : null,
            retired: i === 14,
            description: i === 3 ? 'The Big GPU box' : null,
            shard: i % 3 === 0 ? null : `shard-${i % 3}`,
            fault: i === 2 ? 'power failure' : null,
          }),
        );
      }
      await db.nodes.reserve(nodes[4].uuid, 'conductor-x');
    });
    after(async () => {
      await t?.cleanup();
    });

    const uuids = (xs: NodeRecord[]) => xs.map((n) => n.uuid);
    const expect = (pred: (n: NodeRecord, i: number) => boolean) => nodes.filter(pred).map((n) => n.uuid);

    test('default order is id ascending; limit', async () => {
      assert.deepEqual(uuids(await db.nodes.list()), uuids(nodes));
      assert.deepEqual(uuids(await db.nodes.list({ limit: 4 })), uuids(nodes.slice(0, 4)));
      await assert.rejects(db.nodes.list({ limit: 0 }), { code: 'InvalidParameterValue' });
    });

    test('filters', async () => {
      const f = async (filters: Record<string, unknown>) => uuids(await db.nodes.list({ filters }));
      assert.deepEqual(await f({ provision_state: 'available' }), expect((_, i) => i % 5 === 0 || i % 5 === 3));
      assert.deepEqual(await f({ provision_state: ['active', 'enroll'] }), expect((_, i) => i % 5 === 1 || i % 5 === 4));
      assert.deepEqual(await f({ maintenance: true }), expect((_, i) => i % 5 === 1));
      assert.deepEqual(await f({ maintenance: false }), expect((_, i) => i % 5 !== 1));
      assert.deepEqual(await f({ associated: true }), expect((_, i) => i % 5 === 1));
      assert.deepEqual(await f({ associated: false }), expect((_, i) => i % 5 !== 1));
      assert.deepEqual(await f({ driver: 'ipmi' }), expect((_, i) => i % 3 === 0));
      assert.deepEqual(await f({ resource_class: 'gold' }), expect((_, i) => i % 2 === 1));
      assert.deepEqual(await f({ conductor_group: 'rack2' }), expect((_, i) => i >= 10));
      assert.deepEqual(await f({ owner: 'proj-a' }), expect((_, i) => i % 7 === 0));
      assert.deepEqual(await f({ lessee: 'proj-a' }), expect((_, i) => i % 7 === 1));
      assert.deepEqual(await f({ project: 'proj-a' }), expect((_, i) => i % 7 === 0 || i % 7 === 1));
      assert.deepEqual(await f({ retired: true }), expect((_, i) => i === 14));
      assert.deepEqual(await f({ description_contains: 'big gpu' }), expect((_, i) => i === 3));
      assert.deepEqual(await f({ description_contains: '%' }), []);
      assert.deepEqual(await f({ shard: ['shard-1'] }), expect((_, i) => i % 3 === 1));
      assert.deepEqual(await f({ sharded: false }), expect((_, i) => i % 3 === 0));
      assert.deepEqual(await f({ sharded: true }), expect((_, i) => i % 3 !== 0));
      assert.deepEqual(await f({ fault: 'power failure' }), expect((_, i) => i === 2));
      assert.deepEqual(await f({ reserved_by: 'conductor-x' }), expect((_, i) => i === 4));
      assert.deepEqual(await f({ reserved: true }), expect((_, i) => i === 4));
      assert.deepEqual(await f({ instance_uuid: nodes[6].instance_uuid }), [nodes[6].uuid]);
      assert.deepEqual(await f({ driver: 'ipmi', maintenance: false, conductor_group: '' }), expect((_, i) => i % 3 === 0 && i % 5 !== 1 && i < 10));
      assert.deepEqual(await f({ driver: undefined }), uuids(nodes));
      await assert.rejects(f({ colour: 'blue' }), { code: 'InvalidParameterValue' });
      assert.equal(await db.nodes.count({ resource_class: 'gold' }), nodes.filter((_, i) => i % 2 === 1).length);
      assert.equal(await db.nodes.count(), 15);
    });

    test('sort by a column with id tiebreak, both directions, NULLs included', async () => {
      const byName = [...nodes].sort((a, b) => {
        if (a.name === b.name) return a.id - b.id;
        if (a.name === null) return -1;
        if (b.name === null) return 1;
        return a.name < b.name ? -1 : 1;
      });
      assert.deepEqual(uuids(await db.nodes.list({ sortKey: 'name' })), uuids(byName));
      const desc = [...nodes].sort((a, b) => {
        if (a.name === b.name) return b.id - a.id;
        if (a.name === null) return 1;
        if (b.name === null) return -1;
        return a.name < b.name ? 1 : -1;
      });
      assert.deepEqual(uuids(await db.nodes.list({ sortKey: 'name', sortDir: 'desc' })), uuids(desc));
      const byState = [...nodes].sort((a, b) => (a.provision_state === b.provision_state ? a.id - b.id : a.provision_state < b.provision_state ? -1 : 1));
      assert.deepEqual(uuids(await db.nodes.list({ sortKey: 'provision_state' })), uuids(byState));
      await assert.rejects(db.nodes.list({ sortKey: 'driver_info' }), { code: 'InvalidParameterValue', message: 'The sort_key value "driver_info" is an invalid field for sorting' });
      await assert.rejects(db.nodes.list({ sortKey: 'nope' }), { code: 'InvalidParameterValue' });
      await assert.rejects(db.nodes.list({ sortDir: 'up' as never }), { code: 'InvalidParameterValue' });
    });

    test('marker pagination walks every row exactly once, in any order, with filters', async () => {
      for (const sortKey of ['id', 'name', 'provision_state', 'resource_class', 'created_at']) {
        for (const sortDir of ['asc', 'desc'] as const) {
          for (const limit of [1, 4, 7]) {
            const full = uuids(await db.nodes.list({ sortKey, sortDir }));
            const paged = uuids(await allPages(db, { sortKey, sortDir }, limit));
            assert.deepEqual(paged, full, `${sortKey} ${sortDir} ${limit}`);
          }
        }
      }
      const filtered = uuids(await db.nodes.list({ filters: { maintenance: false }, sortKey: 'name' }));
      assert.deepEqual(uuids(await allPages(db, { filters: { maintenance: false }, sortKey: 'name' }, 3)), filtered);
    });

    test('unknown marker → NotFound like Ironic', async () => {
      await assert.rejects(db.nodes.list({ marker: '11111111-2222-3333-4444-555555555555' }), {
        code: 'NotFound',
        status: 404,
        message: 'Node 11111111-2222-3333-4444-555555555555 could not be found.',
      });
    });

    test('withTraits attaches sorted traits to every listed node', async () => {
      await db.traits.set(nodes[0].id, ['CUSTOM_B', 'CUSTOM_A']);
      const listed = await db.nodes.list({ withTraits: true, limit: 2 });
      assert.deepEqual(listed[0].traits, ['CUSTOM_A', 'CUSTOM_B']);
      assert.deepEqual(listed[1].traits, []);
      assert.equal((await db.nodes.list({ limit: 1 }))[0].traits, undefined);
    });

    test('getByPortAddresses finds the single owner of any MAC (case-insensitive)', async () => {
      await db.ports.create({ node_id: nodes[5].id, address: '52:54:00:12:34:56' });
      await db.ports.create({ node_id: nodes[5].id, address: '52:54:00:12:34:57' });
      await db.ports.create({ node_id: nodes[6].id, address: '52:54:00:12:34:58' });
      assert.equal((await db.nodes.getByPortAddresses(['52:54:00:12:34:56'])).uuid, nodes[5].uuid);
      assert.equal((await db.nodes.getByPortAddresses(['52:54:00:12:34:57', 'AA:BB:CC:DD:EE:FF'])).uuid, nodes[5].uuid);
      assert.equal((await db.nodes.getByPortAddresses(['52:54:00:12:34:56'.toUpperCase()])).uuid, nodes[5].uuid);
      await assert.rejects(db.nodes.getByPortAddresses(['52:54:00:12:34:56', '52:54:00:12:34:58']), {
        code: 'NotFound',
        message: "Multiple nodes with port addresses ['52:54:00:12:34:56', '52:54:00:12:34:58'] were found",
      });
      await assert.rejects(db.nodes.getByPortAddresses(['aa:aa:aa:aa:aa:aa']), { code: 'NotFound', message: "Node with port addresses ['aa:aa:aa:aa:aa:aa'] was not found" });
    });

    test('provisioned_before uses provision_updated_at', async () => {
      await db.nodes.update(nodes[7].uuid, { provision_updated_at: new Date(Date.now() - 3600_000) });
      await db.nodes.update(nodes[8].uuid, { provision_updated_at: new Date() });
      assert.deepEqual(uuids(await db.nodes.list({ filters: { provisioned_before: new Date(Date.now() - 60_000) } })), [nodes[7].uuid]);
    });

    test('columns: only the named columns (plus id), chassis_uuid joined on demand, same order and filters', async () => {
      const full = await db.nodes.list({ filters: { resource_class: 'gold' }, sortKey: 'name', sortDir: 'desc' });
      const some = await db.nodes.list({
        filters: { resource_class: 'gold' }, sortKey: 'name', sortDir: 'desc', columns: ['uuid', 'maintenance', 'provision_state', 'created_at'],
      });
      assert.deepEqual(uuids(some), uuids(full));
      for (const [i, n] of some.entries()) {
        assert.deepEqual(Object.keys(n).sort(), ['created_at', 'id', 'maintenance', 'provision_state', 'uuid']);
        assert.equal(n.id, full[i].id);
        assert.equal(n.maintenance, full[i].maintenance); // decoded as boolean
        assert.equal(n.created_at, full[i].created_at); // decoded as Ironic date
      }
      const withChassis = await db.nodes.list({ limit: 2, columns: ['uuid', 'chassis_uuid'], withTraits: true });
      assert.deepEqual(Object.keys(withChassis[0]).sort(), ['chassis_uuid', 'id', 'traits', 'uuid']);
      await assert.rejects(db.nodes.list({ columns: ['uuid', 'password'] }), { code: 'InvalidParameterValue' });
    });
  });
}
