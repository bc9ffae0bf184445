/**
 * get_available_nodes / node_is_available / update_provider_tree / get_available_resource / list_instance_uuids
 * against `anvil server`: partition key → conductor_group filter, the node view Nova reads, reserved inventory.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { IronicDriver, customResourceClass } from '@anvil/nova-bridge';
import { type RunningAnvil, startAnvil } from './anvil-process.ts';
import { api } from './fake-nodes.ts';
import { startRecordingProxy } from './recording-proxy.ts';


test('node cache, partition key and provider tree', { timeout: 90_000 }, async (t) => {
  const sfx = randomUUID().slice(0, 6);
  const anvil: RunningAnvil = await startAnvil(['--conductor-group', `ga${sfx}`]);
  const proxy = await startRecordingProxy(anvil.url);
  const mk = (name: string, group: string, extra: Record<string, unknown> = {}) =>
    api(anvil.url, 'POST', '/v1/nodes', { name: `${name}-${sfx}`, driver: 'fake-hardware', resource_class: 'gold.large', conductor_group: group, properties: { cpu_arch: 'x86_64', capabilities: 'boot_mode:uefi' }, ...extra });
  const driver = await IronicDriver.create({ endpoint: proxy.url, partitionKey: `ga${sfx}`, host: 'compute-a' });
  try {
    const a1 = await mk('a1', `ga${sfx}`);
    const a2 = await mk('a2', `ga${sfx}`);
    await api(anvil.url, 'PUT', `/v1/nodes/${a2.uuid}/traits`, { traits: ['CUSTOM_FAST'] });
    await api(anvil.url, 'PATCH', `/v1/nodes/${a2.uuid}`, [{ op: 'add', path: '/instance_uuid', value: randomUUID() }]);

    await driver.initHost();
    const nodes = await driver.getAvailableNodes();
    assert.deepEqual(nodes, [a1.uuid], "a node holding an instance this host does not manage is not this host's (Nova)");
    const other = await IronicDriver.create({ endpoint: anvil.url, partitionKey: `gb${sfx}`, host: 'compute-b' });
    assert.deepEqual(await other.getAvailableNodes(), [], 'another partition key sees none of them');
    await other.close();
    const list = proxy.find('GET', /^\/v1\/nodes\?/).at(-1)!;
    assert.match(list.path, new RegExp(`conductor_group=ga${sfx}`));
    assert.match(decodeURIComponent(list.path), /fields=uuid,power_state,target_power_state,provision_state,target_provision_state,last_error,maintenance,properties,instance_uuid,traits,resource_class/);
    assert.equal(list.headers['x-openstack-ironic-api-version'], '1.76');

    // cached: no request for the provider tree of a cached node
    const before = proxy.log.length;
    const p1 = await driver.providerTree(a1.uuid);
    assert.equal(proxy.log.length, before);
    assert.deepEqual(p1.inventories, { [customResourceClass('gold.large')]: { total: 1, reserved: 1, min_unit: 1, max_unit: 1, step_size: 1, allocation_ratio: 1 } }, 'enroll, power never read: reserved');
    const p2 = await driver.providerTree(a2.uuid);
    assert.deepEqual(p2.traits, ['CUSTOM_FAST']);
    assert.equal(p2.inventories.CUSTOM_GOLD_LARGE.reserved, 1, 'associated');
    assert.deepEqual((await driver.availableResource(a1.uuid)).stats, { boot_mode: 'uefi', cpu_arch: 'x86_64' });

    assert.equal(await driver.nodeIsAvailable(a1.uuid), true);
    assert.equal(await driver.nodeIsAvailable(randomUUID()), false, '404 → false');
    assert.ok((await driver.listInstanceUuids()).length >= 1);
  } finally {
    await driver.close();
    await proxy.close();
    await anvil.stop();
  }
});
