/**
 * Node behaviour of 1.83–1.115 as Ironic 39 answers it (checked against scripts/services/ironic39.sh): child nodes
 * are left out of node lists unless include_children=true, `parent_node=<uuid>` lists one node's children,
 * /children names them; a parent given by name is stored as its UUID; an unknown parent is 400; power off is 409 on
 * disable_power_off nodes; instance_info.display_name fills an empty instance_name.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '@anvil/db/testing';
import { fresh, startWorld, type World } from './fixture.ts';

for (const engine of testEngines()) {
  describe(`nodes 1.83–1.115 on ${engine.engine}`, () => {
    let w: World;
    before(async () => {
      w = await startWorld(engine, 115);
    });
    after(() => w?.close());

    test('child nodes: hidden from lists by default, listed by parent_node and /children', async () => {
      const parent = await w.ok('POST', '/v1/nodes', { driver: 'fake-hardware', name: `pa-${fresh()}` });
      const child = await w.ok('POST', '/v1/nodes', { driver: 'fake-hardware', name: `ch-${fresh()}`, parent_node: parent.name });
      assert.equal(child.parent_node, parent.uuid);
      const uuids = async (q: string, v = 'latest') => ((await w.call('GET', `/v1/nodes${q}`, undefined, v)).body.nodes as { uuid: string }[]).map((n) => n.uuid);
      assert.ok(!(await uuids('')).includes(child.uuid));
      assert.ok(!(await uuids('', '1.1')).includes(child.uuid), 'at every version, as Ironic 39');
      assert.ok((await uuids('?include_children=true')).includes(child.uuid));
      assert.deepEqual(await uuids(`?parent_node=${parent.uuid}`), [child.uuid]);
      const kids = await w.ok('GET', `/v1/nodes/${parent.name}/children`);
      assert.deepEqual(kids.children, [child.uuid]);
      assert.equal(kids.links.rel, 'children');
      assert.match(kids.links.href, new RegExp(`/v1/nodes\\?parent_node=${parent.uuid}$`));
      const bad = await w.call('POST', '/v1/nodes', { driver: 'fake-hardware', parent_node: 'no-such-node' });
      assert.equal(bad.status, 400);
      assert.equal(bad.error, "Unable to apply the requested parent_node 'no-such-node'. Requested value was invalid.");
      const removed = await w.call('PATCH', `/v1/nodes/${child.uuid}`, [{ op: 'remove', path: '/parent_node' }]);
      assert.equal(removed.body.parent_node, null);
    });

    test('disable_power_off refuses power off (409), instance_name follows display_name', async () => {
      const n = await w.ok('POST', '/v1/nodes', { driver: 'fake-hardware', name: `dpo-${fresh()}`, disable_power_off: true });
      assert.equal(n.disable_power_off, true);
      for (const target of ['power off', 'soft power off']) {
        const r = await w.call('PUT', `/v1/nodes/${n.uuid}/states/power`, { target });
        assert.equal(r.status, 409);
        assert.equal(r.error, `Failed to set node power state to ${target}.`);
      }
      const p = await w.call('PATCH', `/v1/nodes/${n.uuid}`, [{ op: 'add', path: '/instance_info/display_name', value: 'vm-1' }]);
      assert.equal(p.body.instance_name, 'vm-1');
      const listed = await w.ok('GET', '/v1/nodes?instance_name=vm-1');
      assert.deepEqual(listed.nodes.map((x: { uuid: string }) => x.uuid), [n.uuid]);
      const empty = await w.call('POST', '/v1/nodes', { driver: 'fake-hardware', instance_name: '' });
      assert.equal(empty.error, "Schema error for node: '' should be non-empty");
    });
  });
}
