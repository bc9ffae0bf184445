/**
 * A virtual BMC, pure: one datagram in, at most one datagram out (`handle`). It answers IPMI v2.0 lanplus as
 * ipmi_sim does for what Ironic's ipmitool driver uses: ASF presence ping, Get Channel Authentication
 * Capabilities, Get Channel Cipher Suites, RMCP+ session setup (vbmc-session.ts; suites 3 and 17), Set Session
 * Privilege Level, Close Session, Get Device ID, Get Chassis Status, Chassis Control, Chassis Identify and
 * Set/Get System Boot Options (boot flags, parameter 5). Framing, checksums, integrity and AES are the codecs of
 * `ipmi-lan-ts`. Memory per BMC is bounded: a few session slots, the chassis state, and — only when asked
 * (`recordActions`) — the chassis-action log a simulated machine follows.
 */
import {
  AUTHTYPE_RMCPPLUS,
  BOOT_SELECTORS,
  type BootDeviceName,
  Cmd,
  decodeRequest,
  decodeRmcpHeader,
  decodeV15,
  decodeV20,
  encodeAsfPong,
  encodeResponse,
  encodeV15,
  encodeV20,
  type IpmiRequest,
  NetFn,
  NO_CRYPTO,
  PayloadType,
  Priv,
  RMCP_CLASS_ASF,
} from 'ipmi-lan-ts';
import { type BmcUser, SessionTable, VBMC_SUITES } from './vbmc-session.ts';

export interface VirtualBmcOptions extends BmcUser {
  /** keep the ipmi_sim-style chassis-action log ("power 1", "boot pxe", ...) for a SimMachine to follow */
  recordActions?: boolean;
  maxSessions?: number;
  sessionIdleMs?: number;
  guid?: Buffer;
}

export interface BootFlagsState {
  device: BootDeviceName;
  persistent: boolean;
  efi: boolean;
  valid: boolean;
}

const SUITE_RECORDS: Record<number, number[]> = { 3: [0xc0, 3, 0x01, 0x41, 0x81], 17: [0xc0, 17, 0x03, 0x44, 0x81] };
const DEVICE_NAMES = Object.fromEntries(Object.entries(BOOT_SELECTORS).map(([k, v]) => [v, k])) as Record<number, BootDeviceName>;
/** ipmi_sim's chassis-control names for a boot device (what SimMachine reads) */
const SIM_BOOT: Partial<Record<BootDeviceName, string>> = { pxe: 'pxe', disk: 'default', none: 'none', cdrom: 'cd' };

export class VirtualBmc {
  power: 'on' | 'off' = 'off';
  boot: BootFlagsState = { device: 'none', persistent: false, efi: false, valid: false };
  /** counts of what it answered (for benchmarks and tests) */
  readonly stats = { requests: 0, sessions: 0, controls: 0 };
  private readonly log: string[] | null;
  private readonly table: SessionTable;

  constructor(readonly opts: VirtualBmcOptions) {
    this.log = opts.recordActions ? [] : null;
    this.table = new SessionTable(opts, opts.guid ?? Buffer.from('a123456789abcdefa123456789abcdef', 'hex'), opts.maxSessions ?? 4, opts.sessionIdleMs ?? 60_000);
  }

  /** chassis actions, oldest first (empty unless recordActions) */
  actions(): string[] {
    return this.log ?? [];
  }

  get openSessions(): number {
    return this.table.size;
  }

  private record(a: string): void {
    this.log?.push(a);
  }

  /** Power changed out of band (a button, a PDU): recorded like a chassis action. */
  setPower(state: 'on' | 'off'): void {
    this.power = state;
    this.record(`power ${state === 'on' ? 1 : 0}`);
  }

