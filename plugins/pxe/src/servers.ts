/**
 * The built-in TFTP and iPXE HTTP servers, one of each per root and port in this process, started on first use by
 * the boot interfaces (pxe_tftp_server / pxe_http_server settings) and kept until the process ends (sockets unref'd).
 */
import { mkdirSync } from 'node:fs';
import { StaticHttpServer } from './http-server.ts';
import type { PxeSettings } from './settings.ts';
import { TftpServer } from './tftp-server.ts';

const tftp = new Map<string, Promise<TftpServer>>();
const http = new Map<string, Promise<StaticHttpServer>>();

export function ensureTftp(s: PxeSettings, log?: (m: string) => void): Promise<TftpServer> | null {
  if (!s.tftpServer) return null;
  const key = `${s.tftpRoot}|${s.tftpHost}|${s.tftpPort}`;
  let p = tftp.get(key);
  if (!p) {
    mkdirSync(s.tftpRoot, { recursive: true });
    const server = new TftpServer({ root: s.tftpRoot, host: s.tftpHost, port: s.tftpPort, log });
    p = server.start().then(() => server);
    p.catch(() => tftp.delete(key));
    tftp.set(key, p);
  }
  return p;
}

export function ensureHttp(s: PxeSettings): Promise<StaticHttpServer> | null {
  if (!s.httpServer) return null;
  const key = `${s.httpRoot}|${s.tftpHost}|${s.httpPort}`;
  let p = http.get(key);
  if (!p) {
    mkdirSync(s.httpRoot, { recursive: true });
    const server = new StaticHttpServer(s.httpRoot, s.tftpHost, s.httpPort);
    p = server.start().then(() => server);
    p.catch(() => http.delete(key));
    http.set(key, p);
  }
  return p;
}

/** Stop every server this process started (tests, shutdown). */
export async function stopServers(): Promise<void> {
  const all = [...tftp.values(), ...http.values()];
  tftp.clear();
  http.clear();
  for (const p of all) await p.then((s) => s.stop()).catch(() => undefined);
}
