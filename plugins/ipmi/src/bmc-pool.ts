/**
 * One native IPMI client per BMC (address, port, user, credentials, privilege, suite), shared across tasks so
 * power sync reuses the open RMCP+ session, all on one UDP socket per local address. Loopback BMCs are reached
 * from a socket bound to 127.0.0.1, everything else from the wildcard address.
 */
import { createHash } from 'node:crypto';
import { IpmiClient, type PrivilegeName, UdpTransport } from 'ipmi-lan-ts';
import type { IpmiDriverInfo } from './driver-info.ts';

export interface PoolSettings {
  /** per-attempt timeout, seconds */
  attemptTimeout: number;
  retries: number;
  /** idle seconds before a keep-alive on an open session */
  keepAlive: number;
}

const transports = new Map<string, Promise<UdpTransport>>();
const clients = new Map<string, IpmiClient>();

const isLoopback = (host: string) => /^127\./.test(host) || host === 'localhost' || host === '::1';

function transportFor(host: string): Promise<UdpTransport> {
  const bind = isLoopback(host) ? (host === '::1' ? '::1' : '127.0.0.1') : host.includes(':') ? '::' : '0.0.0.0';
  let t = transports.get(bind);
  if (!t) {
    t = UdpTransport.open({ bindAddress: bind });
    transports.set(bind, t);
    t.catch(() => transports.delete(bind));
  }
  return t;
}

export async function clientFor(info: IpmiDriverInfo, s: PoolSettings): Promise<IpmiClient> {
  // the key holds a digest of the secrets, never the secrets themselves
  const secret = createHash('sha256').update(`${info.password}\0${info.kg ?? ''}`).digest('hex').slice(0, 16);
  const key = [info.address, info.port, info.username, secret, info.privLevel, info.cipherSuite].join('|');
  let c = clients.get(key);
  if (!c) {
    c = new IpmiClient({
      host: info.address,
      port: info.port,
      username: info.username,
      password: info.password,
      kg: info.kg,
      privilege: info.privLevel.toLowerCase() as PrivilegeName,
      cipherSuite: info.cipherSuite,
      timeoutMs: Math.round(s.attemptTimeout * 1000),
      retries: s.retries,
      keepAliveMs: Math.round(s.keepAlive * 1000),
      transport: await transportFor(info.address),
    });
    clients.set(key, c);
  }
  return c;
}

/** Close every session and socket (shutdown, tests). */
export async function closeAll(): Promise<void> {
  const all = [...clients.values()];
  clients.clear();
  await Promise.all(all.map((c) => c.close().catch(() => undefined)));
  const ts = [...transports.values()];
  transports.clear();
  for (const t of ts) await (await t).close();
}
