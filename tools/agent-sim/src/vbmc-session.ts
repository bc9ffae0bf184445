/**
 * The BMC side of RMCP+ session setup (IPMI v2.0 §13.17–13.23), pure: Open Session → RAKP 1/2 → RAKP 3/4, with
 * the codecs and key derivations of `ipmi-lan-ts` (the same ones the client side uses, nothing copied). A BMC keeps
 * a bounded table of session slots; a slot idle longer than `idleMs` is reclaimed (as BMCs do), and a full table
 * answers "insufficient resources" (RMCP+ status 01h). A setup message sent again (the console's retry after a lost
 * or late answer) gets the same answer again instead of a new session or "invalid session ID".
 */
import { randomBytes } from 'node:crypto';
import {
  type CipherSuite,
  deriveK,
  deriveSik,
  decodeOpenSessionRequest,
  decodeRakp1,
  decodeRakp3,
  encodeOpenSessionResponse,
  encodeRakp2,
  encodeRakp4,
  NO_CRYPTO,
  Priv,
  type RakpContext,
  rakp2AuthCode,
  rakp3AuthCode,
  rakp4Icv,
  type SessionCrypto,
  suiteFor,
  userKey,
} from 'ipmi-lan-ts';

export interface BmcUser {
  username: string;
  password: string;
}

export interface BmcSession {
  bmcSid: number;
  consoleSid: number;
  suite: CipherSuite;
  privilege: number;
  maxPrivilege: number;
  crypto: SessionCrypto;
  active: boolean;
  outSeq: number;
  lastUsed: number;
  rakp: RakpContext | null;
  /** the answers already given, for a console that sends the same setup message again (its answer was lost) */
  sent: { open: Buffer; rakp2?: Buffer; rakp3?: Buffer; rakp4?: Buffer };
}

/** The cipher suites a virtual BMC offers (Get Channel Cipher Suites answers these). */
export const VBMC_SUITES = [3, 17] as const;

const le32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0, 0);
  return b;
};

export class SessionTable {
  private readonly sessions = new Map<number, BmcSession>();

  constructor(
    private readonly user: BmcUser,
    private readonly guid: Buffer,
    private readonly maxSessions = 4,
    private readonly idleMs = 60_000,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  get(bmcSid: number, now: number): BmcSession | undefined {
    const s = this.sessions.get(bmcSid);
    if (s) s.lastUsed = now;
    return s;
  }

  close(bmcSid: number): boolean {
    return this.sessions.delete(bmcSid);
  }

  private reclaim(now: number): void {
    for (const [id, s] of this.sessions) if (now - s.lastUsed > this.idleMs) this.sessions.delete(id);
  }

  /** Open Session Request → Open Session Response payload. */
  open(payload: Buffer, now: number): Buffer {
    const req = decodeOpenSessionRequest(payload);
    const fail = (status: number) =>
      encodeOpenSessionResponse({ tag: req.tag, status, privilege: 0, consoleSessionId: req.consoleSessionId, bmcSessionId: 0, suite: null });
    const suite = suiteFor(req.suite.auth, req.suite.integrity, req.suite.confidentiality);
    if (!suite || !(VBMC_SUITES as readonly number[]).includes(suite.id)) return fail(0x11);
    const maxPrivilege = req.privilege === 0 ? Priv.ADMINISTRATOR : req.privilege;
    if (maxPrivilege > Priv.ADMINISTRATOR) return fail(0x09);
    for (const s of this.sessions.values()) {
      if (!s.active && s.consoleSid === req.consoleSessionId && s.suite.id === suite.id) {
        s.lastUsed = now;
        return s.sent.open;
      }
    }
    this.reclaim(now);
    if (this.sessions.size >= this.maxSessions) return fail(0x01);
    let bmcSid = 0;
    while (bmcSid === 0 || this.sessions.has(bmcSid)) bmcSid = randomBytes(4).readUInt32LE(0);
    const open = encodeOpenSessionResponse({ tag: req.tag, status: 0, privilege: maxPrivilege, consoleSessionId: req.consoleSessionId, bmcSessionId: bmcSid, suite });
    this.sessions.set(bmcSid, {
      sent: { open },
      bmcSid,
      consoleSid: req.consoleSessionId,
      suite,
      privilege: Priv.USER,
      maxPrivilege,
      crypto: NO_CRYPTO,
      active: false,
      outSeq: 0,
      lastUsed: now,
      rakp: null,
    });
    return open;
  }

  /** RAKP 1 → RAKP 2 (unknown session: status 02h; unknown user: 0Dh; role above the session's: 09h). */
  rakp1(payload: Buffer, now: number): Buffer {
    const m = decodeRakp1(payload);
    const s = this.get(m.bmcSessionId, now);
    const fail = (status: number, consoleSid = 0) =>
      encodeRakp2({ tag: m.tag, status, consoleSessionId: consoleSid, rc: Buffer.alloc(0), guid: Buffer.alloc(0), authCode: Buffer.alloc(0) });
    if (s?.sent.rakp2 && s.rakp?.rm.equals(m.rm)) return s.sent.rakp2;
    if (!s || s.active) return fail(0x02);
    if (m.username.toString('utf8') !== this.user.username) {
      this.sessions.delete(s.bmcSid);
      return fail(0x0d, s.consoleSid);
    }
    const privilege = m.role & 0x0f;
    if (privilege > s.maxPrivilege) return fail(0x09, s.consoleSid);
    s.rakp = {
      authAlg: s.suite.auth,
      sidM: le32(s.consoleSid),
      sidC: le32(s.bmcSid),
      rm: m.rm,
      rc: randomBytes(16),
      guid: this.guid,
      role: m.role,
      username: m.username,
    };
    s.privilege = privilege === 0 ? s.maxPrivilege : privilege;
    const authCode = rakp2AuthCode(s.rakp, userKey(this.user.password));
    s.sent.rakp2 = encodeRakp2({ tag: m.tag, status: 0, consoleSessionId: s.consoleSid, rc: s.rakp.rc, guid: this.guid, authCode });
    return s.sent.rakp2;
  }

  /** RAKP 3 → RAKP 4: the console proves the password; keys derived, session active (bad proof: 0Fh, slot freed). */
  rakp3(payload: Buffer, now: number): Buffer {
    const m = decodeRakp3(payload);
    const s = this.get(m.bmcSessionId, now);
    const fail = (status: number, consoleSid = 0) => encodeRakp4({ tag: m.tag, status, consoleSessionId: consoleSid, icv: Buffer.alloc(0) });
    if (s?.active && s.sent.rakp4 && s.sent.rakp3?.equals(m.authCode)) return s.sent.rakp4;
    if (!s?.rakp || s.active) return fail(0x02);
    const kuid = userKey(this.user.password);
    if (m.status !== 0 || !rakp3AuthCode(s.rakp, kuid).equals(m.authCode)) {
      this.sessions.delete(s.bmcSid);
      return fail(m.status !== 0 ? m.status : 0x0f, s.consoleSid);
    }
    const sik = deriveSik(s.rakp, kuid);
    s.crypto = {
      integrity: s.suite.integrity,
      confidentiality: s.suite.confidentiality,
      k1: deriveK(s.suite.auth, sik, 1),
      k2: deriveK(s.suite.auth, sik, 2),
    };
    s.active = true;
    const icv = rakp4Icv(s.rakp, sik);
    s.sent.rakp3 = m.authCode;
    s.sent.rakp4 = encodeRakp4({ tag: m.tag, status: 0, consoleSessionId: s.consoleSid, icv });
    return s.sent.rakp4;
  }
}
