import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HashRing, HashRings } from './hash-ring.ts';

// Golden values computed with tooz.hashring's algorithm (hashlib md5, 2**5 partitions) for hosts cond-a/b/c.
const HOSTS = ['cond-a', 'cond-b', 'cond-c'];
const OWNERS: Record<string, [string, string]> = {
  '1be26c0b-03f2-4d2e-ae87-c02d7f33c123': ['cond-c', 'cond-b'],
  'node-0': ['cond-b', 'cond-c'],
  '00000000-0000-0000-0000-000000000001': ['cond-b', 'cond-a'],
  fake: ['cond-b', 'cond-a'],
  'b7a2e3d1-9c1f-4e0a-8d2b-5f6a7c8d9e0f': ['cond-c', 'cond-b'],
  x: ['cond-a', 'cond-c'],
};

const uuidOf = (i: number) => {
  const hex = i.toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

test('known keys map to the hosts tooz picks (owner and 2 replicas)', () => {
  const ring = new HashRing(HOSTS, 5);
  assert.equal(ring.size, 96);
  for (const [key, [owner, second]] of Object.entries(OWNERS)) {
    assert.equal(ring.ownerOf(key), owner, key);
    assert.deepEqual(ring.getHosts(key, 2), [owner, second], key);
  }
});

test('host order and duplicates do not change the ring', () => {
  const a = new HashRing(['cond-c', 'cond-a', 'cond-b', 'cond-a']);
  for (const [key, [owner]] of Object.entries(OWNERS)) assert.equal(a.ownerOf(key), owner);
});

test('removing a host moves only its keys (694 of 2000 like tooz)', () => {
  const full = new HashRing(HOSTS);
  const less = new HashRing(['cond-a', 'cond-c']);
  let moved = 0;
  for (let i = 0; i < 2000; i++) {
    const k = uuidOf(i);
    const before = full.ownerOf(k);
    const after = less.ownerOf(k);
    if (before !== after) {
      moved++;
      assert.equal(before, 'cond-b', `${k} moved from a live host`);
    }
  }
  assert.equal(moved, 694);
});

test('ignore and replicas beyond host count', () => {
  const ring = new HashRing(HOSTS);
  assert.deepEqual(ring.getHosts('x', 5).sort(), HOSTS);
  assert.deepEqual(ring.getHosts('x', 1, ['cond-a']), ['cond-c']);
  assert.deepEqual(new HashRing([]).getHosts('x'), []);
  assert.equal(new HashRing([]).ownerOf('x'), null);
});

test('rings per conductor group and hardware type', () => {
  const rings = new HashRings([
    { hostname: 'cond-a', conductor_group: '', drivers: ['fake-hardware', 'ipmi'] },
    { hostname: 'cond-b', conductor_group: '', drivers: ['fake-hardware'] },
    { hostname: 'cond-c', conductor_group: '', drivers: ['fake-hardware'] },
    { hostname: 'rack2-a', conductor_group: 'Rack2', drivers: ['fake-hardware'] },
  ]);
  assert.equal(rings.ownerOf({ uuid: 'x', driver: 'fake-hardware', conductor_group: '' }), 'cond-a');
  assert.equal(rings.ownerOf({ uuid: '1be26c0b-03f2-4d2e-ae87-c02d7f33c123', driver: 'fake-hardware', conductor_group: '' }), 'cond-c');
  assert.equal(rings.ownerOf({ uuid: 'anything', driver: 'ipmi', conductor_group: '' }), 'cond-a');
  assert.equal(rings.ownerOf({ uuid: 'anything', driver: 'fake-hardware', conductor_group: 'rack2' }), 'rack2-a');
  assert.equal(rings.ownerOf({ uuid: 'anything', driver: 'redfish', conductor_group: '' }), null);
  assert.equal(rings.ownerOf({ uuid: 'anything', driver: 'fake-hardware', conductor_group: 'nope' }), null);
  assert.ok(rings.groups.has('rack2'));
});
