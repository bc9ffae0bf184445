/** renderNode against key lists captured from Debian's Ironic 21.4.4 (GET /v1/nodes/{uuid} at 1.1, 1.46, 1.82). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeRecord } from '@anvil/sdk';
import { renderNode } from './node.ts';

const node = {
  id: 1, uuid: '6f8a3f52-0b8b-4f71-9a0e-4a3a4a3a4a3a', name: 'n', driver: 'fake-hardware',
  driver_info: { ipmi_password: 'p', ipmi_address: 'a' }, driver_internal_info: { agent_secret_token: 't' }, properties: {},
  instance_info: { configdrive: 'H4sI', image_source: 'img' }, instance_uuid: null, extra: {}, chassis_id: null, chassis_uuid: null,
  power_state: 'power off', target_power_state: null, provision_state: 'available', target_provision_state: null,
  provision_updated_at: null, maintenance: false, maintenance_reason: null, last_error: null, reservation: null,
  console_enabled: false, inspection_started_at: null, inspection_finished_at: null, clean_step: {}, deploy_step: {}, service_step: {},
  raid_config: {}, target_raid_config: {}, resource_class: null, bios_interface: 'fake', boot_interface: 'fake',
  console_interface: 'fake', deploy_interface: 'fake', firmware_interface: 'fake', inspect_interface: 'fake', management_interface: 'fake',
  network_interface: 'noop', power_interface: 'fake', raid_interface: 'fake', rescue_interface: 'fake',
  storage_interface: 'noop', vendor_interface: 'fake', fault: null, conductor_group: '', conductor_affinity: null,
  automated_clean: null, protected: false, protected_reason: null, owner: null, lessee: null, description: null,
  allocation_id: null, retired: false, retired_reason: null, network_data: {}, boot_mode: null, secure_boot: null,
  shard: null, parent_node: null, disable_power_off: false, instance_name: null, health: null,
  created_at: '2026-11-26T03:23:53+00:00', updated_at: null, traits: ['CUSTOM_PROBE'],
} satisfies NodeRecord & { traits: string[] };

const IRONIC_1_1 = ['uuid', 'created_at', 'updated_at', 'console_enabled', 'driver', 'driver_info', 'extra', 'instance_info',
  'instance_uuid', 'last_error', 'maintenance', 'maintenance_reason', 'power_state', 'properties', 'provision_state',
  'provision_updated_at', 'reservation', 'target_power_state', 'target_provision_state', 'links', 'chassis_uuid', 'ports'];
const IRONIC_1_46 = ['uuid', 'created_at', 'updated_at', 'bios_interface', 'boot_interface', 'clean_step', 'conductor_group',
  'console_enabled', 'console_interface', 'deploy_interface', 'deploy_step', 'driver', 'driver_info', 'driver_internal_info',
  'extra', 'fault', 'inspection_finished_at', 'inspection_started_at', 'inspect_interface', 'instance_info', 'instance_uuid',
  'last_error', 'maintenance', 'maintenance_reason', 'management_interface', 'name', 'network_interface', 'power_interface',
  'power_state', 'properties', 'provision_state', 'provision_updated_at', 'raid_config', 'raid_interface', 'rescue_interface',
  'reservation', 'resource_class', 'storage_interface', 'target_power_state', 'target_provision_state', 'target_raid_config',
  'traits', 'vendor_interface', 'links', 'chassis_uuid', 'ports', 'states', 'portgroups', 'volume'];
const IRONIC_1_82 = ['uuid', 'created_at', 'updated_at', 'automated_clean', 'bios_interface', 'boot_interface', 'boot_mode',
  'clean_step', 'conductor_group', 'console_enabled', 'console_interface', 'deploy_interface', 'deploy_step', 'description',
  'driver', 'driver_info', 'driver_internal_info', 'extra', 'fault', 'inspection_finished_at', 'inspection_started_at',
  'inspect_interface', 'instance_info', 'instance_uuid', 'last_error', 'lessee', 'maintenance', 'maintenance_reason',
  'management_interface', 'name', 'network_data', 'network_interface', 'owner', 'power_interface', 'power_state', 'properties',
  'protected', 'protected_reason', 'provision_state', 'provision_updated_at', 'raid_config', 'raid_interface', 'rescue_interface',
  'reservation', 'resource_class', 'retired', 'retired_reason', 'secure_boot', 'shard', 'storage_interface', 'target_power_state',
  'target_provision_state', 'target_raid_config', 'traits', 'vendor_interface', 'links', 'conductor', 'allocation_uuid',
  'chassis_uuid', 'ports', 'states', 'portgroups', 'volume'];

test('node keys and order match Ironic at 1.1, 1.46 and 1.82', () => {
  assert.deepEqual(Object.keys(renderNode(node, 1, 'http://h')), IRONIC_1_1);
  assert.deepEqual(Object.keys(renderNode(node, 46, 'http://h')), IRONIC_1_46);
  assert.deepEqual(Object.keys(renderNode(node, 82, 'http://h', undefined, { conductor: 'c', allocationUuid: null })), IRONIC_1_82);
});

test('legacy states, masking and links', () => {
  const old = renderNode(node, 1, 'http://h');
  assert.equal(old.provision_state, null);
  assert.equal(renderNode({ ...node, provision_state: 'inspect wait' }, 38, 'http://h').provision_state, 'inspecting');
  assert.equal(renderNode({ ...node, provision_state: 'inspect wait' }, 39, 'http://h').provision_state, 'inspect wait');
  const r = renderNode(node, 82, 'http://h');
  assert.deepEqual(r.driver_info, { ipmi_password: '******', ipmi_address: 'a' });
  assert.deepEqual(r.instance_info, { configdrive: '******', image_source: 'img' });
  assert.deepEqual(r.driver_internal_info, { agent_secret_token: '******' });
  assert.deepEqual(r.links, [
    { href: `http://h/v1/nodes/${node.uuid}`, rel: 'self' },
    { href: `http://h/nodes/${node.uuid}`, rel: 'bookmark' },
  ]);
  assert.equal(node.driver_info.ipmi_password, 'p', 'the record itself is not modified');
  assert.deepEqual(Object.keys(renderNode(node, 46, 'http://h', ['name', 'uuid', 'chassis_uuid'])), ['uuid', 'name', 'links', 'chassis_uuid']);
});
