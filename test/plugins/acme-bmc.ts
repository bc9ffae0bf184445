/**
 * A tiny Acme BMC on 127.0.0.1 speaking the example plugin's made-up HTTP protocol, recording every request.
 * Real HTTP: the acme plugin in the Anvil under test talks to it over loopback.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AcmeBmc {
  address: string; // host:port
  power: 'on' | 'off';
  calls: string[]; // "METHOD /path"
  auth: (string | undefined)[];
  close(): Promise<void>;
}

export async function startAcmeBmc(): Promise<AcmeBmc> {
  const bmc = { power: 'off' as 'on' | 'off', calls: [] as string[], auth: [] as (string | undefined)[] };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      bmc.calls.push(`${req.method} ${req.url}`);
      bmc.auth.push(req.headers.authorization);
      const body = raw ? JSON.parse(raw) : {};
      const json = (status: number, obj?: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(obj === undefined ? '' : JSON.stringify(obj));
      };
      if (req.url === '/power' && req.method === 'GET') return json(200, { state: bmc.power });
      if (req.url === '/power' && req.method === 'PUT') {
        bmc.power = body.state === 'on' ? 'on' : 'off';
        return json(204);
      }
      if (req.url === '/identify' && req.method === 'POST') return json(200, { identifying: true, seconds: body.seconds });
      if (req.url === '/firmware' && req.method === 'GET') return json(200, { version: '7.1.3' });
      if (req.url === '/reset' && req.method === 'POST') return json(204);
      json(404, { error: 'no such endpoint' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(bmc, {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  });
}
