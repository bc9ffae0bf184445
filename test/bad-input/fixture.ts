/**
 * The bad-input fixture, built through the API of one server plus its backdoor (an active node with an instance,
 * a node locked by another conductor): used by bad-input.test.ts on Anvil and by the differential replay on Anvil
 * and real Ironic. `snapshot` is everything a client can see, for before/after comparison.
 */
import assert from 'node:assert/strict';
import type { Backdoor } from '../contract/fixture.ts';
import type { Fixture } from './cases.ts';

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

export async function setupBadInput(call: Call, db: Pick<Backdoor, 'setNode' | 'reserve'>): Promise<Fixture> {
  const ok = async (method: string, path: string, body?: unknown) => {
    const r = await call(method, path, body);
    assert.ok(r.status < 300, `${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const ch = await ok('POST', '/v1/chassis', { description: 'fixture chassis' });
  const n = await ok('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'fixture', chassis_uuid: ch.uuid, extra: { keep: true } });
  const o = await ok('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'other' });
  const busy = await ok('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'busy' });
  await db.setNode(busy.uuid, { provision_state: 'active', instance_uuid: '0d9f6c0e-3f0a-4d5e-9a4b-6f1e2d3c4b5a' });
  const locked = await ok('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'locked' });
  const lockedPort = await ok('POST', '/v1/ports', { node_uuid: locked.uuid, address: '52:54:00:00:00:03' });
  await db.reserve(locked.uuid, 'other-conductor');
  await ok('POST', '/v1/portgroups', { node_uuid: n.uuid, name: 'bond-a' });
  const pgB = await ok('POST', '/v1/portgroups', { node_uuid: o.uuid, name: 'bond-b' });
  const p = await ok('POST', '/v1/ports', { node_uuid: n.uuid, address: '52:54:00:00:00:01' });
  await ok('POST', '/v1/ports', { node_uuid: o.uuid, address: '52:54:00:00:00:02' });
  await ok('PUT', `/v1/nodes/${n.uuid}/traits`, { traits: ['CUSTOM_FIXTURE'] });
  return {
    node: n.uuid, nodeName: 'fixture', other: o.uuid, busy: busy.uuid, locked: locked.uuid, lockedPort: lockedPort.uuid, port: p.uuid, portMac: '52:54:00:00:00:01',
    otherPortMac: '52:54:00:00:00:02', portgroupOther: pgB.uuid, chassis: ch.uuid,
  };
}

/** Everything a client can see, for before/after comparison. */
export async function snapshot(call: Call, f: Fixture): Promise<string> {
  const parts = await Promise.all(
    ['/v1/nodes/detail', '/v1/ports/detail', '/v1/portgroups/detail', '/v1/chassis/detail', `/v1/nodes/${f.node}/traits`].map((p) => call('GET', p).then((r) => r.body)),
  );
  return JSON.stringify(parts);
}
