/**
 * A small VNC server (RFB 3.8, also 3.7 and 3.3 clients; security type None) standing in for the graphical
 * console of a fake node: it answers the handshake, ServerInit with the desktop name, and a static test card in
 * raw encoding in the client's true-colour pixel format. What Ironic's console containers expose on port 5900,
 * without a container runtime.
 */
import { createServer, type Socket } from 'node:net';
import { ByteQueue } from './byte-queue.ts';
import {
  DEFAULT_PIXEL_FORMAT, RFB_38, SECURITY, SECURITY_OK, encodeFramebufferUpdate, encodeServerInit, parseClientMessage,
  parseVersion, renderPixels, securityFailed, securityTypes, type PixelFormat, type Rgb,
} from './rfb.ts';

export interface RfbServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

export interface RfbServerOptions {
  /** bind address (default 127.0.0.1) */
  host?: string;
  /** 0 (default): a free port */
  port?: number;
  /** ServerInit's desktop name */
  name: string;
  width?: number;
  height?: number;
}

const BARS: Rgb[] = [[192, 192, 192], [192, 192, 0], [0, 192, 192], [0, 192, 0], [192, 0, 192], [192, 0, 0], [0, 0, 192], [16, 16, 16]];

/** a colour-bar test card */
export function testCard(width: number, height: number): (x: number, y: number) => Rgb {
  return (x, y) => {
    if (y < (height * 2) / 3) return BARS[Math.min(BARS.length - 1, Math.floor((x * BARS.length) / width))];
    const v = Math.round((x * 255) / Math.max(1, width - 1));
    return [v, v, v];
  };
}

/** One client session; resolves when the client goes away or breaks the protocol. */
async function session(sock: Socket, o: Required<Omit<RfbServerOptions, 'host' | 'port'>>): Promise<void> {
  const q = new ByteQueue();
  sock.on('data', (d: Buffer) => q.push(d));
  sock.on('close', () => q.close());
  sock.on('error', () => q.close());
  sock.write(RFB_38);
  const version = parseVersion(await q.read(12));
  if (version === null || version < 3.3) throw new Error('not an RFB client');
  if (version >= 3.7) {
    sock.write(securityTypes([SECURITY.none]));
    const chosen = (await q.read(1))[0];
    if (chosen !== SECURITY.none) {
      if (version >= 3.8) sock.write(securityFailed('Only security type None is supported'));
      throw new Error(`client chose security type ${chosen}`);
    }
    if (version >= 3.8) sock.write(SECURITY_OK);
  } else {
    const t = Buffer.alloc(4);
    t.writeUInt32BE(SECURITY.none, 0); // 3.3: the server decides
    sock.write(t);
  }
  await q.read(1); // ClientInit (shared flag): any value, every client sees the same screen
  sock.write(encodeServerInit(o.width, o.height, DEFAULT_PIXEL_FORMAT, o.name));
  let pf: PixelFormat = DEFAULT_PIXEL_FORMAT;
  let sent = false;
  const paint = testCard(o.width, o.height);
  for (;;) {
    const msg = await q.readMessage(parseClientMessage);
    if (msg.type === 'SetPixelFormat') {
      pf = msg.format;
      sent = false; // the next request gets the whole screen in the new format
    } else if (msg.type === 'FramebufferUpdateRequest' && (!msg.incremental || !sent)) {
      // the screen never changes: a full update for a non-incremental request; incremental ones wait forever
      sock.write(encodeFramebufferUpdate([{ x: 0, y: 0, width: o.width, height: o.height, pixels: renderPixels(o.width, o.height, pf, paint) }]));
      sent = true;
    }
  }
}

export function startRfbServer(opts: RfbServerOptions): Promise<RfbServer> {
  const o = { name: opts.name, width: opts.width ?? 640, height: opts.height ?? 480 };
  const sockets = new Set<Socket>();
  const server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    session(sock, o)
      .catch(() => undefined)
      .finally(() => sock.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.unref(); // a console left enabled never keeps the process alive
      const addr = server.address();
      if (!addr || typeof addr === 'string') return reject(new Error('no address'));
      resolve({
        host: opts.host ?? '127.0.0.1',
        port: addr.port,
        close: () =>
          new Promise<void>((res) => {
            for (const s of sockets) s.destroy();
            server.close(() => res());
          }),
      });
    });
  });
}
