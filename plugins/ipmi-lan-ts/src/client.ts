/**
 * The client API: one IpmiClient per BMC, sharing a UdpTransport. Opens the RMCP+ session lazily, reopens it once
 * when it went stale (BMC restarted, session timed out), and maps completion codes to typed errors.
 */
import { parseCipherSuiteRecords } from './cipher-suites.ts';
import { BUSY_COMPLETION_CODES, completionText, Priv } from './codes.ts';
import {
  type BootDeviceName,
  type BootFlags,
  BootParam,
  bootFlagsRequest,
  CHASSIS_ACTIONS,
  type ChassisActionName,
  type ChassisStatus,
  Cmd,
  chassisIdentifyRequest,
  cipherSuitesRequest,
  type DeviceId,
  getBootOptionsRequest,
  NetFn,
  parseBootFlags,
  parseChassisStatus,
  parseDeviceId,
} from './commands.ts';
import { IpmiBusyError, IpmiCompletionError, IpmiError, IpmiTimeoutError } from './errors.ts';
import type { IpmiResponse } from './message.ts';
import { type AsfPong, decodeAsfPong, encodeAsfPing } from './rmcp.ts';
import { IpmiSession } from './session.ts';
import type { UdpTransport } from './transport.ts';

export type PrivilegeName = 'callback' | 'user' | 'operator' | 'administrator';
const PRIV_BY_NAME: Record<PrivilegeName, number> = {
  callback: Priv.CALLBACK,
  user: Priv.USER,
  operator: Priv.OPERATOR,
  administrator: Priv.ADMINISTRATOR,
};

export interface IpmiClientOptions {
  host: string;
  port?: number;
  username?: string;
  password?: string;
  kg?: string | Uint8Array;
  privilege?: PrivilegeName;
  /** 3, 17, or 'auto' (17 then 3) */
  cipherSuite?: number | 'auto';
  /** per-attempt timeout, ms (default 1000) */
  timeoutMs?: number;
  /** retries after the first attempt (default 3) */
  retries?: number;
  /** idle ms before a keep-alive (default 0 = off; BMCs drop idle sessions after ~60 s) */
  keepAliveMs?: number;
  transport: UdpTransport;
}

export class IpmiClient {
  private session: IpmiSession;
  private pingTag = 0;

  constructor(private readonly opts: IpmiClientOptions) {
    this.session = this.newSession();
  }

  private newSession() {
    return new IpmiSession(this.opts.transport, { host: this.opts.host, port: this.opts.port ?? 623 }, {
      username: this.opts.username ?? '',
      password: this.opts.password ?? '',
      kg: this.opts.kg,
      privilege: PRIV_BY_NAME[this.opts.privilege ?? 'administrator'],
      cipherSuite: this.opts.cipherSuite ?? 'auto',
      timeoutMs: this.opts.timeoutMs ?? 1000,
      retries: this.opts.retries ?? 3,
      keepAliveMs: this.opts.keepAliveMs ?? 0,
    });
  }

  /** The cipher suite of the open session (null before the first command). */
  get cipherSuite(): number | null {
    return this.session.suite?.id ?? null;
  }

  get sessionState() {
    return this.session.state;
  }

  /** Open the session now (commands do it on demand). */
  async connect(): Promise<void> {
    await this.session.open();
  }

  /** Any request; returns the response whatever its completion code. */
  async rawResponse(netFn: number, cmd: number, data: Uint8Array = Buffer.alloc(0)): Promise<IpmiResponse> {
    const wasActive = this.session.state === 'active';
    await this.session.open();
    try {
      return await this.session.request(netFn, cmd, data);
    } catch (e) {
      // a session that worked before and now times out is probably gone on the BMC side: reopen once
      if (wasActive && e instanceof IpmiTimeoutError) {
        this.session = this.newSession();
        await this.session.open();
        return await this.session.request(netFn, cmd, data);
      }
      throw e;
    }
  }

  /** Any request; throws IpmiCompletionError / IpmiBusyError on a non-zero completion code. */
  async raw(netFn: number, cmd: number, data: Uint8Array = Buffer.alloc(0)): Promise<Buffer> {
    const r = await this.rawResponse(netFn, cmd, data);
    if (r.completionCode !== 0) {
      const where = `${this.opts.host}:${this.opts.port ?? 623}`;
      const msg = `BMC ${where} answered netfn 0x${netFn.toString(16)} cmd 0x${cmd.toString(16)} with ${completionText(r.completionCode)} (0x${r.completionCode.toString(16)})`;
      if (BUSY_COMPLETION_CODES.has(r.completionCode)) throw new IpmiBusyError(`${msg}; retry later`, r.completionCode, netFn, cmd);
      throw new IpmiCompletionError(msg, r.completionCode, netFn, cmd);
    }
    return r.data;
  }

