/**
 * WebSocket (RFC 6455) framing and the opening handshake as websockify (ironic-novncproxy's server) answers it:
 * pure functions, no I/O. Server frames are never masked; client frames must be.
 */
import { createHash } from 'node:crypto';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** a frame larger than this is refused (a VNC client never sends one) */
export const MAX_PAYLOAD = 16 * 1024 * 1024;

export const OP = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

export interface Frame {
  fin: boolean;
  opcode: number;
  masked: boolean;
  payload: Buffer;
}

/** Sec-WebSocket-Accept for a Sec-WebSocket-Key. */
export function acceptKey(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

export type Handshake = { ok: true; headers: Record<string, string> } | { ok: false; reason: string };

/**
 * The 101 answer's headers for an upgrade request (header names lower-case), or websockify's reason for a 400:
 * versions 7, 8 and 13; the `binary` subprotocol chosen when offered (noVNC's older clients and tempest ask for it).
 */
export function handshake(headers: Record<string, string | string[] | undefined>): Handshake {
  const h = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  if ((h('upgrade') ?? '').toLowerCase() !== 'websocket') return { ok: false, reason: 'Missing or incorrect upgrade header' };
  const ver = h('sec-websocket-version');
  if (ver === undefined) return { ok: false, reason: 'Missing Sec-WebSocket-Version header' };
  if (!['7', '8', '13'].includes(ver)) return { ok: false, reason: `Unsupported protocol version ${ver}` };
  const key = h('sec-websocket-key');
  if (key === undefined) return { ok: false, reason: 'Missing Sec-WebSocket-Key header' };
  const out: Record<string, string> = { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Accept': acceptKey(key) };
  const offered = (h('sec-websocket-protocol') ?? '').split(',').map((p) => p.trim());
  if (offered.includes('binary')) out['Sec-WebSocket-Protocol'] = 'binary';
  return { ok: true, headers: out };
}

/** One unmasked server frame. */
export function encodeFrame(payload: Buffer, opcode: number = OP.binary): Buffer {
  const n = payload.length;
  let head: Buffer;
  if (n < 126) {
    head = Buffer.from([0x80 | opcode, n]);
  } else if (n < 0x10000) {
    head = Buffer.alloc(4);
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(n, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([head, payload]);
}

/** A close frame with a status code and reason. */
export function closeFrame(code = 1000, reason = ''): Buffer {
  const r = Buffer.from(reason, 'utf8');
  const p = Buffer.alloc(2 + r.length);
  p.writeUInt16BE(code, 0);
  r.copy(p, 2);
  return encodeFrame(p, OP.close);
}

/** A masked client frame (for tests and clients written against this module). */
export function encodeClientFrame(payload: Buffer, mask: Buffer, opcode: number = OP.binary): Buffer {
  const plain = encodeFrame(payload, opcode);
  const headLen = plain.length - payload.length;
  const out = Buffer.alloc(plain.length + 4);
  plain.copy(out, 0, 0, headLen);
  out[1] |= 0x80;
  mask.copy(out, headLen, 0, 4);
  for (let i = 0; i < payload.length; i++) out[headLen + 4 + i] = payload[i] ^ mask[i % 4];
  return out;
}

/**
 * Every complete frame at the start of `buf`, unmasked, and the bytes left over (an incomplete frame).
 * Throws on a payload over MAX_PAYLOAD.
 */
export function decodeFrames(buf: Buffer): { frames: Frame[]; rest: Buffer } {
  const frames: Frame[] = [];
  let at = 0;
  for (;;) {
    if (buf.length - at < 2) break;
    const b0 = buf[at];
    const b1 = buf[at + 1];
    const masked = (b1 & 0x80) !== 0;
    let len = b1 & 0x7f;
    let off = at + 2;
    if (len === 126) {
      if (buf.length - off < 2) break;
      len = buf.readUInt16BE(off);
      off += 2;
    } else if (len === 127) {
      if (buf.length - off < 8) break;
      const big = buf.readBigUInt64BE(off);
      if (big > BigInt(MAX_PAYLOAD)) throw new Error(`WebSocket frame of ${big} bytes is too large`);
      len = Number(big);
      off += 8;
    }
    if (len > MAX_PAYLOAD) throw new Error(`WebSocket frame of ${len} bytes is too large`);
    const maskAt = off;
    if (masked) off += 4;
    if (buf.length - off < len) break;
    const payload = Buffer.from(buf.subarray(off, off + len));
    if (masked) for (let i = 0; i < len; i++) payload[i] ^= buf[maskAt + (i % 4)];
    frames.push({ fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, masked, payload });
    at = off + len;
  }
  return { frames, rest: buf.subarray(at) };
}