  /** Answer one datagram; null when it gets no answer (garbage, unknown session, bad integrity). */
  handle(dgram: Buffer, now = Date.now()): Buffer | null {
    try {
      const h = decodeRmcpHeader(dgram);
      if (h.klass === RMCP_CLASS_ASF) return dgram.length >= 12 && dgram[8] === 0x80 ? encodeAsfPong(dgram[9]) : null;
      if (dgram.length > 4 && dgram[4] === AUTHTYPE_RMCPPLUS) return this.handleV20(dgram, now);
      const p = decodeV15(dgram);
      if (p.sessionId !== 0) return null; // no IPMI v1.5 sessions: v2.0 only
      const answer = this.command(decodeRequest(p.payload), Priv.CALLBACK, true);
      return answer ? encodeV15({ payload: answer }) : null;
    } catch {
      return null;
    }
  }

  private handleV20(dgram: Buffer, now: number): Buffer | null {
    const sid = dgram.readUInt32LE(6);
    const type = dgram[5] & 0x3f;
    if (sid === 0) {
      const p = decodeV20(dgram, NO_CRYPTO);
      const out = (payloadType: number, payload: Buffer) => encodeV20({ payloadType, sessionId: 0, seq: 0, payload }, NO_CRYPTO);
      if (type === PayloadType.OPEN_SESSION_REQUEST) {
        this.stats.sessions++;
        return out(PayloadType.OPEN_SESSION_RESPONSE, this.table.open(p.payload, now));
      }
      if (type === PayloadType.RAKP1) return out(PayloadType.RAKP2, this.table.rakp1(p.payload, now));
      if (type === PayloadType.RAKP3) return out(PayloadType.RAKP4, this.table.rakp3(p.payload, now));
      if (type === PayloadType.IPMI) {
        const answer = this.command(decodeRequest(p.payload), Priv.CALLBACK, true);
        return answer ? out(PayloadType.IPMI, answer) : null;
      }
      return null;
    }
    const s = this.table.get(sid, now);
    if (!s?.active || type !== PayloadType.IPMI) return null;
    // a packet of an integrity-protected session must be authenticated (decodeV20 verifies the AuthCode)
    if (s.crypto.integrity !== 0 && (dgram[5] & 0x40) === 0) return null;
    const p = decodeV20(dgram, s.crypto);
    const req = decodeRequest(p.payload);
    let answer: Buffer | null;
    if (req.netFn === NetFn.APP && req.cmd === Cmd.SET_SESSION_PRIVILEGE) {
      const want = req.data[0] & 0x0f;
      const cc = want > s.maxPrivilege ? 0x81 : 0;
      if (!cc && want) s.privilege = want;
      answer = this.respond(req, cc, cc ? [] : [s.privilege]);
    } else if (req.netFn === NetFn.APP && req.cmd === Cmd.CLOSE_SESSION) {
      answer = this.respond(req, 0, []);
    } else {
      answer = this.command(req, s.privilege, false);
    }
    if (!answer) return null;
    s.outSeq = (s.outSeq + 1) >>> 0 || 1;
    const reply = encodeV20({ payloadType: PayloadType.IPMI, sessionId: s.consoleSid, seq: s.outSeq, payload: answer }, s.crypto);
    if (req.netFn === NetFn.APP && req.cmd === Cmd.CLOSE_SESSION) this.table.close(req.data.length >= 4 ? Buffer.from(req.data).readUInt32LE(0) : sid);
    return reply;
  }

  private respond(req: Required<IpmiRequest>, completionCode: number, data: number[] | Buffer): Buffer {
    this.stats.requests++;
    return encodeResponse({
      rqAddr: req.rqAddr,
      netFn: req.netFn | 1,
      rqLun: req.rqLun,
      rsAddr: req.rsAddr,
      rqSeq: req.rqSeq,
      rsLun: req.rsLun,
      cmd: req.cmd,
      completionCode,
      data: Buffer.from(data),
    });
  }

