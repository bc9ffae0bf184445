/** Request builders and response parsers for the commands the client speaks (IPMI v2.0 ch. 20, 22, 28). Pure. */
import { IpmiMalformedError } from './errors.ts';

export const NetFn = { CHASSIS: 0x00, APP: 0x06 } as const;
export const Cmd = {
  GET_DEVICE_ID: 0x01,
  GET_CHANNEL_AUTH_CAPABILITIES: 0x38,
  SET_SESSION_PRIVILEGE: 0x3b,
  CLOSE_SESSION: 0x3c,
  GET_CHANNEL_CIPHER_SUITES: 0x54,
  GET_CHASSIS_STATUS: 0x01,
  CHASSIS_CONTROL: 0x02,
  CHASSIS_IDENTIFY: 0x04,
  SET_SYSTEM_BOOT_OPTIONS: 0x08,
  GET_SYSTEM_BOOT_OPTIONS: 0x09,
} as const;

const need = (b: Buffer, n: number, what: string) => {
  if (b.length < n) throw new IpmiMalformedError(`${what} response of ${b.length} data bytes is truncated (needs ${n})`);
};

export interface ChannelAuthCapabilities {
  channel: number;
  ipmi20: boolean;
  authTypes: number;
  kgSet: boolean;
  perMessageAuth: boolean;
  userLevelAuth: boolean;
  nonNullUsers: boolean;
  nullUsers: boolean;
  anonymousLogin: boolean;
  oemIana: number;
}

/** Request data: channel Eh (this channel) with bit 7 set to ask for IPMI v2.0 extended data, then privilege. */
export const channelAuthCapabilitiesRequest = (priv: number): Buffer => Buffer.from([0x8e, priv & 0x0f]);

export function parseChannelAuthCapabilities(d: Buffer): ChannelAuthCapabilities {
  need(d, 8, 'Get Channel Authentication Capabilities');
  return {
    channel: d[0],
    ipmi20: (d[1] & 0x80) !== 0 && (d[3] & 0x02) !== 0,
    authTypes: d[1] & 0x3f,
    kgSet: (d[2] & 0x20) !== 0,
    perMessageAuth: (d[2] & 0x10) === 0,
    userLevelAuth: (d[2] & 0x08) === 0,
    nonNullUsers: (d[2] & 0x04) !== 0,
    nullUsers: (d[2] & 0x02) !== 0,
    anonymousLogin: (d[2] & 0x01) !== 0,
    oemIana: d[4] | (d[5] << 8) | (d[6] << 16),
  };
}

export const cipherSuitesRequest = (index: number): Buffer => Buffer.from([0x0e, 0x00, 0x80 | (index & 0x3f)]);

export interface DeviceId {
  deviceId: number;
  deviceRevision: number;
  providesSdrs: boolean;
  firmwareRevision: string;
  ipmiVersion: string;
  additionalSupport: number;
  manufacturerId: number;
  productId: number;
  auxFirmware: Buffer | null;
}

const bcd = (b: number) => ((b >> 4) & 0x0f) * 10 + (b & 0x0f);

export function parseDeviceId(d: Buffer): DeviceId {
  need(d, 11, 'Get Device ID');
  return {
    deviceId: d[0],
    deviceRevision: d[1] & 0x0f,
    providesSdrs: (d[1] & 0x80) !== 0,
    firmwareRevision: `${d[2] & 0x7f}.${String(bcd(d[3])).padStart(2, '0')}`,
    ipmiVersion: `${d[4] & 0x0f}.${(d[4] >> 4) & 0x0f}`,
    additionalSupport: d[5],
    manufacturerId: (d[6] | (d[7] << 8) | (d[8] << 16)) & 0x0fffff,
    productId: d.readUInt16LE(9),
    auxFirmware: d.length >= 15 ? Buffer.from(d.subarray(11, 15)) : null,
  };
}

export const RESTORE_POLICIES = ['always-off', 'previous', 'always-on', 'unknown'] as const;

export interface ChassisStatus {
  powerOn: boolean;
  powerOverload: boolean;
  powerInterlock: boolean;
  mainPowerFault: boolean;
  powerControlFault: boolean;
  powerRestorePolicy: (typeof RESTORE_POLICIES)[number];
  lastPowerEvent: number;
  intrusion: boolean;
  frontPanelLockout: boolean;
  driveFault: boolean;
  coolingFault: boolean;
  /** null when the BMC does not report identify state */
  identify: 'off' | 'temporary' | 'indefinite' | null;
}

