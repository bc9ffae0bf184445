/** startApi: serve createHandler(deps) (the Koa app of createApp and the GET-node cache) on settings.host:settings.port (port 0 → a free port). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHandler } from './app.ts';
import type { ApiDeps } from './context.ts';

export interface RunningApi {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startApi(deps: ApiDeps): Promise<RunningApi> {
  const server = createServer(createHandler(deps));
  server.keepAliveTimeout = 65_000;
  return listen(server, deps.settings.port, deps.settings.host);
}

/** Listen on host:port (0 → a free port); the URL it answers on and a close that also drops kept-alive sockets. */
export async function listen(server: Server, port: number, host: string | undefined): Promise<RunningApi> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
  return {
    server,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
