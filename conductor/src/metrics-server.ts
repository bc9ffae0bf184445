/**
 * The conductor process's own operations endpoint (`anvil conductor --set metrics_port=N`): GET /metrics
 * (Prometheus text of this process), /healthz (alive) and /readyz (the database answers and this conductor's
 * heartbeat is recent). Plain node:http on settings.host; anything else is 404.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from '@anvil/db';
import { metricsRegistry, watchDatabase } from './metrics.ts';

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

async function ready(db: Database, hostname: string, heartbeatTimeout: number): Promise<Record<string, string>> {
  const checks: Record<string, string> = {};
  try {
    await db.knex.raw('select 1');
    checks.database = 'ok';
  } catch (err) {
    checks.database = `failed: ${(err as Error).message}`;
  }
  try {
    const alive = (await db.conductors.listAlive(heartbeatTimeout)).some((c) => c.hostname === hostname);
    checks.heartbeat = alive ? 'ok' : `failed: ${hostname} has no recent heartbeat`;
  } catch (err) {
    checks.heartbeat = `failed: ${(err as Error).message}`;
  }
  return checks;
}

export async function startMetricsServer(opts: { host: string; port: number; db: Database; hostname: string; heartbeatTimeout: number }): Promise<MetricsServer> {
  watchDatabase(opts.db, opts.heartbeatTimeout);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'Content-Type': type });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed\n');
    if (path === '/healthz') return send(200, 'application/json', '{"status":"ok"}');
    if (path === '/readyz') {
      ready(opts.db, opts.hostname, opts.heartbeatTimeout).then((checks) => {
        const ok = Object.values(checks).every((v) => v === 'ok');
        send(ok ? 200 : 503, 'application/json', JSON.stringify({ status: ok ? 'ok' : 'not ready', checks }));
      });
      return;
    }
    if (path === '/metrics') {
      metricsRegistry.metrics().then(
        (text) => send(200, metricsRegistry.contentType, text),
        (err) => send(500, 'text/plain', `${(err as Error).message}\n`),
      );
      return;
    }
    send(404, 'text/plain', 'not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
