/**
 * RMCP+ cryptography: RAKP auth codes, SIK/K1/K2 derivation, integrity (HMAC-SHA1-96, HMAC-SHA256-128)
 * and AES-CBC-128 confidentiality with IPMI's 1,2,3.. padding (IPMI v2.0 §13.28-13.29). Pure (node:crypto only).
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { AuthAlg, IntegAlg } from './cipher-suites.ts';
import { IpmiMalformedError } from './errors.ts';

const hashOf = (authAlg: number): 'sha1' | 'sha256' | 'md5' => {
  if (authAlg === AuthAlg.HMAC_SHA1) return 'sha1';
  if (authAlg === AuthAlg.HMAC_SHA256) return 'sha256';
  if (authAlg === AuthAlg.HMAC_MD5) return 'md5';
  throw new IpmiMalformedError(`authentication algorithm ${authAlg} has no HMAC`);
};

export function hmac(authAlg: number, key: Uint8Array, ...parts: Uint8Array[]): Buffer {
  const h = createHmac(hashOf(authAlg), key);
  for (const p of parts) h.update(p);
  return h.digest();
}

const u8 = (n: number) => Uint8Array.of(n & 0xff);

/** The user key Kuid: the password bytes (HMAC pads short keys with zeros, as ipmitool's 20-byte buffer does). */
export function userKey(password: string | Uint8Array): Buffer {
  const b = typeof password === 'string' ? Buffer.from(password, 'utf8') : Buffer.from(password);
  if (b.length > 20) throw new IpmiMalformedError('IPMI passwords are at most 20 bytes');
  return b;
}

export interface RakpContext {
  authAlg: number;
  /** console (remote) session id, 4 bytes LE as on the wire */
  sidM: Buffer;
  /** managed system (BMC) session id */
  sidC: Buffer;
  rm: Buffer;
  rc: Buffer;
  guid: Buffer;
  /** requested role byte as sent in RAKP 1 (privilege | 10h name-only lookup) */
  role: number;
  username: Buffer;
}

/** RAKP 2 key exchange auth code (HMAC with Kuid over SIDm SIDc Rm Rc GUIDc ROLEm ULENGTHm UNAMEm). */
export function rakp2AuthCode(c: RakpContext, kuid: Buffer): Buffer {
  return hmac(c.authAlg, kuid, c.sidM, c.sidC, c.rm, c.rc, c.guid, u8(c.role), u8(c.username.length), c.username);
}

/** RAKP 3 auth code (HMAC with Kuid over Rc SIDm ROLEm ULENGTHm UNAMEm). */
export function rakp3AuthCode(c: RakpContext, kuid: Buffer): Buffer {
  return hmac(c.authAlg, kuid, c.rc, c.sidM, u8(c.role), u8(c.username.length), c.username);
}

/** Session Integrity Key: HMAC with Kg (or Kuid when no Kg) over Rm Rc ROLEm ULENGTHm UNAMEm. */
export function deriveSik(c: RakpContext, kgOrKuid: Buffer): Buffer {
  return hmac(c.authAlg, kgOrKuid, c.rm, c.rc, u8(c.role), u8(c.username.length), c.username);
}

/** K1, K2, ... = HMAC(SIK, constant n repeated 20 times). */
export function deriveK(authAlg: number, sik: Buffer, n: number): Buffer {
  return hmac(authAlg, sik, Buffer.alloc(20, n));
}

export const icvLength = (authAlg: number): number => (authAlg === AuthAlg.HMAC_SHA256 ? 16 : 12);

/** RAKP 4 integrity check value: HMAC(SIK, Rm SIDc GUIDc), truncated (12 bytes SHA1, 16 bytes SHA256). */
export function rakp4Icv(c: RakpContext, sik: Buffer): Buffer {
  return hmac(c.authAlg, sik, c.rm, c.sidC, c.guid).subarray(0, icvLength(c.authAlg));
}

export function integrityLength(integAlg: number): number {
  if (integAlg === IntegAlg.NONE) return 0;
  if (integAlg === IntegAlg.HMAC_SHA1_96) return 12;
  if (integAlg === IntegAlg.HMAC_SHA256_128 || integAlg === IntegAlg.HMAC_MD5_128 || integAlg === IntegAlg.MD5_128) return 16;
  throw new IpmiMalformedError(`integrity algorithm ${integAlg} is not known`);
}

/** Session packet AuthCode: HMAC(K1, data) truncated. */
export function integrityCode(integAlg: number, k1: Buffer, data: Uint8Array): Buffer {
  if (integAlg === IntegAlg.HMAC_SHA1_96) return createHmac('sha1', k1).update(data).digest().subarray(0, 12);
  if (integAlg === IntegAlg.HMAC_SHA256_128) return createHmac('sha256', k1).update(data).digest().subarray(0, 16);
  throw new IpmiMalformedError(`integrity algorithm ${integAlg} is not implemented`);
}

/** AES-CBC-128 with K2[0..16): IV ‖ E(payload ‖ 01 02 .. n ‖ n). */
export function aesEncrypt(k2: Buffer, plain: Uint8Array, iv: Buffer = randomBytes(16)): Buffer {
  const padLen = (16 - ((plain.length + 1) % 16)) % 16;
  const block = Buffer.alloc(plain.length + padLen + 1);
  block.set(plain, 0);
  for (let i = 0; i < padLen; i++) block[plain.length + i] = i + 1;
  block[block.length - 1] = padLen;
  const c = createCipheriv('aes-128-cbc', k2.subarray(0, 16), iv);
  c.setAutoPadding(false);
  return Buffer.concat([iv, c.update(block), c.final()]);
}

export function aesDecrypt(k2: Buffer, data: Uint8Array): Buffer {
  if (data.length < 32 || data.length % 16 !== 0) {
    throw new IpmiMalformedError(`encrypted payload of ${data.length} bytes is not IV + whole AES blocks`);
  }
  const d = createDecipheriv('aes-128-cbc', k2.subarray(0, 16), data.subarray(0, 16));
  d.setAutoPadding(false);
  const block = Buffer.concat([d.update(data.subarray(16)), d.final()]);
  const padLen = block[block.length - 1];
  if (padLen > 15 || padLen + 1 > block.length) throw new IpmiMalformedError('confidentiality pad length is out of range');
  // Pad bytes should read 01 02 .. n; some BMCs fill them otherwise, so only the length is enforced.
  return block.subarray(0, block.length - 1 - padLen);
}