  /** One IPMI request; `preSession`: only the two discovery commands are answered outside a session. */
  private command(req: Required<IpmiRequest>, privilege: number, preSession: boolean): Buffer | null {
    const { netFn, cmd, data } = req;
    if (netFn === NetFn.APP && cmd === Cmd.GET_CHANNEL_AUTH_CAPABILITIES) {
      // channel 1; IPMI v2.0 extended data; auth types none/MD5/password; non-null users, per-message auth off
      return this.respond(req, 0, [0x01, 0x80 | 0x15, 0x14, 0x02, 0, 0, 0, 0]);
    }
    if (netFn === NetFn.APP && cmd === Cmd.GET_CHANNEL_CIPHER_SUITES) {
      const records = VBMC_SUITES.flatMap((id) => SUITE_RECORDS[id]);
      const index = (data[2] ?? 0) & 0x3f;
      return this.respond(req, 0, [0x01, ...records.slice(index * 16, index * 16 + 16)]);
    }
    if (preSession) return null;
    const operator = privilege >= Priv.OPERATOR;
    if (netFn === NetFn.APP && cmd === Cmd.GET_DEVICE_ID) {
      return this.respond(req, 0, [0x20, 0x81, 0x02, 0x00, 0x02, 0xbf, 0x43, 0x1c, 0x00, 0x01, 0x00, 0, 0, 0, 0]);
    }
    if (netFn === NetFn.CHASSIS && cmd === Cmd.GET_CHASSIS_STATUS) {
      return this.respond(req, 0, [(this.power === 'on' ? 0x01 : 0) | 0x40, 0x00, 0x40, 0x00]);
    }
    if (netFn === NetFn.CHASSIS && cmd === Cmd.CHASSIS_CONTROL) {
      if (!operator) return this.respond(req, 0xd4, []);
      const action = data[0] & 0x0f;
      if (action > 5) return this.respond(req, 0xcc, []);
      this.stats.controls++;
      if (action === 1 || action === 2 || action === 3) {
        // up, cycle and reset all end powered on; a machine following the log reboots
        if (action !== 1 && this.power === 'on') this.record('power 0');
        this.power = 'on';
        this.record('power 1');
      } else if (action === 0 || action === 5) {
        if (this.power === 'on') this.record('power 0');
        this.power = 'off';
      }
      return this.respond(req, 0, []);
    }
    if (netFn === NetFn.CHASSIS && cmd === Cmd.CHASSIS_IDENTIFY) return this.respond(req, 0, []);
    if (netFn === NetFn.CHASSIS && cmd === Cmd.SET_SYSTEM_BOOT_OPTIONS) {
      if (!operator) return this.respond(req, 0xd4, []);
      const param = (data[0] ?? 0xff) & 0x7f;
      if (param === 5) {
        if (data.length < 3) return this.respond(req, 0xc7, []);
        const device = DEVICE_NAMES[(data[2] >> 2) & 0x0f] ?? 'none';
        this.boot = { device, persistent: (data[1] & 0x40) !== 0, efi: (data[1] & 0x20) !== 0, valid: (data[1] & 0x80) !== 0 };
        this.record(`boot ${SIM_BOOT[device] ?? device}`);
        return this.respond(req, 0, []);
      }
      return this.respond(req, param <= 4 ? 0 : 0x80, []);
    }
    if (netFn === NetFn.CHASSIS && cmd === Cmd.GET_SYSTEM_BOOT_OPTIONS) {
      const param = (data[0] ?? 0xff) & 0x7f;
      if (param !== 5) return this.respond(req, param <= 4 ? 0 : 0x80, param <= 4 ? [0x01, param, 0] : []);
      const b = this.boot;
      const b1 = (b.valid ? 0x80 : 0) | (b.persistent ? 0x40 : 0) | (b.efi ? 0x20 : 0);
      return this.respond(req, 0, [0x01, 0x05, b1, (BOOT_SELECTORS[b.device] & 0x0f) << 2, 0, 0, 0]);
    }
    return this.respond(req, 0xc1, []);
  }
}

