/**
 * The noVNC proxy (Ironic's ironic-novncproxy, websockify underneath) on its own port: GET serves the noVNC page
 * and scripts from `webDir` (files only, no listings); a WebSocket upgrade to `/websockify?node=<uuid>&token=<t>`
 * is checked against the node's console token (and Origin against Host), then connected to the node's
 * `vnc_host`:`vnc_port`, the RFB security negotiated as Ironic's security proxy does, and the bytes piped both
 * ways (VNC server bytes → binary frames; the browser's frames → the VNC server).
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { ByteQueue } from './byte-queue.ts';
import { negotiateSecurity } from './security-proxy.ts';
import { tokenValid } from './token.ts';
import { OP, closeFrame, decodeFrames, encodeFrame, handshake } from './websocket.ts';

export interface ConsoleNode {
  uuid: string;
  driver_internal_info: Record<string, unknown>;
}

export interface NovncProxyOptions {
  host: string;
  /** 0: a free port */
  port: number;
  /** the noVNC files (vnc_novnc_web) */
  webDir: string;
  /** the node by UUID, null when there is none */
  getNode(uuid: string): Promise<ConsoleNode | null>;
  /** vnc_token_timeout, seconds */
  tokenTimeout: number;
  /** vnc_novnc_auth_schemes */
  authSchemes?: readonly string[];
  /** Origin host names accepted besides the Host header's (Ironic: [cors]allowed_origin) */
  allowedOrigins?: readonly string[];
  log?: (msg: string) => void;
}

export interface NovncProxy {
  url: string;
  port: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ico': 'image/x-icon', '.json': 'application/json', '.mp3': 'audio/mpeg', '.oga': 'audio/ogg', '.txt': 'text/plain',
};

