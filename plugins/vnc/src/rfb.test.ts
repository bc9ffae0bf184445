/** The RFB codec against the byte layouts of RFC 6143 (and the checks tempest's NoVNCValidateMixin applies). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_PIXEL_FORMAT, RFB_38, SECURITY_OK, decodePixelFormat, encodeFramebufferUpdate, encodePixelFormat, encodeServerInit,
  parseClientMessage, parseVersion, renderPixels, securityFailed, securityTypes,
} from './rfb.ts';

test('ProtocolVersion: 12 bytes, parsed as tempest does (int of bytes 4-7 and 8-11)', () => {
  assert.equal(Buffer.from(RFB_38).length, 12);
  assert.equal(parseVersion(Buffer.from(RFB_38)), 3.8);
  assert.equal(parseVersion(Buffer.from('RFB 003.003\n')), 3.3);
  assert.equal(parseVersion(Buffer.from('RFB 004.001\n')), 4.1);
  assert.equal(parseVersion(Buffer.from('HTTP/1.1 200')), null);
});

test('security messages: type list, OK, failure with reason (RFC 6143 7.1.2, 7.1.3)', () => {
  assert.deepEqual(securityTypes([1]), Buffer.from([1, 1]));
  assert.deepEqual(SECURITY_OK, Buffer.from([0, 0, 0, 0]));
  assert.deepEqual(securityFailed('no'), Buffer.from([0, 0, 0, 1, 0, 0, 0, 2, 0x6e, 0x6f]));
});

test('ServerInit: 24 bytes + name, name length at bytes 20-24 (the shape tempest checks)', () => {
  const b = encodeServerInit(640, 480, DEFAULT_PIXEL_FORMAT, 'fake console');
  assert.equal(b.readUInt16BE(0), 640);
  assert.equal(b.readUInt16BE(2), 480);
  assert.equal(b.length, 24 + b.readUInt32BE(20));
  assert.equal(b.subarray(24).toString(), 'fake console');
  assert.deepEqual(decodePixelFormat(b.subarray(4, 20)), DEFAULT_PIXEL_FORMAT);
  // 32 bpp, depth 24, little-endian, true colour, maxima 255, shifts 16/8/0, 3 padding bytes
  assert.deepEqual(encodePixelFormat(DEFAULT_PIXEL_FORMAT), Buffer.from([32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0]));
});

test('client messages: each type parsed with its length; partial input waits; unknown types refused', () => {
  const spf = Buffer.concat([Buffer.from([0, 0, 0, 0]), encodePixelFormat({ ...DEFAULT_PIXEL_FORMAT, redShift: 0, blueShift: 16 })]);
  assert.deepEqual(parseClientMessage(spf), { msg: { type: 'SetPixelFormat', format: { ...DEFAULT_PIXEL_FORMAT, redShift: 0, blueShift: 16 } }, length: 20 });
  const enc = Buffer.from([2, 0, 0, 2, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x21]);
  assert.deepEqual(parseClientMessage(enc), { msg: { type: 'SetEncodings', encodings: [0, -223] }, length: 12 });
  assert.equal(parseClientMessage(enc.subarray(0, 11)), null);
  assert.deepEqual(parseClientMessage(Buffer.from([3, 1, 0, 0, 0, 0, 2, 128, 1, 224])), {
    msg: { type: 'FramebufferUpdateRequest', incremental: true, x: 0, y: 0, width: 640, height: 480 }, length: 10,
  });
  assert.deepEqual(parseClientMessage(Buffer.from([4, 1, 0, 0, 0, 0, 0xff, 0x0d])), { msg: { type: 'KeyEvent', down: true, key: 0xff0d }, length: 8 });
  assert.deepEqual(parseClientMessage(Buffer.from([5, 1, 0, 10, 0, 20])), { msg: { type: 'PointerEvent', buttons: 1, x: 10, y: 20 }, length: 6 });
  assert.deepEqual(parseClientMessage(Buffer.from([6, 0, 0, 0, 0, 0, 0, 2, 0x68, 0x69, 9])), { msg: { type: 'ClientCutText', text: 'hi' }, length: 10 });
  assert.equal(parseClientMessage(Buffer.alloc(0)), null);
  assert.throws(() => parseClientMessage(Buffer.from([0x7f])), /unknown RFB client message type 127/);
});

test('pixels in the client pixel format, FramebufferUpdate with raw rectangles', () => {
  const red = () => [255, 0, 0] as const;
  assert.deepEqual(renderPixels(1, 1, DEFAULT_PIXEL_FORMAT, red), Buffer.from([0, 0, 255, 0])); // 0x00ff0000 little-endian
  assert.deepEqual(renderPixels(1, 1, { ...DEFAULT_PIXEL_FORMAT, bigEndian: true }, red), Buffer.from([0, 255, 0, 0]));
  const rgb565 = { bitsPerPixel: 16, depth: 16, bigEndian: false, trueColour: true, redMax: 31, greenMax: 63, blueMax: 31, redShift: 11, greenShift: 5, blueShift: 0 } as const;
  assert.deepEqual(renderPixels(1, 1, rgb565, red), Buffer.from([0x00, 0xf8]));
  const u = encodeFramebufferUpdate([{ x: 1, y: 2, width: 1, height: 1, pixels: Buffer.from([1, 2, 3, 4]) }]);
  assert.deepEqual(u, Buffer.from([0, 0, 0, 1, 0, 1, 0, 2, 0, 1, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4]));
});
