/** WebSocket framing and handshake: RFC 6455's own examples, websockify's choices, round trips through the codec. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_PAYLOAD, OP, acceptKey, closeFrame, decodeFrames, encodeClientFrame, encodeFrame, handshake } from './websocket.ts';

test('Sec-WebSocket-Accept: RFC 6455 section 1.3 example, and the key tempest sends', () => {
  assert.equal(acceptKey('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  assert.equal(acceptKey('x3JJHMbDL1EzLkh9GBhXDw=='), 'HSmrc0sMlYUkAGmm5OPpG2HaGWk=');
});

test('handshake: 101 headers, binary subprotocol chosen when offered, websockify reasons for a 400', () => {
  const base = { upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' };
  assert.deepEqual(handshake(base), { ok: true, headers: { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Accept': 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=' } });
  const bin = handshake({ ...base, 'sec-websocket-protocol': 'base64, binary' });
  assert.equal(bin.ok && bin.headers['Sec-WebSocket-Protocol'], 'binary');
  assert.deepEqual(handshake({ ...base, upgrade: 'h2c' }), { ok: false, reason: 'Missing or incorrect upgrade header' });
  assert.deepEqual(handshake({ ...base, 'sec-websocket-version': '12' }), { ok: false, reason: 'Unsupported protocol version 12' });
  assert.deepEqual(handshake({ upgrade: 'websocket', 'sec-websocket-version': '13' }), { ok: false, reason: 'Missing Sec-WebSocket-Key header' });
});

test('RFC 6455 5.7 examples: unmasked and masked "Hello", 256 and 64 KiB payload lengths', () => {
  assert.deepEqual(encodeFrame(Buffer.from('Hello'), OP.text), Buffer.from([0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]));
  const masked = Buffer.from([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]);
  assert.deepEqual(encodeClientFrame(Buffer.from('Hello'), Buffer.from([0x37, 0xfa, 0x21, 0x3d]), OP.text), masked);
  const { frames, rest } = decodeFrames(masked);
  assert.equal(rest.length, 0);
  assert.deepEqual(frames.map((f) => [f.fin, f.opcode, f.masked, f.payload.toString()]), [[true, OP.text, true, 'Hello']]);
  assert.deepEqual(encodeFrame(Buffer.alloc(256)).subarray(0, 4), Buffer.from([0x82, 0x7e, 0x01, 0x00]));
  assert.deepEqual(encodeFrame(Buffer.alloc(65536)).subarray(0, 10), Buffer.from([0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0]));
});

test('decodeFrames: frames split anywhere come out whole, the incomplete tail is kept', () => {
  const mask = Buffer.from([7, 2, 1, 9]);
  const payloads = [Buffer.from('RFB 003.008\n'), Buffer.alloc(300, 0xab), Buffer.alloc(70_000, 0x5c)];
  const wire = Buffer.concat(payloads.map((p) => encodeClientFrame(p, mask)));
  for (const cut of [1, 2, 13, 20, 340, wire.length - 1]) {
    const a = decodeFrames(wire.subarray(0, cut));
    const b = decodeFrames(Buffer.concat([a.rest, wire.subarray(cut)]));
    assert.deepEqual([...a.frames, ...b.frames].map((f) => f.payload), payloads, `cut at ${cut}`);
    assert.equal(b.rest.length, 0);
  }
});

test('close frame carries the status code; oversized frames are refused', () => {
  assert.deepEqual(closeFrame(1000, 'bye'), Buffer.from([0x88, 5, 0x03, 0xe8, 0x62, 0x79, 0x65]));
  const huge = Buffer.from([0x82, 0x7f, 0, 0, 0, 0, 0x7f, 0, 0, 0]);
  assert.ok(MAX_PAYLOAD < 0x7f000000);
  assert.throws(() => decodeFrames(huge), /too large/);
});
