/**
 * A recording HTTP proxy for tests: sits between the bridge and the API (Anvil or Ironic), forwards every
 * request unchanged (streaming, so SSE passes through) and keeps each request's method, path, headers and body.
 * Real Ironic and Anvil mask instance_info.configdrive, so tests read the drive from the recorded request.
 */
import { type IncomingHttpHeaders, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status?: number;
}

/** `before` runs before a request is forwarded (e.g. to change the API's state at an exact moment). */
export async function startRecordingProxy(target: string, before?: (r: Recorded) => Promise<void>) {
  const t = new URL(target);
  const log: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const rec: Recorded = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      log.push(rec);
      if (before) await before(rec).catch(() => {});
      const up = request(
        { host: t.hostname, port: t.port, method: req.method, path: req.url, headers: { ...req.headers, host: t.host } },
        (r) => {
          rec.status = r.statusCode;
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on('error', (e) => {
        res.writeHead(502);
        res.end(String(e));
      });
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    log,
    find: (method: string, re: RegExp) => log.filter((r) => r.method === method && re.test(r.path)),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
