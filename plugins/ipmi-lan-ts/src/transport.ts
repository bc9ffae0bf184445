/**
 * One UDP socket carrying many BMC sessions. Each pending request registers a matcher for its remote; every
 * datagram from that remote is offered to the matchers until one claims it. Per-request retries and timeouts live
 * here. Datagrams nobody claims (garbage, late duplicates, strangers) are counted and dropped, never thrown.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { IpmiClosedError, IpmiError, IpmiMalformedError, IpmiTimeoutError } from './errors.ts';

export interface Remote {
  host: string;
  port: number;
}

export interface Exchange<T> {
  /** Packet for attempt n (0-based); rebuilt per attempt so session sequence numbers advance. */
  build(attempt: number): Buffer;
  /**
   * Offered every datagram from the remote: return a value to finish, undefined when it is not the answer.
   * Throwing an IpmiMalformedError counts as "not mine"; any other IpmiError fails the request.
   */
  match(datagram: Buffer): T | undefined;
}

export interface ExchangeOptions {
  timeoutMs: number;
  retries: number;
  /** what is being asked, for the timeout message */
  what: string;
}

interface Waiter {
  match(d: Buffer): boolean;
  fail(e: Error): void;
}

const keyOf = (r: Remote) => `${r.host}|${r.port}`;

export interface TransportOptions {
  /** local address to bind; 127.0.0.1 in tests, 0.0.0.0 / :: in production */
  bindAddress?: string;
  bindPort?: number;
  family?: 'udp4' | 'udp6';
}

export class UdpTransport {
  readonly stats = { sent: 0, received: 0, dropped: 0 };
  private readonly waiters = new Map<string, Set<Waiter>>();
  private pending = 0;
  private closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('message', (msg, rinfo) => this.onMessage(msg, { host: rinfo.address, port: rinfo.port }));
    socket.on('error', () => {
      // ICMP errors surface here on some platforms; requests time out and retry on their own.
    });
    socket.unref();
  }

  static open(opts: TransportOptions = {}): Promise<UdpTransport> {
    const family = opts.family ?? (opts.bindAddress && isIPv6(opts.bindAddress) ? 'udp6' : 'udp4');
    const socket = createSocket({ type: family });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(opts.bindPort ?? 0, opts.bindAddress, () => {
        socket.off('error', reject);
        resolve(new UdpTransport(socket));
      });
    });
  }

  address(): Remote {
    const a = this.socket.address();
    return { host: a.address, port: a.port };
  }

  /** Send without waiting for an answer (RAKP 3 with an error status, ASF acks). */
  send(remote: Remote, packet: Buffer): void {
    if (this.closed) return;
    this.stats.sent++;
    this.socket.send(packet, remote.port, remote.host);
  }

  request<T>(remote: Remote, ex: Exchange<T>, opts: ExchangeOptions): Promise<T> {
    if (this.closed) return Promise.reject(new IpmiClosedError('the IPMI transport is closed'));
    const key = keyOf(remote);
    const attempts = opts.retries + 1;
    return new Promise<T>((resolve, reject) => {
      let attempt = 0;
      let timer: NodeJS.Timeout | undefined;
      const finish = () => {
        if (timer) clearTimeout(timer);
        const set = this.waiters.get(key);
        set?.delete(waiter);
        if (set && set.size === 0) this.waiters.delete(key);
        if (--this.pending === 0) this.socket.unref();
      };
      const waiter: Waiter = {
        match: (d) => {
          let value: T | undefined;
          try {
            value = ex.match(d);
          } catch (e) {
            if (e instanceof IpmiMalformedError || !(e instanceof IpmiError)) return false;
            finish();
            reject(e);
            return true;
          }
          if (value === undefined) return false;
          finish();
          resolve(value);
          return true;
        },
        fail: (e) => {
          finish();
          reject(e);
        },
      };
      const fire = () => {
        if (attempt >= attempts) {
          finish();
          reject(
            new IpmiTimeoutError(
              `BMC ${remote.host}:${remote.port} did not answer ${opts.what} after ${attempts} attempts ` +
                `(${opts.timeoutMs} ms each): check that the address and port are right, that IPMI over LAN is ` +
                'enabled on the BMC, and that UDP can reach it',
              attempts,
            ),
          );
          return;
        }
        let packet: Buffer;
        try {
          packet = ex.build(attempt);
        } catch (e) {
          finish();
          reject(e);
          return;
        }
        attempt++;
        this.stats.sent++;
        this.socket.send(packet, remote.port, remote.host);
        timer = setTimeout(fire, opts.timeoutMs);
      };
      let set = this.waiters.get(key);
      if (!set) this.waiters.set(key, (set = new Set()));
      set.add(waiter);
      if (this.pending++ === 0) this.socket.ref();
      fire();
    });
  }

  private onMessage(msg: Buffer, from: Remote): void {
    this.stats.received++;
    const set = this.waiters.get(keyOf(from));
    if (set) {
      for (const w of [...set]) {
        if (w.match(msg)) return;
      }
    }
    this.stats.dropped++;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    for (const set of this.waiters.values()) {
      for (const w of [...set]) w.fail(new IpmiClosedError('the IPMI transport was closed while a request was in flight'));
    }
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
