/**
 * RMCP+ session establishment messages (IPMI v2.0 §13.17-13.23): Open Session Request/Response and RAKP 1-4.
 * Pure codec: byte layouts only; the auth codes come from crypto.ts.
 */
import type { CipherSuite } from './cipher-suites.ts';
import { IpmiMalformedError } from './errors.ts';

const need = (b: Buffer, n: number, what: string) => {
  if (b.length < n) throw new IpmiMalformedError(`${what} of ${b.length} bytes is truncated (needs ${n})`);
};

export interface OpenSessionRequest {
  tag: number;
  /** requested maximum privilege; 0 = highest the BMC allows */
  privilege: number;
  consoleSessionId: number;
  suite: Pick<CipherSuite, 'auth' | 'integrity' | 'confidentiality'>;
}

const algPayload = (kind: number, alg: number) => [kind, 0, 0, 8, alg & 0x3f, 0, 0, 0];

export function encodeOpenSessionRequest(r: OpenSessionRequest): Buffer {
  const b = Buffer.alloc(32);
  b[0] = r.tag;
  b[1] = r.privilege & 0x0f;
  b.writeUInt32LE(r.consoleSessionId >>> 0, 4);
  b.set(algPayload(0, r.suite.auth), 8);
  b.set(algPayload(1, r.suite.integrity), 16);
  b.set(algPayload(2, r.suite.confidentiality), 24);
  return b;
}

export function decodeOpenSessionRequest(b: Buffer): OpenSessionRequest {
  need(b, 32, 'Open Session Request');
  return {
    tag: b[0],
    privilege: b[1] & 0x0f,
    consoleSessionId: b.readUInt32LE(4),
    suite: { auth: b[12] & 0x3f, integrity: b[20] & 0x3f, confidentiality: b[28] & 0x3f },
  };
}

export interface OpenSessionResponse {
  tag: number;
  status: number;
  privilege: number;
  consoleSessionId: number;
  bmcSessionId: number;
  suite: Pick<CipherSuite, 'auth' | 'integrity' | 'confidentiality'> | null;
}

export function decodeOpenSessionResponse(b: Buffer): OpenSessionResponse {
  need(b, 2, 'Open Session Response');
  const status = b[1];
  // On error, BMCs may send only tag and status (ipmi_sim), or add the console session id.
  if (status !== 0) {
    return { tag: b[0], status, privilege: b[2] ?? 0, consoleSessionId: b.length >= 8 ? b.readUInt32LE(4) : 0, bmcSessionId: 0, suite: null };
  }
  need(b, 36, 'Open Session Response');
  return {
    tag: b[0],
    status,
    privilege: b[2] & 0x0f,
    consoleSessionId: b.readUInt32LE(4),
    bmcSessionId: b.readUInt32LE(8),
    suite: { auth: b[16] & 0x3f, integrity: b[24] & 0x3f, confidentiality: b[32] & 0x3f },
  };
}

export function encodeOpenSessionResponse(r: OpenSessionResponse): Buffer {
  const b = Buffer.alloc(36);
  b[0] = r.tag;
  b[1] = r.status;
  b[2] = r.privilege;
  b.writeUInt32LE(r.consoleSessionId >>> 0, 4);
  b.writeUInt32LE(r.bmcSessionId >>> 0, 8);
  const s = r.suite ?? { auth: 0, integrity: 0, confidentiality: 0 };
  b.set(algPayload(0, s.auth), 12);
  b.set(algPayload(1, s.integrity), 20);
  b.set(algPayload(2, s.confidentiality), 28);
  return b;
}

export interface Rakp1 {
  tag: number;
  bmcSessionId: number;
  rm: Buffer;
  /** privilege | 10h for name-only lookup */
  role: number;
  username: Buffer;
}

export function encodeRakp1(r: Rakp1): Buffer {
  if (r.username.length > 16) throw new IpmiMalformedError('IPMI user names are at most 16 bytes');
  const b = Buffer.alloc(28 + r.username.length);
  b[0] = r.tag;
  b.writeUInt32LE(r.bmcSessionId >>> 0, 4);
  r.rm.copy(b, 8, 0, 16);
  b[24] = r.role;
  b[27] = r.username.length;
  r.username.copy(b, 28);
  return b;
}

export function decodeRakp1(b: Buffer): Rakp1 {
  need(b, 28, 'RAKP Message 1');
  const ulen = b[27];
  need(b, 28 + ulen, 'RAKP Message 1');
  return {
    tag: b[0],
    bmcSessionId: b.readUInt32LE(4),
    rm: Buffer.from(b.subarray(8, 24)),
    role: b[24],
    username: Buffer.from(b.subarray(28, 28 + ulen)),
  };
}

export interface Rakp2 {
  tag: number;
  status: number;
  consoleSessionId: number;
  rc: Buffer;
  guid: Buffer;
  authCode: Buffer;
}

export function decodeRakp2(b: Buffer): Rakp2 {
  need(b, 2, 'RAKP Message 2');
  const status = b[1];
  if (status !== 0) {
    return { tag: b[0], status, consoleSessionId: b.length >= 8 ? b.readUInt32LE(4) : 0, rc: Buffer.alloc(0), guid: Buffer.alloc(0), authCode: Buffer.alloc(0) };
  }
  need(b, 40, 'RAKP Message 2');
  return {
    tag: b[0],
    status,
    consoleSessionId: b.readUInt32LE(4),
    rc: Buffer.from(b.subarray(8, 24)),
    guid: Buffer.from(b.subarray(24, 40)),
    authCode: Buffer.from(b.subarray(40)),
  };
}

export function encodeRakp2(r: Rakp2): Buffer {
  const b = Buffer.alloc(40 + r.authCode.length);
  b[0] = r.tag;
  b[1] = r.status;
  b.writeUInt32LE(r.consoleSessionId >>> 0, 4);
  r.rc.copy(b, 8);
  r.guid.copy(b, 24);
  r.authCode.copy(b, 40);
  return b;
}

export interface Rakp3 {
  tag: number;
  status: number;
  bmcSessionId: number;
  authCode: Buffer;
}

export function encodeRakp3(r: Rakp3): Buffer {
  const b = Buffer.alloc(8 + r.authCode.length);
  b[0] = r.tag;
  b[1] = r.status;
  b.writeUInt32LE(r.bmcSessionId >>> 0, 4);
  r.authCode.copy(b, 8);
  return b;
}

export function decodeRakp3(b: Buffer): Rakp3 {
  need(b, 8, 'RAKP Message 3');
  return { tag: b[0], status: b[1], bmcSessionId: b.readUInt32LE(4), authCode: Buffer.from(b.subarray(8)) };
}

export interface Rakp4 {
  tag: number;
  status: number;
  consoleSessionId: number;
  icv: Buffer;
}

export function decodeRakp4(b: Buffer): Rakp4 {
  need(b, 2, 'RAKP Message 4');
  if (b[1] !== 0) return { tag: b[0], status: b[1], consoleSessionId: b.length >= 8 ? b.readUInt32LE(4) : 0, icv: Buffer.alloc(0) };
  need(b, 8, 'RAKP Message 4');
  return { tag: b[0], status: b[1], consoleSessionId: b.readUInt32LE(4), icv: Buffer.from(b.subarray(8)) };
}

export function encodeRakp4(r: Rakp4): Buffer {
  const b = Buffer.alloc(8 + r.icv.length);
  b[0] = r.tag;
  b[1] = r.status;
  b.writeUInt32LE(r.consoleSessionId >>> 0, 4);
  r.icv.copy(b, 8);
  return b;
}
