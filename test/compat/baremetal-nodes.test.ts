/** The real `baremetal` CLI against `anvil server`: node create/list/show/set/unset/delete, old microversions. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bm, bmFails, bmJson, useAnvil } from './baremetal.ts';

useAnvil();

test('node create / list / show / set / unset / delete', async () => {
  const node = await bmJson(['node', 'create', '--driver', 'fake-hardware', '--name', 'cli-node-0', '--property', 'cpus=8',
    '--driver-info', 'ipmi_password=hunter2', '--driver-info', 'ipmi_address=10.0.0.9', '--resource-class', 'baremetal']);
  assert.equal(node.name, 'cli-node-0');
  assert.equal(node.driver, 'fake-hardware');
  assert.equal(node.provision_state, 'enroll');
  assert.equal(node.resource_class, 'baremetal');
  assert.equal(node.driver_info.ipmi_password, '******');
  assert.equal(node.driver_info.ipmi_address, '10.0.0.9');
  assert.equal(node.power_interface, 'fake');
  const list = await bmJson(['node', 'list']);
  assert.deepEqual(list.map((n: { Name: string }) => n.Name), ['cli-node-0']);
  assert.equal(list[0]['Provisioning State'], 'enroll');
  const long = await bmJson(['node', 'list', '--long']);
  assert.equal(long[0].Driver, 'fake-hardware');
  assert.equal(long[0].UUID, node.uuid);
  await bm(['node', 'set', 'cli-node-0', '--extra', 'rack=r1', '--property', 'memory_mb=1024']);
  let after = await bmJson(['node', 'show', 'cli-node-0', '--fields', 'extra', 'properties']);
  assert.deepEqual(after.extra, { rack: 'r1' });
  assert.equal(String(after.properties.memory_mb), '1024');
  await bm(['node', 'unset', 'cli-node-0', '--extra', 'rack', '--property', 'cpus']);
  after = await bmJson(['node', 'show', 'cli-node-0', '--fields', 'extra', 'properties']);
  assert.deepEqual(after.extra, {});
  assert.equal(after.properties.cpus, undefined);
  assert.match(await bmFails(['node', 'create', '--driver', 'no-such-driver']), /No valid host was found.*HTTP 400/s);
  assert.match(await bmFails(['node', 'create', '--driver', 'fake-hardware', '--conductor-group', 'nowhere']), /conductor group "nowhere".*HTTP 400/s);
  assert.match(await bmFails(['node', 'create', '--driver', 'fake-hardware', '--name', 'cli-node-0']), /already exists.*HTTP 409/s);
  await bm(['node', 'delete', 'cli-node-0']);
  assert.deepEqual(await bmJson(['node', 'list']), []);
  assert.match(await bmFails(['node', 'show', 'cli-node-0']), /could not be found.*HTTP 404/s);
});

test('the CLI with an explicit old microversion sees the old shape', async () => {
  const node = await bmJson(['node', 'create', '--driver', 'fake-hardware', '--name', 'cli-old'], '1.31');
  assert.equal(node.power_interface, 'fake');
  assert.equal(node.traits, undefined);
  const old = await bmJson(['node', 'show', node.uuid], '1.20');
  assert.equal(old.power_interface, undefined);
  assert.equal(old.network_interface !== undefined, true);
  await bm(['node', 'delete', node.uuid]);
});
