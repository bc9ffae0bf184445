/**
 * One RMCP+ session with one BMC, as a small state machine:
 *   idle → (auth caps) → (open session, suite by suite) → rakp1/2 → rakp3/4 → (set privilege) → active → closed
 * Requests inside the session are serialised (one in flight), carry increasing session sequence numbers, and are
 * retried by the transport. A keep-alive timer sends Get Device ID when the session has been idle for a while.
 */
import { randomBytes } from 'node:crypto';
import { CIPHER_SUITES, type CipherSuite, DEFAULT_SUITE_PREFERENCE, suiteFor } from './cipher-suites.ts';
import { AUTH_STATUSES, CIPHER_STATUSES, Priv, rmcpStatusText } from './codes.ts';
import { Cmd, channelAuthCapabilitiesRequest, NetFn, parseChannelAuthCapabilities } from './commands.ts';
import {
  deriveK,
  deriveSik,
  icvLength,
  type RakpContext,
  rakp2AuthCode,
  rakp3AuthCode,
  rakp4Icv,
  userKey,
} from './crypto.ts';
import { IpmiAuthError, IpmiCipherSuiteError, IpmiClosedError, IpmiSessionError } from './errors.ts';
import { decodeResponse, encodeRequest, type IpmiResponse } from './message.ts';
import { decodeV15, decodeV20, encodeV15, encodeV20, NO_CRYPTO, PayloadType, peekSession, type SessionCrypto } from './packet.ts';
import { decodeOpenSessionResponse, decodeRakp2, decodeRakp4, encodeOpenSessionRequest, encodeRakp1, encodeRakp3 } from './rakp.ts';
import type { Remote, UdpTransport } from './transport.ts';

export interface SessionOptions {
  username: string;
  password: string;
  /** BMC key (Kg), when the BMC has one set; hex string or bytes */
  kg?: string | Uint8Array;
  privilege: number;
  /** a suite id, or 'auto' to try DEFAULT_SUITE_PREFERENCE in order */
  cipherSuite: number | 'auto';
  timeoutMs: number;
  retries: number;
  /** send a keep-alive after this many idle ms (0 = never) */
  keepAliveMs: number;
}

export type SessionState = 'idle' | 'opening' | 'active' | 'closed' | 'broken';

const toBuf = (k: string | Uint8Array) => (typeof k === 'string' ? Buffer.from(k, /^[0-9a-f]+$/i.test(k) && k.length % 2 === 0 ? 'hex' : 'utf8') : Buffer.from(k));

export class IpmiSession {
  state: SessionState = 'idle';
  suite: CipherSuite | null = null;
  private crypto: SessionCrypto = NO_CRYPTO;
  private consoleSid = 0;
  private bmcSid = 0;
  private outSeq = 0;
  private rqSeq = 0;
  private tag = 0;
  private readonly seenSeq = new Set<number>();
  private queue: Promise<unknown> = Promise.resolve();
  private lastUsed = 0;
  private keepAlive: NodeJS.Timeout | undefined;
  private opening: Promise<void> | null = null;
  private brokenBy: Error | null = null;

  constructor(
    private readonly transport: UdpTransport,
    readonly remote: Remote,
    private readonly opts: SessionOptions,
  ) {}

  private get where() {
    return `BMC ${this.remote.host}:${this.remote.port}`;
  }

