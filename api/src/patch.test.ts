import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, checkAllowedRoots, parsePatch } from './patch.ts';

test('parsePatch accepts add/replace/remove and rejects the rest', () => {
  assert.equal(parsePatch([{ op: 'add', path: '/extra/a', value: 1 }]).length, 1);
  for (const bad of [
    {},
    [{ op: 'move', path: '/extra/a', from: '/extra/b' }],
    [{ op: 'test', path: '/extra/a', value: 1 }],
    [{ op: 'add', path: '/extra/a.b', value: 1 }],
    [{ op: 'add', path: '/extra//a', value: 1 }],
    [{ op: 'add', path: '/extra/a~1b', value: 1 }],
    [{ op: 'add', path: '/extra/a' }],
    [{ op: 'remove', path: '/extra/a', value: 1, x: 2 }],
    [{ path: '/extra/a' }],
    ['x'],
  ]) {
    assert.throws(() => parsePatch(bad), (e: Error & { status?: number }) => e.status === 400, JSON.stringify(bad));
  }
});

test('applyPatch: nested add/replace/remove, root add refused, missing remove is a PatchError', () => {
  const doc = { extra: { a: 1 }, name: 'n', driver_info: {} };
  const out = applyPatch(doc, parsePatch([
    { op: 'add', path: '/extra/b', value: { c: [1] } },
    { op: 'replace', path: '/extra/a', value: 2 },
    { op: 'remove', path: '/name' },
    { op: 'add', path: '/extra/b/c/-', value: 3 },
  ]));
  assert.deepEqual(out, { extra: { a: 2, b: { c: [1, 3] } }, driver_info: {} });
  assert.deepEqual(doc, { extra: { a: 1 }, name: 'n', driver_info: {} });
  assert.throws(() => applyPatch(doc, parsePatch([{ op: 'add', path: '/nope', value: 1 }])), /Adding a new attribute \(\/nope\)/);
  assert.throws(() => applyPatch(doc, parsePatch([{ op: 'remove', path: '/extra/zz' }])), (e: Error & { code?: string }) => e.code === 'PatchError');
  assert.throws(() => applyPatch(doc, parsePatch([{ op: 'replace', path: '/driver_info/x/y', value: 1 }])), /PatchError|Couldn't apply/);
  assert.throws(() => checkAllowedRoots(parsePatch([{ op: 'replace', path: '/uuid', value: 'x' }]), ['name']), /Cannot patch \/uuid/);
});
