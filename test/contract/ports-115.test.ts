/**
 * Port and portgroup behaviour of 1.88–1.111 as Ironic 39 answers it (checked against scripts/services/ironic39.sh):
 * ports by name on GET/PATCH at any version, unique names (409), node_ident, description_contains and
 * conductor_groups filters; portgroup physical_network reaching the member ports, fields hidden below their version.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '@anvil/db/testing';
import { fresh, startWorld, type World } from './fixture.ts';

for (const engine of testEngines()) {
  describe(`ports 1.88–1.111 on ${engine.engine}`, () => {
    let w: World;
    before(async () => {
      w = await startWorld(engine, 115);
    });
    after(() => w?.close());

    test('named ports: lookup by name and MAC, unique names, filters', async () => {
      const node = await w.ok('POST', '/v1/nodes', { driver: 'fake-hardware', name: `pn-${fresh()}` });
      await w.c.db.nodes.update(node.uuid, { conductor_group: 'rack-7' });
      const name = `nic-${fresh()}`;
      const p = await w.ok('POST', '/v1/ports', { node_ident: node.name, address: '52:54:00:aa:00:01', name, description: 'uplink to tor-7', vendor: 'acme', category: 'data' });
      assert.deepEqual([p.name, p.description, p.vendor, p.category, p.available_for_dynamic_portgroup], [name, 'uplink to tor-7', 'acme', 'data', true]);
      assert.equal((await w.call('GET', `/v1/ports/${name}`, undefined, '1.1')).body.uuid, p.uuid, 'by name at any version');
      const byMac = await w.call('GET', '/v1/ports/52:54:00:aa:00:01');
      assert.equal(byMac.error, 'Expected UUID or name for port_ident: 52:54:00:aa:00:01', 'a MAC is not an identifier');
      const dup = await w.call('POST', '/v1/ports', { node_uuid: node.uuid, address: '52:54:00:aa:00:02', name });
      assert.equal(dup.status, 409);
      assert.equal(dup.error, `A port with name ${name} already exists.`);
      const patched = await w.call('PATCH', `/v1/ports/${name}`, [{ op: 'add', path: '/description', value: 'moved' }], '1.90');
      assert.equal(patched.status, 200, 'description is writable below 1.97, as Ironic 39');
      const listed = async (q: string) => ((await w.ok('GET', `/v1/ports?${q}`)).ports as { uuid: string }[]).map((x) => x.uuid);
      assert.deepEqual(await listed('description_contains=move'), [p.uuid]);
      assert.deepEqual(await listed('conductor_groups=RACK-7,other'), [p.uuid]);
      const both = await w.call('GET', `/v1/ports?conductor_groups=rack-7&node=${node.uuid}`);
      assert.equal(both.status, 400);
      assert.equal(both.error, 'Filtering by conductor_groups cannot be combined with node_ident, portgroup_ident, or node address filters.');
      const del = await w.call('DELETE', `/v1/ports/${name}`);
      assert.equal(del.status, 400, 'DELETE takes a UUID only, as Ironic 39');
    });

    test('OVN VTEP connections show as {} outside 1.90–1.104; both request id headers at every version', async () => {
      const node = await w.ok('POST', '/v1/nodes', { driver: 'fake-hardware', name: `vt-${fresh()}` });
      const llc = { 'vtep-logical-switch': 'ls', 'vtep-physical-switch': 'ps', port_id: 'p1' };
      const p = (await w.call('POST', '/v1/ports', { node_uuid: node.uuid, address: '52:54:00:aa:02:01', local_link_connection: llc }, '1.90')).body;
      assert.deepEqual(p.local_link_connection, llc);
      for (const [v, want] of [['1.89', {}], ['1.104', llc], ['1.105', {}]] as const)
        assert.deepEqual((await w.call('GET', `/v1/ports/${p.uuid}`, undefined, v)).body.local_link_connection, want, v);
      const half = await w.call('POST', '/v1/ports', { node_uuid: node.uuid, address: '52:54:00:aa:02:02', local_link_connection: { 'vtep-logical-switch': 'ls', port_id: 'p' } }, '1.90');
      assert.match(String(half.error), /'vtep-physical-switch' is a dependency of 'vtep-logical-switch'$/);
      const r = await fetch(`${w.url}/v1/nodes`, { headers: { 'X-OpenStack-Ironic-API-Version': '1.1' } });
      await r.arrayBuffer();
      assert.match(String(r.headers.get('x-openstack-request-id')), /^req-/);
      assert.equal(r.headers.get('x-openstack-request-id'), r.headers.get('openstack-request-id'));
    });

    test('portgroups: physical_network reaches member ports; 1.102+ fields hidden below', async () => {
      const node = await w.ok('POST', '/v1/nodes', { driver: 'fake-hardware', name: `pgn-${fresh()}` });
      const pg = await w.ok('POST', '/v1/portgroups', { node_uuid: node.uuid, name: `bond-${fresh()}`, physical_network: 'physnet1', category: 'storage' });
      assert.deepEqual([pg.physical_network, pg.category, pg.dynamic_portgroup], ['physnet1', 'storage', false]);
      const port = await w.ok('POST', '/v1/ports', { node_uuid: node.uuid, address: '52:54:00:aa:01:01', portgroup_uuid: pg.uuid, physical_network: 'physnet1' });
      await w.ok('PATCH', `/v1/portgroups/${pg.uuid}`, [{ op: 'replace', path: '/physical_network', value: 'physnet2' }]);
      assert.equal((await w.ok('GET', `/v1/ports/${port.uuid}`)).physical_network, 'physnet2');
      const old = await w.call('GET', `/v1/portgroups/${pg.uuid}`, undefined, '1.101');
      assert.ok(!('physical_network' in old.body) && !('category' in old.body) && !('dynamic_portgroup' in old.body));
      const f = await w.call('GET', `/v1/portgroups/${pg.uuid}?fields=physical_network`, undefined, '1.101');
      assert.equal(f.status, 200);
      assert.deepEqual(Object.keys(f.body), ['links']);
    });
  });
}
