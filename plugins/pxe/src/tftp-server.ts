/**
 * A read-only TFTP server (RFC 1350 + 2347/2348/2349) over node:dgram, serving files inside one root. Each transfer
 * gets its own socket (TID), lock-step DATA/ACK with retransmission; write requests and paths outside the root
 * (.., symlinks out) are refused with ERROR 2 "Access violation".
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { readFile, stat } from 'node:fs/promises';
import { decode, encodeData, encodeError, encodeOack, ERR, negotiate, OP } from './tftp-codec.ts';
import { resolveInside } from './safe-path.ts';
import { traceFileRequest } from './trace.ts';

export interface TftpServerOptions {
  root: string;
  host?: string;
  port?: number;
  /** seconds before a retransmission (client's timeout option overrides) */
  timeoutSec?: number;
  retries?: number;
  log?: (msg: string) => void;
}

export interface TftpTransferLog {
  file: string;
  client: string;
  ok: boolean;
  error?: string;
}

export class TftpServer {
  private socket: Socket | null = null;
  private readonly transfers = new Map<Socket, () => void>();
  readonly served: TftpTransferLog[] = [];
  port = 0;

  constructor(readonly opts: TftpServerOptions) {}

  async start(): Promise<number> {
    const s = createSocket('udp4');
    this.socket = s;
    s.on('message', (msg, rinfo) => void this.onRequest(msg, rinfo));
    s.on('error', (err) => this.opts.log?.(`tftp: ${err.message}`));
    await new Promise<void>((res, rej) => {
      s.once('error', rej);
      s.bind(this.opts.port ?? 69, this.opts.host ?? '127.0.0.1', () => res());
    });
    s.unref();
    this.port = s.address().port;
    return this.port;
  }

  async stop(): Promise<void> {
    for (const abort of [...this.transfers.values()]) abort();
    this.transfers.clear();
    const s = this.socket;
    this.socket = null;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  private record(entry: TftpTransferLog, bytes: number | null = null, started = Date.now()) {
    traceFileRequest('tftp', entry.file, entry.ok ? 'ok' : entry.error === 'not found' ? 'not_found' : 'error', bytes, Date.now() - started, entry.error);
    this.served.push(entry);
    if (this.served.length > 1000) this.served.shift();
  }

  private async onRequest(msg: Buffer, rinfo: RemoteInfo): Promise<void> {
    const reply = (buf: Buffer) => this.socket?.send(buf, rinfo.port, rinfo.address);
    let pkt: ReturnType<typeof decode>;
    try {
      pkt = decode(msg);
    } catch {
      reply(encodeError(ERR.ILLEGAL_OP, 'Illegal TFTP operation'));
      return;
    }
    const client = `${rinfo.address}:${rinfo.port}`;
    if (pkt.op === OP.WRQ) {
      reply(encodeError(ERR.ACCESS, 'Access violation'));
      this.record({ file: pkt.filename, client, ok: false, error: 'write refused' });
      return;
    }
    if (pkt.op !== OP.RRQ) return; // stray packet on the listening port
    const path = resolveInside(this.opts.root, pkt.filename);
    if (!path) {
      this.opts.log?.(`tftp: refused ${JSON.stringify(pkt.filename)} from ${client}: outside the root`);
      reply(encodeError(ERR.ACCESS, 'Access violation'));
      this.record({ file: pkt.filename, client, ok: false, error: 'outside root' });
      return;
    }
    let data: Buffer;
    const started = Date.now();
    try {
      if (!(await stat(path)).isFile()) throw new Error('not a file');
      data = await readFile(path);
    } catch {
      reply(encodeError(ERR.NOT_FOUND, 'File not found'));
      this.record({ file: pkt.filename, client, ok: false, error: 'not found' });
      return;
    }
    const ok = await this.send(data, pkt.options, rinfo);
    this.record({ file: pkt.filename, client, ok: ok === null, error: ok ?? undefined }, data.length, started);
  }

  /** One transfer on its own socket; resolves null on success, else the reason. */
  private send(data: Buffer, options: Record<string, string>, peer: RemoteInfo): Promise<string | null> {
    const { accepted, blksize, timeoutSec } = negotiate(options, data.length);
    const timeoutMs = (timeoutSec ?? this.opts.timeoutSec ?? 1) * 1000;
    const retries = this.opts.retries ?? 5;
    const sock = createSocket('udp4');
    const blocks = Math.floor(data.length / blksize) + 1; // the last block is short (maybe empty)
    return new Promise((resolve) => {
      let current = Object.keys(accepted).length ? 0 : 1; // block 0 = the OACK
      let tries = 0;
      let timer: NodeJS.Timeout | null = null;
      let done = false;
      const finish = (err: string | null) => {
        if (done) return;
        done = true;
        if (timer) clearTimeout(timer);
        this.transfers.delete(sock);
        try {
          sock.close();
        } catch {
          // already closed by stop()
        }
        resolve(err);
      };
      const packet = (n: number) => (n === 0 ? encodeOack(accepted) : encodeData(n, data.subarray((n - 1) * blksize, n * blksize)));
      this.transfers.set(sock, () => finish('server stopped'));
      const transmit = () => {
        if (done) return;
        if (tries++ > retries) return finish('timeout');
        sock.send(packet(current), peer.port, peer.address);
        timer = setTimeout(transmit, timeoutMs);
      };
      sock.on('message', (msg, from) => {
        if (from.port !== peer.port || from.address !== peer.address) {
          sock.send(encodeError(ERR.UNKNOWN_TID, 'Unknown transfer ID'), from.port, from.address);
          return;
        }
        let p: ReturnType<typeof decode>;
        try {
          p = decode(msg);
        } catch {
          return;
        }
        if (p.op === OP.ERROR) return finish(`client error ${p.code}: ${p.message}`);
        if (p.op !== OP.ACK || p.block !== (current & 0xffff)) return; // duplicate ACK: wait for timeout (no Sorcerer's Apprentice)
        if (timer) clearTimeout(timer);
        if (current === blocks) return finish(null);
        current++;
        tries = 0;
        transmit();
      });
      sock.on('error', (err) => finish(err.message));
      sock.bind(0, this.opts.host ?? '127.0.0.1', () => transmit());
    });
  }
}