  async getDeviceId(): Promise<DeviceId> {
    return parseDeviceId(await this.raw(NetFn.APP, Cmd.GET_DEVICE_ID));
  }

  async chassisStatus(): Promise<ChassisStatus> {
    return parseChassisStatus(await this.raw(NetFn.CHASSIS, Cmd.GET_CHASSIS_STATUS));
  }

  async powerState(): Promise<'on' | 'off'> {
    return (await this.chassisStatus()).powerOn ? 'on' : 'off';
  }

  /** on / off / cycle / reset (hard) / soft (ACPI shutdown) / diag (NMI). */
  async chassisControl(action: ChassisActionName): Promise<void> {
    const code = CHASSIS_ACTIONS[action];
    if (code === undefined) throw new IpmiError(`unknown chassis control action '${action}'`);
    await this.raw(NetFn.CHASSIS, Cmd.CHASSIS_CONTROL, Buffer.from([code]));
  }

  async chassisIdentify(opts: { seconds?: number; force?: boolean } = {}): Promise<void> {
    await this.raw(NetFn.CHASSIS, Cmd.CHASSIS_IDENTIFY, chassisIdentifyRequest(opts));
  }

  /**
   * Set the boot device (boot flags, parameter 5). `disableTimeout` first asks the BMC not to clear the flags after
   * its 60-second timeout (parameter 3, bit 3), like Ironic's ipmi_disable_boot_timeout; BMCs that do not know that
   * parameter are tolerated.
   */
  async setBootDevice(device: BootDeviceName, opts: { persistent?: boolean; efi?: boolean; disableTimeout?: boolean } = {}): Promise<void> {
    if (opts.disableTimeout ?? true) {
      const r = await this.rawResponse(NetFn.CHASSIS, Cmd.SET_SYSTEM_BOOT_OPTIONS, Buffer.from([BootParam.VALID_BIT_CLEARING, 0x08]));
      if (r.completionCode !== 0 && BUSY_COMPLETION_CODES.has(r.completionCode)) {
        throw new IpmiBusyError(`BMC busy while disabling the boot flag timeout: ${completionText(r.completionCode)}`, r.completionCode, NetFn.CHASSIS, Cmd.SET_SYSTEM_BOOT_OPTIONS);
      }
    }
    await this.raw(NetFn.CHASSIS, Cmd.SET_SYSTEM_BOOT_OPTIONS, bootFlagsRequest({ device, persistent: opts.persistent ?? false, efi: opts.efi ?? false }));
  }

  async getBootOptions(): Promise<BootFlags> {
    return parseBootFlags(await this.raw(NetFn.CHASSIS, Cmd.GET_SYSTEM_BOOT_OPTIONS, getBootOptionsRequest(BootParam.BOOT_FLAGS)));
  }

  /** Cipher suite ids the BMC lists for this channel (Get Channel Cipher Suites, inside the session). */
  async getChannelCipherSuites(): Promise<number[]> {
    const chunks: Buffer[] = [];
    for (let i = 0; i < 64; i++) {
      const d = await this.raw(NetFn.APP, Cmd.GET_CHANNEL_CIPHER_SUITES, cipherSuitesRequest(i));
      chunks.push(d.subarray(1));
      if (d.length < 17) break;
    }
    return parseCipherSuiteRecords(Buffer.concat(chunks));
  }

  /** ASF Presence Ping (no session): is something answering RMCP on that port, and does it claim IPMI? */
  async asfPing(): Promise<AsfPong> {
    const tag = (this.pingTag = (this.pingTag % 0xfe) + 1);
    return this.opts.transport.request(
      { host: this.opts.host, port: this.opts.port ?? 623 },
      {
        build: () => encodeAsfPing(tag),
        match: (d) => {
          if (d.length < 4 || d[3] !== 0x06) return undefined;
          const p = decodeAsfPong(d);
          return p.tag === tag ? p : undefined;
        },
      },
      { timeoutMs: this.opts.timeoutMs ?? 1000, retries: this.opts.retries ?? 3, what: 'ASF Presence Ping' },
    );
  }

  async close(): Promise<void> {
    await this.session.close();
  }
}
