import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BootTraceEvent } from '@anvil/sdk';
import { describeEachEngine } from '../testing.ts';

describeEachEngine('anvil diagnoses, boot trace and lock info', ({ db }) => {
  test('diagnoses: recorded as given, listed oldest first, latest, pruned to the newest', async () => {
    const base = { node_uuid: 'n-1', step: 'deploy.write_image', interface: 'deploy', cause: 'c', hint: 'h', provision_state: 'wait call-back', conductor: 'c1' };
    const a = await db.diagnoses.record({ ...base, code: 'image.unreachable', retryable: false, last_error: 'e1' });
    const b = await db.diagnoses.record({ ...base, code: 'bmc.unreachable', retryable: true, last_error: 'e2' });
    assert.deepEqual((await db.diagnoses.list('n-1')).map((d) => [d.code, d.retryable, d.last_error]), [['image.unreachable', false, 'e1'], ['bmc.unreachable', true, 'e2']]);
    assert.deepEqual(await db.diagnoses.latest('n-1'), b);
    assert.equal(a.step, 'deploy.write_image');
    assert.equal(await db.diagnoses.latest('n-2'), null);
    assert.equal(await db.diagnoses.prune('n-1', 1), 1);
    assert.deepEqual(await db.diagnoses.list('n-1'), [b]);
  });

  test('boot trace: by MACs or node, ordered, ms timestamps, bounded per MAC and node', async () => {
    const t0 = Date.parse('2026-12-01T00:00:00.000Z');
    const ev = (i: number, mac: string | null, node: string | null): BootTraceEvent => ({ mac, node_uuid: node, kind: 'tftp', result: 'ok', detail: `f${i}`, bytes: 10 * i, duration_ms: i, step: null, at: new Date(t0 + i).toISOString() });
    await db.bootTrace.add([ev(1, '52:54:00:00:00:AA', 'n-1'), ev(2, null, 'n-1'), ev(3, '52:54:00:00:00:bb', null), ev(4, '52:54:00:00:00:aa', null)]);
    const byMac = await db.bootTrace.list({ macs: ['52:54:00:00:00:aa'] });
    assert.deepEqual(byMac.map((e) => e.detail), ['f1', 'f4']);
    assert.equal(byMac[0].mac, '52:54:00:00:00:aa', 'stored lower-case');
    assert.equal(byMac[1].at, '2026-12-01T00:00:00.004Z');
    assert.equal(byMac[1].bytes, 40);
    assert.deepEqual((await db.bootTrace.list({ macs: ['52:54:00:00:00:aa'], nodeUuid: 'n-1' })).map((e) => e.detail), ['f1', 'f2', 'f4']);
    assert.deepEqual((await db.bootTrace.list({ nodeUuid: 'n-1', limit: 1 })).map((e) => e.detail), ['f2']);
    assert.deepEqual(await db.bootTrace.list({}), []);
    await db.bootTrace.add([5, 6, 7].map((i) => ev(i, '52:54:00:00:00:aa', null)));
    assert.equal(await db.bootTrace.prune(2), 3, 'aa keeps its newest 2 of 5');
    assert.deepEqual((await db.bootTrace.list({ macs: ['52:54:00:00:00:aa'] })).map((e) => e.detail), ['f6', 'f7']);
    assert.equal((await db.bootTrace.list({ macs: ['52:54:00:00:00:bb'] })).length, 1);
  });

  test('lockInfo: holder and since while reserved, nothing after release; not in node records', async () => {
    const n = await db.nodes.create({ driver: 'fake-hardware' });
    assert.deepEqual(await db.nodes.lockInfo(n.uuid), { reservation: null, reserved_at: null });
    const before = Date.now();
    const reserved = await db.nodes.reserve(n.uuid, 'c9');
    assert.equal('reserved_at' in reserved, false);
    const info = await db.nodes.lockInfo(n.uuid);
    assert.equal(info?.reservation, 'c9');
    assert.ok(Date.parse(info?.reserved_at ?? '') >= before - 5);
    await db.nodes.release(n.uuid, 'c9');
    assert.deepEqual(await db.nodes.lockInfo(n.uuid), { reservation: null, reserved_at: null });
    assert.equal(await db.nodes.lockInfo('00000000-0000-4000-8000-000000000000'), null);
  });
});
