import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Flavor } from '../compute/types.ts';
import { deployPatch, requiredTraits } from './instance-info.ts';
import type { NodeView } from './node-view.ts';

const flavor: Flavor = {
  id: 'f',
  name: 'example',
  vcpus: 8,
  ram: 16384,
  disk: 100,
  ephemeral: 0,
  swap: 0,
  extra_specs: { 'resources:CUSTOM_BAREMETAL': '1', 'capabilities:boot_mode': 'uefi', 'trait:CUSTOM_EXAMPLE': 'required', 'trait:CUSTOM_NO': 'forbidden' },
};
const node = { uuid: 'n', properties: { local_gb: '100' } } as unknown as NodeView;

test('spawn patch carries Nova’s string values, capabilities as a JSON string, traits as a list', () => {
  const ops = deployPatch({ instance: { name: 'example-instance', flavor, image: { id: 'img', name: 'img', properties: {} } }, node, host: 'example-compute' });
  const v = Object.fromEntries(ops.map((o) => [o.path.replace('/instance_info/', ''), o.value]));
  assert.ok(ops.every((o) => o.op === 'add'));
  assert.deepEqual(v, {
    image_source: 'img',
    root_gb: '100',
    swap_mb: '0',
    display_name: 'example-instance',
    vcpus: '8',
    nova_host_id: 'example-compute',
    memory_mb: '16384',
    local_gb: '100',
    capabilities: '{"boot_mode": "uefi"}',
    traits: ['CUSTOM_EXAMPLE'],
  });
});

test('rebuild adds preserve_ephemeral as "True"/"False"; ephemeral flavors add ephemeral_gb', () => {
  const ops = deployPatch({
    instance: { name: 'x', flavor: { ...flavor, ephemeral: 20, extra_specs: {} }, image: { id: 'i', name: 'i', properties: {} } },
    node,
    host: 'h',
    preserveEphemeral: true,
    defaultEphemeralFormat: 'ext4',
  });
  const v = Object.fromEntries(ops.map((o) => [o.path, o.value]));
  assert.equal(v['/instance_info/preserve_ephemeral'], 'True');
  assert.equal(v['/instance_info/ephemeral_gb'], '20');
  assert.equal(v['/instance_info/ephemeral_format'], 'ext4');
  assert.equal(v['/instance_info/capabilities'], undefined);
});

test('required traits merge flavor and image traits_required', () => {
  assert.deepEqual(requiredTraits(flavor, { id: 'i', name: 'i', properties: { traits_required: ['CUSTOM_IMG'] } }), ['CUSTOM_EXAMPLE', 'CUSTOM_IMG']);
});

test('a standalone (URL) image passes its checksum and format on, as Glance would for Ironic', () => {
  const image = { id: 'http://img/disk.raw', name: 'disk', properties: { checksum: 'abc', os_hash_algo: 'sha256', os_hash_value: 'def', disk_format: 'raw' } };
  const v = Object.fromEntries(deployPatch({ instance: { name: 'x', flavor, image }, node, host: 'h' }).map((o) => [o.path, o.value]));
  assert.equal(v['/instance_info/image_source'], 'http://img/disk.raw');
  assert.equal(v['/instance_info/image_checksum'], 'abc');
  assert.equal(v['/instance_info/image_os_hash_algo'], 'sha256');
  assert.equal(v['/instance_info/image_os_hash_value'], 'def');
  assert.equal(v['/instance_info/image_disk_format'], 'raw');
});
