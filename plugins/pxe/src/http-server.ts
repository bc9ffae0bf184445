/** A static HTTP server for iPXE (Ironic's [deploy]http_root served by the operator's web server): GET/HEAD only, inside the root. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { resolveInside } from './safe-path.ts';
import { traceFileRequest } from './trace.ts';

export class StaticHttpServer {
  private server: Server | null = null;
  readonly served: string[] = [];
  port = 0;
  constructor(readonly root: string, readonly host = '127.0.0.1', readonly wantPort = 0) {}

  async start(): Promise<number> {
    const server = createServer(async (req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const started = Date.now();
      res.on('finish', () => {
        const result = res.statusCode === 200 ? 'ok' : res.statusCode === 404 ? 'not_found' : `http_${res.statusCode}`;
        const len = Number(res.getHeader('Content-Length'));
        traceFileRequest('http', path.replace(/^\/+/, ''), result, Number.isFinite(len) ? len : null, Date.now() - started);
      });
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405).end();
        return;
      }
      const file = resolveInside(this.root, path);
      if (!file) {
        res.writeHead(403).end('Forbidden\n');
        return;
      }
      try {
        const st = await stat(file);
        if (!st.isFile()) throw new Error('not a file');
        res.writeHead(200, { 'Content-Length': st.size, 'Content-Type': 'application/octet-stream' });
        this.served.push(path);
        if (req.method === 'HEAD') res.end();
        else createReadStream(file).pipe(res);
      } catch {
        res.writeHead(404).end('Not Found\n');
      }
    });
    this.server = server;
    await new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen(this.wantPort, this.host, () => res());
    });
    server.unref();
    this.port = (server.address() as { port: number }).port;
    return this.port;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    // a client that died mid-download (a machine powered off) never closes its socket: close() alone would wait forever
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
}
