/**
 * The RFB protocol (RFC 6143, version 3.8 and the 3.3 security handshake) as bytes: pure encoders and decoders,
 * no I/O. Used by the simulated VNC server (rfb-server.ts) and the noVNC proxy's security negotiation.
 */

export const VERSION_LENGTH = 12;
export const RFB_38 = 'RFB 003.008\n';
export const RFB_33 = 'RFB 003.003\n';

/** security types (RFC 6143 7.1.2; the IANA registry) */
export const SECURITY = { invalid: 0, none: 1, vncAuth: 2 } as const;

/** "RFB 003.008\n" → 3.8; null when the 12 bytes are not a ProtocolVersion message */
export function parseVersion(b: Buffer): number | null {
  const m = /^RFB (\d{3})\.(\d{3})\n$/.exec(b.toString('latin1'));
  return m ? Number(`${Number(m[1])}.${Number(m[2])}`) : null;
}

/** the server's list of security types (3.7+) */
export const securityTypes = (types: number[]): Buffer => Buffer.from([types.length, ...types]);

/** SecurityResult: OK */
export const SECURITY_OK = Buffer.from([0, 0, 0, 0]);

/** a u32 length and the UTF-8 string (reasons, desktop names) */
export function varString(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  const n = Buffer.alloc(4);
  n.writeUInt32BE(b.length, 0);
  return Buffer.concat([n, b]);
}

/** SecurityResult: failed, with a reason (3.8) */
export const securityFailed = (reason: string): Buffer => Buffer.concat([Buffer.from([0, 0, 0, 1]), varString(reason)]);

export interface PixelFormat {
  bitsPerPixel: 8 | 16 | 32;
  depth: number;
  bigEndian: boolean;
  trueColour: boolean;
  redMax: number;
  greenMax: number;
  blueMax: number;
  redShift: number;
  greenShift: number;
  blueShift: number;
}

/** 32 bits per pixel, depth 24, little-endian true colour: what noVNC asks for */
export const DEFAULT_PIXEL_FORMAT: PixelFormat = {
  bitsPerPixel: 32, depth: 24, bigEndian: false, trueColour: true,
  redMax: 255, greenMax: 255, blueMax: 255, redShift: 16, greenShift: 8, blueShift: 0,
};

export function encodePixelFormat(pf: PixelFormat): Buffer {
  const b = Buffer.alloc(16);
  b[0] = pf.bitsPerPixel;
  b[1] = pf.depth;
  b[2] = pf.bigEndian ? 1 : 0;
  b[3] = pf.trueColour ? 1 : 0;
  b.writeUInt16BE(pf.redMax, 4);
  b.writeUInt16BE(pf.greenMax, 6);
  b.writeUInt16BE(pf.blueMax, 8);
  b[10] = pf.redShift;
  b[11] = pf.greenShift;
  b[12] = pf.blueShift;
  return b;
}

export function decodePixelFormat(b: Buffer): PixelFormat {
  const bpp = b[0];
  if (bpp !== 8 && bpp !== 16 && bpp !== 32) throw new Error(`unsupported bits-per-pixel ${bpp}`);
  return {
    bitsPerPixel: bpp, depth: b[1], bigEndian: b[2] !== 0, trueColour: b[3] !== 0,
    redMax: b.readUInt16BE(4), greenMax: b.readUInt16BE(6), blueMax: b.readUInt16BE(8),
    redShift: b[10], greenShift: b[11], blueShift: b[12],
  };
}

/** ServerInit: framebuffer size, pixel format, desktop name */
export function encodeServerInit(width: number, height: number, pf: PixelFormat, name: string): Buffer {
  const wh = Buffer.alloc(4);
  wh.writeUInt16BE(width, 0);
  wh.writeUInt16BE(height, 2);
  return Buffer.concat([wh, encodePixelFormat(pf), varString(name)]);
}

export type ClientMessage =
  | { type: 'SetPixelFormat'; format: PixelFormat }
  | { type: 'SetEncodings'; encodings: number[] }
  | { type: 'FramebufferUpdateRequest'; incremental: boolean; x: number; y: number; width: number; height: number }
  | { type: 'KeyEvent'; down: boolean; key: number }
  | { type: 'PointerEvent'; buttons: number; x: number; y: number }
  | { type: 'ClientCutText'; text: string };

