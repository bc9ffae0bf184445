import assert from 'node:assert/strict';
import { test } from 'node:test';
import { customResourceClass } from '../placement/resource-class.ts';
import type { NodeView } from './node-view.ts';
import { nodeStats, providerFor } from './provider-tree.ts';

const base: NodeView = {
  uuid: 'n1',
  power_state: 'power off',
  target_power_state: null,
  provision_state: 'available',
  target_provision_state: null,
  last_error: null,
  maintenance: false,
  properties: { cpu_arch: 'x86_64', capabilities: 'boot_mode:uefi,boot_option:local' },
  instance_uuid: null,
  traits: ['CUSTOM_A'],
  resource_class: 'gold.large',
};

test('resource class normalisation', () => {
  assert.equal(customResourceClass('baremetal'), 'CUSTOM_BAREMETAL');
  assert.equal(customResourceClass('gold.large'), 'CUSTOM_GOLD_LARGE');
  assert.equal(customResourceClass('a--b c'), 'CUSTOM_A_B_C');
});

test('inventory: one unit of the custom class, reserved when unusable or associated', () => {
  const p = providerFor(base);
  assert.deepEqual(p.inventories, { CUSTOM_GOLD_LARGE: { total: 1, reserved: 0, min_unit: 1, max_unit: 1, step_size: 1, allocation_ratio: 1 } });
  assert.deepEqual(p.traits, ['CUSTOM_A']);
  const reserved = (n: Partial<NodeView>) => providerFor({ ...base, ...n }).inventories.CUSTOM_GOLD_LARGE.reserved;
  assert.equal(reserved({ maintenance: true }), 1);
  assert.equal(reserved({ power_state: null }), 1);
  assert.equal(reserved({ power_state: 'error' }), 1);
  assert.equal(reserved({ provision_state: 'manageable' }), 1);
  assert.equal(reserved({ instance_uuid: 'i' }), 1);
  assert.equal(providerFor({ ...base, instance_uuid: 'i' }, { skipReserveInUse: true }).inventories.CUSTOM_GOLD_LARGE.reserved, 0);
  assert.throws(() => providerFor({ ...base, resource_class: null }), /no resource_class/);
});

test('stats carry cpu_arch and capabilities', () => {
  assert.deepEqual(nodeStats(base), { boot_mode: 'uefi', boot_option: 'local', cpu_arch: 'x86_64' });
});
