import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnvilError, NodeLocked, RPC_VERSION } from '@anvil/sdk';
import {
  UNSUPPORTED_VERSION,
  checkTopic,
  compatible,
  decodeReply,
  decodeRequest,
  encode,
  errorReply,
  replyOutcome,
  resultReply,
} from './kafka-envelope.ts';

const raw = (o: unknown) => Buffer.from(JSON.stringify(o));

test('a request of our version decodes; missing args become {}', () => {
  const d = decodeRequest(encode({ v: RPC_VERSION, id: 'a', method: 'do_it', args: { x: 1 }, sent_at: 1 }));
  assert.equal(d.kind, 'ok');
  if (d.kind === 'ok') assert.deepEqual(d.env.args, { x: 1 });
  const e = decodeRequest(raw({ v: '1.7', id: 'b', method: 'm', sent_at: 1 }));
  assert.equal(e.kind, 'ok', 'a newer minor version of the same major is accepted');
  if (e.kind === 'ok') assert.deepEqual(e.env.args, {});
});

test('an unknown major version is refused with a clear UnsupportedVersion error', () => {
  for (const v of ['2.0', '0.9', '', 7, null, undefined]) {
    const d = decodeRequest(raw({ v, id: 'c', method: 'm', args: {}, reply_to: 'r', sent_at: 1 }));
    assert.equal(d.kind, 'refuse', `version ${String(v)}`);
    if (d.kind !== 'refuse') continue;
    assert.equal(d.error.code, UNSUPPORTED_VERSION);
    assert.equal(d.error.status, 500);
    assert.match(d.error.message, /not supported/);
    assert.match(d.error.message, new RegExp(`major version ${RPC_VERSION.split('.')[0]}`));
    assert.equal(d.env.reply_to, 'r', 'the refusal can still be answered');
  }
});

test('bad method or args are refused (400); unreadable messages are garbage', () => {
  const noMethod = decodeRequest(raw({ v: RPC_VERSION, id: 'd', args: {}, sent_at: 1 }));
  assert.equal(noMethod.kind, 'refuse');
  if (noMethod.kind === 'refuse') assert.equal(noMethod.error.status, 400);
  const arrayArgs = decodeRequest(raw({ v: RPC_VERSION, id: 'd', method: 'm', args: [1], sent_at: 1 }));
  assert.equal(arrayArgs.kind, 'refuse');
  for (const bad of [null, Buffer.alloc(0), Buffer.from('{nope'), raw([1, 2]), raw({ v: RPC_VERSION, method: 'm' })]) {
    assert.equal(decodeRequest(bad).kind, 'garbage');
  }
});

test('compatible compares major versions only', () => {
  assert.equal(compatible('1.0', '1.3'), true);
  assert.equal(compatible('1.12', '1.0'), true);
  assert.equal(compatible('2.0', '1.0'), false);
  assert.equal(compatible('10.0', '1.0'), false);
});

test('errors keep their code and status across the wire; other errors become 500', () => {
  const wire = decodeReply(encode(errorReply('e', new NodeLocked('Node abc is locked by host h1'))));
  assert.ok(wire);
  const out = replyOutcome(wire);
  assert.equal(out.ok, false);
  if (!out.ok) {
    assert.ok(out.error instanceof AnvilError);
    assert.equal(out.error.code, 'NodeLocked');
    assert.equal(out.error.status, 409);
    assert.equal(out.error.message, 'Node abc is locked by host h1');
  }
  const plain = replyOutcome(errorReply('f', new TypeError('x is not a function')));
  assert.equal(plain.ok, false);
  if (!plain.ok) assert.deepEqual([plain.error.code, plain.error.status, plain.error.message], ['AnvilError', 500, 'x is not a function']);
});

test('results round-trip; undefined becomes null; a reply of another major version is an error', () => {
  const ok = replyOutcome(decodeReply(encode(resultReply('g', { a: [1, 'b'] })))!);
  assert.deepEqual(ok, { ok: true, result: { a: [1, 'b'] } });
  assert.deepEqual(replyOutcome(resultReply('h', undefined)), { ok: true, result: null });
  const future = replyOutcome({ v: '3.1', id: 'i', ok: true, result: 1 });
  assert.equal(future.ok, false);
  if (!future.ok) assert.equal(future.error.code, UNSUPPORTED_VERSION);
  assert.equal(decodeReply(Buffer.from('garbage')), null);
  assert.equal(decodeReply(raw({ no: 'id' })), null);
});

test('topic names follow Kafka rules', () => {
  checkTopic('anvil.conductor.host-1_a');
  for (const bad of ['', '.', '..', 'a b', 'a/b', 'x'.repeat(250), 'héllo']) {
    assert.throws(() => checkTopic(bad), (e: unknown) => AnvilError.is(e) && e.status === 400, JSON.stringify(bad));
  }
});