/**
 * The client-to-server message at the start of `b` and its length, or null when more bytes are needed.
 * Throws on an unknown message type (the connection cannot be resynchronised).
 */
export function parseClientMessage(b: Buffer): { msg: ClientMessage; length: number } | null {
  if (b.length < 1) return null;
  const need = (n: number) => b.length >= n;
  switch (b[0]) {
    case 0:
      return need(20) ? { msg: { type: 'SetPixelFormat', format: decodePixelFormat(b.subarray(4, 20)) }, length: 20 } : null;
    case 2: {
      if (!need(4)) return null;
      const n = b.readUInt16BE(2);
      if (!need(4 + 4 * n)) return null;
      const encodings = Array.from({ length: n }, (_, i) => b.readInt32BE(4 + 4 * i));
      return { msg: { type: 'SetEncodings', encodings }, length: 4 + 4 * n };
    }
    case 3:
      return need(10)
        ? { msg: { type: 'FramebufferUpdateRequest', incremental: b[1] !== 0, x: b.readUInt16BE(2), y: b.readUInt16BE(4), width: b.readUInt16BE(6), height: b.readUInt16BE(8) }, length: 10 }
        : null;
    case 4:
      return need(8) ? { msg: { type: 'KeyEvent', down: b[1] !== 0, key: b.readUInt32BE(4) }, length: 8 } : null;
    case 5:
      return need(6) ? { msg: { type: 'PointerEvent', buttons: b[1], x: b.readUInt16BE(2), y: b.readUInt16BE(4) }, length: 6 } : null;
    case 6: {
      if (!need(8)) return null;
      const n = b.readUInt32BE(4);
      if (n > 1024 * 1024) throw new Error(`ClientCutText of ${n} bytes is too large`);
      return need(8 + n) ? { msg: { type: 'ClientCutText', text: b.subarray(8, 8 + n).toString('latin1') }, length: 8 + n } : null;
    }
    default:
      throw new Error(`unknown RFB client message type ${b[0]}`);
  }
}

export type Rgb = readonly [number, number, number];

/** A rectangle of pixels in the client's (true colour) pixel format, painted by `paint(x, y)` → [r, g, b] (0-255). */
export function renderPixels(width: number, height: number, pf: PixelFormat, paint: (x: number, y: number) => Rgb): Buffer {
  if (!pf.trueColour) throw new Error('only true-colour pixel formats are supported');
  const bytes = pf.bitsPerPixel / 8;
  const out = Buffer.alloc(width * height * bytes);
  const scale = (v: number, max: number) => Math.round((v * max) / 255);
  let at = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = paint(x, y);
      const v = ((scale(r, pf.redMax) << pf.redShift) | (scale(g, pf.greenMax) << pf.greenShift) | (scale(b, pf.blueMax) << pf.blueShift)) >>> 0;
      if (bytes === 1) out[at] = v & 0xff;
      else if (bytes === 2) pf.bigEndian ? out.writeUInt16BE(v & 0xffff, at) : out.writeUInt16LE(v & 0xffff, at);
      else pf.bigEndian ? out.writeUInt32BE(v, at) : out.writeUInt32LE(v, at);
      at += bytes;
    }
  }
  return out;
}

/** FramebufferUpdate with raw-encoded (encoding 0) rectangles */
export function encodeFramebufferUpdate(rects: { x: number; y: number; width: number; height: number; pixels: Buffer }[]): Buffer {
  const head = Buffer.alloc(4);
  head[0] = 0; // message type FramebufferUpdate
  head.writeUInt16BE(rects.length, 2);
  const parts: Buffer[] = [head];
  for (const r of rects) {
    const h = Buffer.alloc(12);
    h.writeUInt16BE(r.x, 0);
    h.writeUInt16BE(r.y, 2);
    h.writeUInt16BE(r.width, 4);
    h.writeUInt16BE(r.height, 6);
    h.writeInt32BE(0, 8); // Raw
    parts.push(h, r.pixels);
  }
  return Buffer.concat(parts);
}