/** http.server's send_error body */
function sendError(res: ServerResponse, code: number, message: string): void {
  const body = `<!DOCTYPE HTML>\n<html lang="en">\n<head><title>Error response</title></head>\n<body>\n<h1>Error response</h1>\n<p>Error code: ${code}</p>\n<p>Message: ${message}.</p>\n</body>\n</html>\n`;
  res.writeHead(code, message, { 'Content-Type': 'text/html;charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function serveFile(webDir: string, req: IncomingMessage, res: ServerResponse) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 501, `Unsupported method ('${req.method}')`);
  const raw = req.url ?? '/';
  if (raw.startsWith('//')) return sendError(res, 400, 'URI must not start with //');
  let path: string;
  try {
    path = decodeURIComponent(raw.split(/[?#]/)[0]);
  } catch {
    return sendError(res, 404, 'File not found');
  }
  const root = normalize(webDir + sep);
  const file = normalize(join(root, path));
  if (!file.startsWith(root)) return sendError(res, 404, 'File not found');
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(file);
  } catch {
    return sendError(res, 404, 'File not found');
  }
  if (!st.isFile()) return sendError(res, 404, 'File not found'); // file_only: no directory listings
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': st.size, 'Last-Modified': st.mtime.toUTCString() });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(1, hostHeader.indexOf(']'));
  return hostHeader.split(':')[0];
}

/** the Origin check of Ironic's IronicProxyRequestHandler (no Origin: a non-browser client, allowed) */
function originAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  const hostname = u.hostname.replace(/^\[|\]$/g, '');
  const scheme = String(req.headers['x-forwarded-proto'] ?? u.protocol.replace(/:$/, ''));
  if (!hostname || !scheme) return false;
  return [...allowed, hostnameOf(String(req.headers.host ?? ''))].includes(hostname);
}

async function proxySession(o: NovncProxyOptions, req: IncomingMessage, ws: Socket, head: Buffer): Promise<void> {
  const log = o.log ?? (() => undefined);
  const tenantQ = new ByteQueue();
  let pending = head;
  let piping: Socket | null = null;
  let target: Socket | null = null;
  const onFrames = (chunk: Buffer) => {
    let frames: ReturnType<typeof decodeFrames>['frames'];
    try {
      ({ frames, rest: pending } = decodeFrames(Buffer.concat([pending, chunk])));
    } catch (err) {
      log(`novncproxy: ${(err as Error).message}`);
      return void ws.destroy();
    }
    for (const f of frames) {
      if (f.opcode === OP.close) {
        ws.end(closeFrame(f.payload.length >= 2 ? f.payload.readUInt16BE(0) : 1000));
        target?.end();
        return;
      }
      if (f.opcode === OP.ping) ws.write(encodeFrame(f.payload, OP.pong));
      else if (f.opcode === OP.binary || f.opcode === OP.text || f.opcode === OP.continuation) {
        if (piping) piping.write(f.payload);
        else tenantQ.push(f.payload);
      }
    }
  };
  ws.on('data', onFrames);
  ws.on('close', () => {
    tenantQ.close();
    target?.destroy();
  });
  ws.on('error', () => ws.destroy());
  onFrames(Buffer.alloc(0));

  const q = new URL(req.url ?? '/', 'http://proxy').searchParams;
  const token = q.get('token') ?? '';
  const uuid = q.get('node') ?? '';
  const node = uuid ? await o.getNode(uuid).catch(() => null) : null;
  if (!node || !tokenValid(node.driver_internal_info ?? {}, token, Date.now(), o.tokenTimeout)) {
    log(`novncproxy: refused a console connection for node ${uuid || '(none)'}: not authorized`);
    return void ws.end(); // after the 101 has gone out (websockify closes the socket)
  }
  if (!originAllowed(req, o.allowedOrigins ?? [])) {
    log(`novncproxy: refused a console connection for node ${uuid}: Origin header does not match this host`);
    return void ws.end();
  }
  const vncHost = String(node.driver_internal_info.vnc_host ?? '');
  const vncPort = Number(node.driver_internal_info.vnc_port);
  const hostQ = new ByteQueue();
  const tsock = connect({ host: vncHost, port: vncPort });
  target = tsock;
  tsock.on('data', (d: Buffer) => (piping ? ws.write(encodeFrame(d)) : hostQ.push(d)));
  tsock.on('close', () => {
    hostQ.close();
    if (!ws.destroyed) ws.end(closeFrame(1000, 'Target closed'));
  });
  tsock.on('error', (err) => {
    log(`novncproxy: ${vncHost}:${vncPort}: ${err.message}`);
    tsock.destroy();
  });
  try {
    await negotiateSecurity(
      { read: (n) => tenantQ.read(n), write: (b) => ws.write(encodeFrame(b)) },
      { read: (n) => hostQ.read(n), write: (b) => tsock.write(b) },
      o.authSchemes ?? ['none'],
    );
  } catch (err) {
    log(`novncproxy: security proxying for node ${uuid} failed: ${(err as Error).message}`);
    tsock.end();
    ws.end();
    return;
  }
  // normal proxying: first what either side sent while the security was negotiated
  const early = tenantQ.take();
  if (early.length) tsock.write(early);
  const fromHost = hostQ.take();
  if (fromHost.length) ws.write(encodeFrame(fromHost));
  piping = tsock;
}

export function startNovncProxy(o: NovncProxyOptions): Promise<NovncProxy> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => serveFile(o.webDir, req, res));
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const hs = handshake(req.headers);
    if (!hs.ok) {
      socket.end(`HTTP/1.1 400 ${hs.reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    socket.write(`HTTP/1.1 101 Switching Protocols\r\n${Object.entries(hs.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
    proxySession(o, req, socket, head).catch((err) => {
      o.log?.(`novncproxy: ${(err as Error).message}`);
      socket.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      const addr = server.address();
      if (!addr || typeof addr === 'string') return reject(new Error('no address'));
      const h = o.host.includes(':') ? `[${o.host}]` : o.host;
      resolve({
        url: `http://${h}:${addr.port}`,
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
