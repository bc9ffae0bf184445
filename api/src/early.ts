/**
 * Fast start: listen before the heavy parts (database, plugins, Koa app) are loaded. Until attach() is called,
 * GET / answers the discovery document and every other request waits for the app. Imports nothing heavy.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Settings } from '@anvil/sdk';
import { versionObject } from './routes/root.ts';
import { MAX_MINOR, settingMaxMinor } from './version.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface EarlyServer {
  server: Server;
  url: string;
  /** Hand the server to the real request handler (e.g. createApp(deps).callback()). */
  attach(handler: Handler): void;
  close(): Promise<void>;
}

export async function startEarly(settings: Settings, maxMinor = settingMaxMinor(settings.api_max_version) ?? MAX_MINOR): Promise<EarlyServer> {
  let handler: Handler | null = null;
  let waiting: (() => void)[] = [];
  const server = createServer((req, res) => {
    if (handler) return handler(req, res);
    if (req.method === 'GET' && (req.url === '/' || req.url === '')) {
      const base = settings.public_url?.replace(/\/+$/, '') ?? `http://${req.headers.host ?? `${settings.host}:${settings.port}`}`;
      const v = versionObject(base, maxMinor);
      const body = JSON.stringify({
        name: 'OpenStack Ironic API',
        description: 'Ironic is an OpenStack project which enables the provision and management of baremetal machines.',
        default_version: v,
        versions: [v],
      });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    // Paused until the app takes over; the app reads the body itself (async iteration works on a paused stream).
    req.pause();
    waiting.push(() => handler!(req, res));
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    server,
    url: `http://${host}:${addr.port}`,
    attach(h) {
      handler = h;
      const queued = waiting;
      waiting = [];
      for (const go of queued) go();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