  /** Open (once; concurrent callers share the attempt). */
  open(): Promise<void> {
    if (this.state === 'active') return Promise.resolve();
    if (this.state === 'closed') return Promise.reject(new IpmiClosedError(`session to ${this.where} is closed`));
    this.opening ??= this.doOpen().finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  private exOpts(what: string) {
    return { timeoutMs: this.opts.timeoutMs, retries: this.opts.retries, what };
  }

  private async doOpen(): Promise<void> {
    this.state = 'opening';
    try {
      await this.authCapabilities();
      const wanted = this.opts.cipherSuite === 'auto' ? DEFAULT_SUITE_PREFERENCE : [this.opts.cipherSuite];
      let lastErr: Error | null = null;
      for (const id of wanted) {
        const suite = CIPHER_SUITES[id];
        if (!suite) throw new IpmiCipherSuiteError(`cipher suite ${id} is not implemented by this client (use 3 or 17)`);
        try {
          await this.handshake(suite);
          lastErr = null;
          break;
        } catch (e) {
          if (e instanceof IpmiCipherSuiteError && this.opts.cipherSuite === 'auto') {
            lastErr = e;
            continue;
          }
          throw e;
        }
      }
      if (lastErr) throw lastErr;
      this.state = 'active';
      this.lastUsed = Date.now();
      if (this.opts.privilege > Priv.USER) {
        await this.request(NetFn.APP, Cmd.SET_SESSION_PRIVILEGE, Buffer.from([this.opts.privilege]));
      }
      this.startKeepAlive();
    } catch (e) {
      this.state = 'broken';
      throw e;
    }
  }

  /** Get Channel Authentication Capabilities, outside any session (IPMI v1.5 framing). */
  private async authCapabilities(): Promise<void> {
    const rqSeq = this.nextRqSeq();
    const msg = encodeRequest({ netFn: NetFn.APP, cmd: Cmd.GET_CHANNEL_AUTH_CAPABILITIES, rqSeq, data: channelAuthCapabilitiesRequest(this.opts.privilege) });
    const resp = await this.transport.request(
      this.remote,
      {
        build: () => encodeV15({ payload: msg }),
        match: (d) => {
          const p = peekSession(d);
          if (p.version !== '1.5' || p.sessionId !== 0) return undefined;
          const r = decodeResponse(decodeV15(d).payload);
          return r.rqSeq === rqSeq && r.cmd === Cmd.GET_CHANNEL_AUTH_CAPABILITIES ? r : undefined;
        },
      },
      this.exOpts('Get Channel Authentication Capabilities'),
    );
    if (resp.completionCode !== 0) {
      throw new IpmiSessionError(`${this.where} refused Get Channel Authentication Capabilities (completion code 0x${resp.completionCode.toString(16)})`);
    }
    const caps = parseChannelAuthCapabilities(resp.data);
    if (!caps.ipmi20) throw new IpmiSessionError(`${this.where} does not support IPMI v2.0 / RMCP+ (lanplus); only IPMI v1.5 is offered`);
  }

  private async handshake(asked: CipherSuite): Promise<void> {
    this.crypto = NO_CRYPTO;
    this.consoleSid = randomBytes(4).readUInt32LE(0) || 1;
    const tag = (this.tag = (this.tag + 1) & 0xff);
    const sidM = Buffer.alloc(4);
    sidM.writeUInt32LE(this.consoleSid >>> 0);
    const pre = (payloadType: number, payload: Buffer) => encodeV20({ payloadType, sessionId: 0, seq: 0, payload }, NO_CRYPTO);
    const preMatch = <T extends { consoleSessionId: number; tag: number; status: number }>(type: number, dec: (b: Buffer) => T) => (d: Buffer) => {
      const p = peekSession(d);
      if (p.version !== '2.0' || p.payloadType !== type) return undefined;
      const m = dec(decodeV20(d, NO_CRYPTO).payload);
      // error answers may omit the session id: then the tag alone identifies them
      const ours = m.consoleSessionId === this.consoleSid || (m.status !== 0 && m.consoleSessionId === 0);
      return ours && m.tag === tag ? m : undefined;
    };

    // Open Session
    const osr = encodeOpenSessionRequest({ tag, privilege: this.opts.privilege, consoleSessionId: this.consoleSid, suite: asked });
    const os = await this.transport.request(
      this.remote,
      { build: () => pre(PayloadType.OPEN_SESSION_REQUEST, osr), match: preMatch(PayloadType.OPEN_SESSION_RESPONSE, decodeOpenSessionResponse) },
      this.exOpts('RMCP+ Open Session Request'),
    );
    if (os.status !== 0) {
      const text = rmcpStatusText(os.status);
      if (CIPHER_STATUSES.has(os.status)) {
        throw new IpmiCipherSuiteError(`${this.where} does not support cipher suite ${asked.id}: ${text}`, os.status);
      }
      if (AUTH_STATUSES.has(os.status)) throw new IpmiAuthError(`${this.where} refused the session: ${text}`, os.status);
      throw new IpmiSessionError(`${this.where} refused to open an RMCP+ session: ${text}`, os.status);
    }
    const got = os.suite ? suiteFor(os.suite.auth, os.suite.integrity, os.suite.confidentiality) : undefined;
    if (!got || (got.id !== asked.id && this.opts.cipherSuite !== 'auto')) {
      throw new IpmiCipherSuiteError(
        `${this.where} answered cipher suite ${asked.id} with algorithms ` +
          `${os.suite ? `${os.suite.auth}/${os.suite.integrity}/${os.suite.confidentiality}` : 'none'}` +
          (got ? ` (suite ${got.id})` : ', which this client does not implement'),
      );
    }
    this.bmcSid = os.bmcSessionId;
    const sidC = Buffer.alloc(4);
    sidC.writeUInt32LE(this.bmcSid >>> 0);

    // RAKP 1 / 2
    const username = Buffer.from(this.opts.username, 'utf8');
    const kuid = userKey(this.opts.password);
    const rm = randomBytes(16);
    const role = (this.opts.privilege & 0x0f) | 0x10; // name-only lookup, as ipmitool does
    const r1 = encodeRakp1({ tag, bmcSessionId: this.bmcSid, rm, role, username });
    const r2 = await this.transport.request(
      this.remote,
      { build: () => pre(PayloadType.RAKP1, r1), match: preMatch(PayloadType.RAKP2, decodeRakp2) },
      this.exOpts('RAKP Message 1'),
    );
    if (r2.status !== 0) {
      const text = rmcpStatusText(r2.status);
      if (AUTH_STATUSES.has(r2.status)) {
        throw new IpmiAuthError(`${this.where} rejected user '${this.opts.username}' at RAKP 2: ${text} (check ipmi_username and ipmi_priv_level)`, r2.status);
      }
      throw new IpmiSessionError(`${this.where} failed RAKP 2: ${text}`, r2.status);
    }
    const ctx: RakpContext = { authAlg: got.auth, sidM, sidC, rm, rc: r2.rc, guid: r2.guid, role, username };
    if (!rakp2AuthCode(ctx, kuid).equals(r2.authCode)) {
      this.transport.send(this.remote, pre(PayloadType.RAKP3, encodeRakp3({ tag, status: 0x0f, bmcSessionId: this.bmcSid, authCode: Buffer.alloc(0) })));
      throw new IpmiAuthError(
        `${this.where} rejected the credentials of user '${this.opts.username}': the RAKP 2 key exchange code does not ` +
          'match the configured password (wrong ipmi_password)',
        0x0f,
      );
    }

    // RAKP 3 / 4
    const sik = deriveSik(ctx, this.opts.kg ? toBuf(this.opts.kg) : kuid);
    const r3 = encodeRakp3({ tag, status: 0, bmcSessionId: this.bmcSid, authCode: rakp3AuthCode(ctx, kuid) });
    const r4 = await this.transport.request(
      this.remote,
      { build: () => pre(PayloadType.RAKP3, r3), match: preMatch(PayloadType.RAKP4, decodeRakp4) },
      this.exOpts('RAKP Message 3'),
    );
    if (r4.status !== 0) {
      const text = rmcpStatusText(r4.status);
      if (AUTH_STATUSES.has(r4.status)) throw new IpmiAuthError(`${this.where} rejected the credentials at RAKP 4: ${text} (wrong ipmi_password or BMC key)`, r4.status);
      throw new IpmiSessionError(`${this.where} failed RAKP 4: ${text}`, r4.status);
    }
    if (r4.icv.length < icvLength(got.auth) || !rakp4Icv(ctx, sik).equals(r4.icv.subarray(0, icvLength(got.auth)))) {
      throw new IpmiAuthError(`${this.where} RAKP 4 integrity value does not verify: the BMC key (Kg) differs from the one configured`, 0x0f);
    }
    this.crypto = {
      integrity: got.integrity,
      confidentiality: got.confidentiality,
      k1: deriveK(got.auth, sik, 1),
      k2: deriveK(got.auth, sik, 2),
    };
    this.suite = got;
    this.outSeq = 0;
    this.seenSeq.clear();
  }

  private nextRqSeq(): number {
    this.rqSeq = (this.rqSeq + 1) & 0x3f;
    return this.rqSeq;
  }

  private nextOutSeq(): number {
    this.outSeq = (this.outSeq + 1) >>> 0 || 1;
    return this.outSeq;
  }

  /** Send one IPMI request inside the session; resolves with the response (any completion code). */
  request(netFn: number, cmd: number, data: Uint8Array = Buffer.alloc(0)): Promise<IpmiResponse> {
    const run = async () => {
      if (this.state !== 'active') {
        if (this.state === 'closed') throw new IpmiClosedError(`session to ${this.where} is closed`);
        // queued behind a request that timed out: fail the same way (the client reopens on its next call)
        throw this.brokenBy ?? new IpmiSessionError(`session to ${this.where} is not open`);
      }
      const rqSeq = this.nextRqSeq();
      const msg = encodeRequest({ netFn, cmd, rqSeq, data });
      try {
        const resp = await this.transport.request(
          this.remote,
          {
            build: () => encodeV20({ payloadType: PayloadType.IPMI, sessionId: this.bmcSid, seq: this.nextOutSeq(), payload: msg }, this.crypto),
            match: (d) => {
              const p = peekSession(d);
              if (p.version !== '2.0' || p.sessionId !== this.consoleSid || p.payloadType !== PayloadType.IPMI) return undefined;
              const pkt = decodeV20(d, this.crypto);
              const r = decodeResponse(pkt.payload);
              if (r.rqSeq !== rqSeq || r.cmd !== cmd || r.netFn !== (netFn | 1)) return undefined;
              if (pkt.seq !== 0 && this.seenSeq.has(pkt.seq)) return undefined; // replay
              this.rememberSeq(pkt.seq);
              return r;
            },
          },
          this.exOpts(`command netfn 0x${netFn.toString(16)} cmd 0x${cmd.toString(16)}`),
        );
        this.lastUsed = Date.now();
        return resp;
      } catch (e) {
        if (e instanceof Error && e.name === 'IpmiTimeoutError') {
          this.state = 'broken';
          this.brokenBy = e;
        }
        throw e;
      }
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private rememberSeq(seq: number) {
    this.seenSeq.add(seq);
    if (this.seenSeq.size > 64) {
      const first = this.seenSeq.values().next().value as number;
      this.seenSeq.delete(first);
    }
  }

  private startKeepAlive() {
    if (!this.opts.keepAliveMs) return;
    this.keepAlive = setInterval(() => {
      if (this.state !== 'active' || Date.now() - this.lastUsed < this.opts.keepAliveMs) return;
      this.request(NetFn.APP, Cmd.GET_DEVICE_ID).catch(() => {
        // the session is marked broken; the next call reopens it
      });
    }, Math.max(50, Math.floor(this.opts.keepAliveMs / 2)));
    this.keepAlive.unref();
  }

  /** Close Session (best effort) and stop the keep-alive. */
  async close(): Promise<void> {
    if (this.keepAlive) clearInterval(this.keepAlive);
    if (this.state === 'active') {
      const sid = Buffer.alloc(4);
      sid.writeUInt32LE(this.bmcSid >>> 0);
      try {
        await this.request(NetFn.APP, Cmd.CLOSE_SESSION, sid);
      } catch {
        // closing is best effort: the BMC times idle sessions out anyway
      }
    }
    this.state = 'closed';
  }
}