export function parseChassisStatus(d: Buffer): ChassisStatus {
  need(d, 3, 'Get Chassis Status');
  const identifySupported = (d[2] & 0x40) !== 0;
  const idState = (d[2] >> 4) & 0x03;
  return {
    powerOn: (d[0] & 0x01) !== 0,
    powerOverload: (d[0] & 0x02) !== 0,
    powerInterlock: (d[0] & 0x04) !== 0,
    mainPowerFault: (d[0] & 0x08) !== 0,
    powerControlFault: (d[0] & 0x10) !== 0,
    powerRestorePolicy: RESTORE_POLICIES[(d[0] >> 5) & 0x03],
    lastPowerEvent: d[1],
    intrusion: (d[2] & 0x01) !== 0,
    frontPanelLockout: (d[2] & 0x02) !== 0,
    driveFault: (d[2] & 0x04) !== 0,
    coolingFault: (d[2] & 0x08) !== 0,
    identify: identifySupported ? (['off', 'temporary', 'indefinite', 'off'] as const)[idState] : null,
  };
}

export const ChassisAction = {
  POWER_DOWN: 0x00,
  POWER_UP: 0x01,
  POWER_CYCLE: 0x02,
  HARD_RESET: 0x03,
  DIAGNOSTIC_INTERRUPT: 0x04,
  SOFT_SHUTDOWN: 0x05,
} as const;
export type ChassisActionName = 'off' | 'on' | 'cycle' | 'reset' | 'diag' | 'soft';
export const CHASSIS_ACTIONS: Readonly<Record<ChassisActionName, number>> = {
  off: ChassisAction.POWER_DOWN,
  on: ChassisAction.POWER_UP,
  cycle: ChassisAction.POWER_CYCLE,
  reset: ChassisAction.HARD_RESET,
  diag: ChassisAction.DIAGNOSTIC_INTERRUPT,
  soft: ChassisAction.SOFT_SHUTDOWN,
};

/** Chassis Identify: interval seconds (0 = off), or force on indefinitely. */
export function chassisIdentifyRequest(opts: { seconds?: number; force?: boolean }): Buffer {
  if (opts.force) return Buffer.from([0, 1]);
  return Buffer.from([Math.max(0, Math.min(255, opts.seconds ?? 15))]);
}

/** Boot device selector (boot flags parameter 5, data 2 bits 5:2). */
export const BOOT_SELECTORS = {
  none: 0x0,
  pxe: 0x1,
  disk: 0x2,
  safe: 0x3,
  diag: 0x4,
  cdrom: 0x5,
  bios: 0x6,
  floppy: 0xf,
} as const;
export type BootDeviceName = keyof typeof BOOT_SELECTORS;

export interface BootFlags {
  device: BootDeviceName | 'unknown';
  /** true: applies to every boot; false: next boot only */
  persistent: boolean;
  /** true: EFI boot; false: legacy PC-compatible */
  efi: boolean;
  /** boot flag valid bit */
  valid: boolean;
}

export const BootParam = { SET_IN_PROGRESS: 0, VALID_BIT_CLEARING: 3, BOOT_INFO_ACK: 4, BOOT_FLAGS: 5 } as const;

/** Set System Boot Options data for parameter 5 (boot flags). */
export function bootFlagsRequest(f: { device: BootDeviceName; persistent: boolean; efi: boolean }): Buffer {
  const b1 = 0x80 | (f.persistent ? 0x40 : 0) | (f.efi ? 0x20 : 0);
  return Buffer.from([BootParam.BOOT_FLAGS, b1, (BOOT_SELECTORS[f.device] & 0x0f) << 2, 0, 0, 0]);
}

export const getBootOptionsRequest = (param: number): Buffer => Buffer.from([param & 0x7f, 0, 0]);

/** Parse a Get System Boot Options answer for parameter 5. */
export function parseBootFlags(d: Buffer): BootFlags {
  need(d, 4, 'Get System Boot Options');
  if ((d[1] & 0x7f) !== BootParam.BOOT_FLAGS) throw new IpmiMalformedError(`boot options answer is for parameter ${d[1] & 0x7f}, not 5`);
  const b1 = d[2];
  const sel = (d[3] >> 2) & 0x0f;
  const name = (Object.keys(BOOT_SELECTORS) as BootDeviceName[]).find((k) => BOOT_SELECTORS[k] === sel);
  return { device: name ?? 'unknown', persistent: (b1 & 0x40) !== 0, efi: (b1 & 0x20) !== 0, valid: (b1 & 0x80) !== 0 };
}
