/**
 * Port and portgroup details on both engines: local_link_connection variants (switch, Smart NIC hostname,
 * unmanaged 1.64), physical_network, pxe_enabled, portgroup mode/properties/standalone_ports_supported, the
 * per-provision-state update rules of Ironic's conductor, and listing details (filters, limit cap, next links).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '@anvil/db/testing';
import { startTestApi, type TestApi } from '@anvil/api/testing';

for (const engine of testEngines()) {
  describe(`ports and portgroups on ${engine.engine}`, () => {
    let api: TestApi;
    let node: string;
    let other: string;
    before(async () => {
      api = await startTestApi(engine);
      node = (await api.call('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'pn-a' })).body.uuid;
      other = (await api.call('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'pn-b' })).body.uuid;
      await api.db.nodes.update(node, { provision_state: 'manageable' });
      await api.db.nodes.update(other, { provision_state: 'manageable' });
    });
    after(() => api?.close());

    test('local_link_connection variants and port fields', async () => {
      const mk = (address: string, extra: Record<string, unknown>, version = 'latest') =>
        api.call('POST', '/v1/ports', { node_uuid: node, address, ...extra }, version);
      const sw = await mk('52:54:00:aa:00:01', { local_link_connection: { port_id: 'Eth1/1', switch_id: '0a:1b:2c:3d:4e:5f', switch_info: 'tor-1' }, physical_network: 'physnet1', pxe_enabled: false });
      assert.equal(sw.status, 201, JSON.stringify(sw.body));
      assert.deepEqual(sw.body.local_link_connection, { port_id: 'Eth1/1', switch_id: '0a:1b:2c:3d:4e:5f', switch_info: 'tor-1' });
      assert.equal(sw.body.physical_network, 'physnet1');
      assert.equal(sw.body.pxe_enabled, false);
      assert.equal(sw.body.is_smartnic, false);
      assert.deepEqual(sw.body.internal_info, {});
      const smart = await mk('52:54:00:aa:00:02', { is_smartnic: true, local_link_connection: { port_id: 'rep0-0', hostname: 'dpu-host' } });
      assert.equal(smart.status, 201, JSON.stringify(smart.body));
      assert.equal(smart.body.is_smartnic, true);
      assert.equal((await mk('52:54:00:aa:00:03', { is_smartnic: true, local_link_connection: { port_id: 'rep0-1' } })).status, 400);
      assert.equal((await mk('52:54:00:aa:00:03', { local_link_connection: { port_id: 'Eth1/2' } })).status, 400);
      assert.equal((await mk('52:54:00:aa:00:03', { local_link_connection: { bogus: 'x', port_id: 'a', switch_id: '0a:1b:2c:3d:4e:5f' } })).status, 400);
      assert.equal((await mk('52:54:00:aa:00:03', { local_link_connection: { network_type: 'unmanaged' } }, '1.63')).status, 406);
      const unmanaged = await mk('52:54:00:aa:00:03', { local_link_connection: { network_type: 'unmanaged' } });
      assert.equal(unmanaged.status, 201);
      assert.equal((await mk('52:54:00:aa:00:04', { is_smartnic: true }, '1.52')).status, 406);
      assert.equal((await mk('52:54:00:aa:00:04', { physical_network: 'p' }, '1.33')).status, 406);
      assert.equal((await mk('52:54:00:aa:00:04', { physical_network: 'x'.repeat(65) })).status, 400);
      const old = await api.call('GET', `/v1/ports/${sw.body.uuid}`, undefined, '1.18');
      assert.equal(old.body.local_link_connection, undefined);
      assert.deepEqual(old.body.internal_info, {});
      assert.equal((await api.call('GET', `/v1/ports/${sw.body.uuid}`, undefined, '1.17')).body.internal_info, undefined);
    });

    test('port updates follow the node provision state (conductor rules)', async () => {
      const p = (await api.call('POST', '/v1/ports', { node_uuid: other, address: '52:54:00:bb:00:01' })).body.uuid;
      const patch = (ops: unknown[]) => api.call('PATCH', `/v1/ports/${p}`, ops);
      assert.equal((await patch([{ op: 'replace', path: '/pxe_enabled', value: false }])).status, 200); // manageable
      await api.db.nodes.update(other, { provision_state: 'available' });
      const refused = await patch([{ op: 'replace', path: '/physical_network', value: 'physnet2' }]);
      assert.equal(refused.status, 409);
      assert.match(refused.error.faultstring, /can not have any connectivity attributes/);
      assert.equal((await patch([{ op: 'add', path: '/extra/rack', value: 'r1' }])).status, 200); // not connectivity
      await api.db.nodes.update(other, { maintenance: true });
      assert.equal((await patch([{ op: 'replace', path: '/physical_network', value: 'physnet2' }])).status, 200);
      await api.db.nodes.update(other, { maintenance: false, provision_state: 'active', instance_uuid: '3f2a7e1c-9b3d-4f0a-8e2b-5c6d7e8f9a01' });
      assert.equal((await patch([{ op: 'replace', path: '/address', value: '52:54:00:bb:00:09' }])).status, 409);
      await api.db.nodes.update(other, { provision_state: 'manageable', instance_uuid: null });
    });

    test('portgroup mode, properties, standalone ports; moving and deleting rules', async () => {
      const pg = await api.call('POST', '/v1/portgroups', { node_uuid: node, name: 'pg-bond', address: '52:54:00:cc:00:01' });
      assert.equal(pg.status, 201);
      assert.equal(pg.body.mode, 'active-backup');
      assert.deepEqual(pg.body.properties, {});
      assert.equal(pg.body.standalone_ports_supported, true);
      const lacp = await api.call('POST', '/v1/portgroups', { node_uuid: node, name: 'pg-lacp', mode: '802.3ad', properties: { miimon: 100 }, standalone_ports_supported: false });
      assert.equal(lacp.body.mode, '802.3ad');
      assert.deepEqual(lacp.body.properties, { miimon: 100 });
      assert.equal((await api.call('POST', '/v1/portgroups', { node_uuid: node, mode: 'balance-rr' }, '1.25')).status, 406);
      assert.equal((await api.call('PATCH', '/v1/portgroups/pg-bond', [{ op: 'remove', path: '/mode' }])).status, 400);
      // Ironic 21.4 shows mode and properties below 1.26 too (only writes and fields= are gated)
      const old = await api.call('GET', '/v1/portgroups/pg-lacp', undefined, '1.25');
      assert.equal(old.body.mode, '802.3ad');
      assert.equal((await api.call('GET', '/v1/portgroups/pg-lacp?fields=mode', undefined, '1.25')).status, 406);
      // a port joins the group; the group can no longer move or be deleted
      const port = await api.call('POST', '/v1/ports', { node_uuid: node, address: '52:54:00:cc:00:02', portgroup_uuid: pg.body.uuid });
      assert.equal(port.status, 201, JSON.stringify(port.body));
      assert.equal(port.body.portgroup_uuid, pg.body.uuid);
      const moving = await api.call('PATCH', '/v1/portgroups/pg-bond', [{ op: 'replace', path: '/node_uuid', value: other }]);
      assert.equal(moving.status, 400);
      assert.match(moving.error.faultstring, /because there are ports associated/);
      assert.equal((await api.call('DELETE', '/v1/portgroups/pg-bond')).status, 400);
      await api.db.nodes.update(other, { provision_state: 'available' });
      const toAvailable = await api.call('PATCH', '/v1/portgroups/pg-lacp', [{ op: 'replace', path: '/node_uuid', value: other }]);
      assert.equal(toAvailable.status, 409);
      await api.db.nodes.update(other, { provision_state: 'manageable' });
      assert.equal((await api.call('PATCH', '/v1/portgroups/pg-lacp', [{ op: 'replace', path: '/node_uuid', value: other }])).status, 200);
      assert.deepEqual((await api.call('GET', `/v1/portgroups?node=${other}`)).body.portgroups.map((g: { name: string }) => g.name), ['pg-lacp']);
      assert.deepEqual((await api.call('GET', '/v1/portgroups?address=52:54:00:cc:00:01')).body.portgroups.map((g: { name: string }) => g.name), ['pg-bond']);
      assert.deepEqual((await api.call('GET', `/v1/ports?portgroup=pg-bond`)).body.ports.map((p: { address: string }) => p.address), ['52:54:00:cc:00:02']);
    });

    test('listing: detail on every collection, fields validation, limit cap, next links, filters', async () => {
      for (const coll of ['ports', 'portgroups', 'chassis', 'nodes']) {
        const d = await api.call('GET', `/v1/${coll}?detail=True`);
        assert.equal(d.status, 200, `${coll} detail`);
        assert.equal((await api.call('GET', `/v1/${coll}?detail=True&fields=uuid`)).status, 400, `${coll} detail+fields`);
        assert.equal((await api.call('GET', `/v1/${coll}?fields=nope`)).status, 400, `${coll} bad field`);
        assert.equal((await api.call('GET', `/v1/${coll}?limit=0`)).status, 400);
        assert.equal((await api.call('GET', `/v1/${coll}?limit=100000`)).status, 200, `${coll} limit above the cap is capped`);
        assert.equal((await api.call('GET', `/v1/${coll}?sort_dir=sideways`)).status, 400);
        assert.equal((await api.call('GET', `/v1/${coll}?sort_key=extra`)).status, 400);
      }
      const page = await api.call('GET', `/v1/ports?node=${node}&limit=2&fields=uuid,address`);
      assert.equal(page.body.ports.length, 2);
      assert.match(page.body.next, /\/v1\/ports\?.*fields=uuid,address.*limit=2&marker=/);
      const rest = await api.call('GET', page.body.next.replace(api.url, ''));
      assert.ok(rest.body.ports.length >= 1);
      assert.equal((await api.call('GET', '/v1/ports?address=52:54:00:aa:00:01')).body.ports.length, 1);
      assert.equal((await api.call('GET', `/v1/ports?node=${node}&portgroup=pg-bond`)).status, 403);
      assert.equal((await api.call('GET', '/v1/ports?shard=s1', undefined, '1.81')).status, 406);
      await api.db.nodes.update(other, { shard: 's1' });
      const sharded = await api.call('GET', '/v1/ports?shard=s1');
      assert.ok(sharded.body.ports.length >= 1);
      assert.equal((await api.call('GET', `/v1/nodes/${other}/ports`)).body.ports.length, sharded.body.ports.length);
      const shards = await api.call('GET', '/v1/shards');
      assert.deepEqual(shards.body.shards.find((s: { name: string | null }) => s.name === 's1'), { count: 1, name: 's1' });
    });
  });
}
