import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Flavor } from '../compute/types.ts';
import type { NodeView } from '../driver/node-view.ts';
import { providerFor } from '../driver/provider-tree.ts';
import { matchesSpec } from './extra-spec-ops.ts';
import { NoValidHostError, schedule } from './scheduler.ts';
import { PlacementStore } from './store.ts';

const node = (uuid: string, o: Partial<NodeView> = {}): NodeView => ({
  uuid,
  power_state: 'power off',
  target_power_state: null,
  provision_state: 'available',
  target_provision_state: null,
  last_error: null,
  maintenance: false,
  properties: { cpu_arch: 'x86_64', capabilities: 'boot_mode:uefi' },
  instance_uuid: null,
  traits: ['CUSTOM_RAID'],
  resource_class: 'baremetal',
  ...o,
});

const flavor: Flavor = {
  id: 'f',
  name: 'bm',
  vcpus: 1,
  ram: 1,
  disk: 1,
  ephemeral: 0,
  swap: 0,
  extra_specs: { 'resources:CUSTOM_BAREMETAL': '1', 'resources:VCPU': '0', 'capabilities:boot_mode': 'uefi', 'trait:CUSTOM_RAID': 'required', cpu_arch: 'x86_64' },
};

function run(nodes: NodeView[], placement = new PlacementStore()) {
  for (const n of nodes) if (n.resource_class) placement.setProvider(providerFor(n));
  return schedule(flavor, undefined, nodes, placement, 'me');
}

test('each cause of "No valid host" is reported per node', () => {
  const nodes = [
    node('maint', { maintenance: true }),
    node('manageable', { provision_state: 'manageable' }),
    node('power', { power_state: 'error' }),
    node('nopower', { power_state: null }),
    node('assoc', { instance_uuid: 'other', provision_state: 'active' }),
    node('gold', { resource_class: 'gold' }),
    node('norc', { resource_class: null }),
    node('bios', { properties: { cpu_arch: 'x86_64', capabilities: 'boot_mode:bios' } }),
    node('notrait', { traits: [] }),
    node('arm', { properties: { cpu_arch: 'aarch64', capabilities: 'boot_mode:uefi' } }),
  ];
  const r = run(nodes);
  assert.deepEqual(r.hosts, []);
  const codes = Object.fromEntries(r.rejected.map((x) => [x.node, x.reasons.map((y) => y.code)]));
  assert.deepEqual(codes, {
    maint: ['maintenance'],
    manageable: ['not_available'],
    power: ['power_failure'],
    nopower: ['power_failure'],
    assoc: ['not_available', 'associated'],
    gold: ['resource_class'],
    norc: ['resource_class'],
    bios: ['capabilities'],
    notrait: ['traits'],
    arm: ['cpu_arch'],
  });
  const msg = new NoValidHostError(r).message;
  assert.match(msg, /^No valid host was found/);
  assert.match(msg, /maint: maintenance/);
  assert.match(msg, /gold: resource class mismatch \(node provides CUSTOM_GOLD, flavor asks CUSTOM_BAREMETAL\)/);
});

test('a good node is chosen; an allocation held by another consumer blocks it', () => {
  const p = new PlacementStore();
  assert.deepEqual(run([node('a'), node('b', { maintenance: true })], p).hosts, ['a']);
  p.claim('other', 'a', { CUSTOM_BAREMETAL: 1 });
  const r = run([node('a')], p);
  assert.deepEqual(r.hosts, []);
  assert.equal(r.rejected[0].reasons[0].code, 'allocated');
  assert.throws(() => p.claim('me', 'a', { CUSTOM_BAREMETAL: 1 }), /already allocated/);
  p.release('other');
  p.claim('me', 'a', { CUSTOM_BAREMETAL: 1 });
});

test('a flavor without a custom resource request is refused outright', () => {
  assert.throws(() => schedule({ ...flavor, extra_specs: {} }, undefined, [node('a')], new PlacementStore()), /requests no resources/);
});

test('extra spec operators', () => {
  assert.ok(matchesSpec('uefi', 'uefi'));
  assert.ok(!matchesSpec('bios', 'uefi'));
  assert.ok(matchesSpec('uefi', "'uefi'"));
  assert.ok(matchesSpec('uefi', '<or> bios <or> uefi'));
  assert.ok(matchesSpec('16384', '>= 8192'));
  assert.ok(!matchesSpec('4096', '>= 8192'));
  assert.ok(matchesSpec('local', 's== local'));
  assert.ok(matchesSpec('avx2 sse4', '<in> avx2'));
  assert.ok(!matchesSpec(undefined, 'x'));
});
