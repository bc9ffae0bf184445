/**
 * IPMI session wrappers inside RMCP class 7 (IPMI v2.0 §13.6, tables 13-8 and 13-9). Pure codec.
 *  v1.5: authType, seq (LE32), session id (LE32), [16-byte auth code], length, message
 *  v2.0: authType 06h, payload type (bit7 encrypted, bit6 authenticated), session id, seq, length (LE16), payload,
 *        then when authenticated: FFh pad to a 4-byte multiple, pad length, next header 07h, AuthCode (HMAC K1).
 */
import { aesDecrypt, aesEncrypt, integrityCode, integrityLength } from './crypto.ts';
import { IpmiMalformedError } from './errors.ts';
import { decodeRmcpHeader, encodeRmcpHeader, RMCP_CLASS_IPMI } from './rmcp.ts';

export const AUTHTYPE_RMCPPLUS = 0x06;
export const PayloadType = {
  IPMI: 0x00,
  SOL: 0x01,
  OEM: 0x02,
  OPEN_SESSION_REQUEST: 0x10,
  OPEN_SESSION_RESPONSE: 0x11,
  RAKP1: 0x12,
  RAKP2: 0x13,
  RAKP3: 0x14,
  RAKP4: 0x15,
} as const;

export interface V15Packet {
  version: '1.5';
  authType: number;
  seq: number;
  sessionId: number;
  authCode: Buffer | null;
  payload: Buffer;
}

export function encodeV15(p: { seq?: number; sessionId?: number; payload: Uint8Array }): Buffer {
  const b = Buffer.alloc(4 + 10 + p.payload.length);
  encodeRmcpHeader(RMCP_CLASS_IPMI).copy(b, 0);
  b[4] = 0; // auth type none: only pre-session messages are sent in 1.5 format
  b.writeUInt32LE((p.seq ?? 0) >>> 0, 5);
  b.writeUInt32LE((p.sessionId ?? 0) >>> 0, 9);
  b[13] = p.payload.length;
  b.set(p.payload, 14);
  return b;
}

/** Keys of an active session, or none before RAKP completes. */
export interface SessionCrypto {
  integrity: number;
  confidentiality: number;
  k1?: Buffer;
  k2?: Buffer;
}

export const NO_CRYPTO: SessionCrypto = { integrity: 0, confidentiality: 0 };

export interface V20Packet {
  version: '2.0';
  payloadType: number;
  encrypted: boolean;
  authenticated: boolean;
  sessionId: number;
  seq: number;
  /** decrypted payload */
  payload: Buffer;
}

export interface V20Encode {
  payloadType: number;
  sessionId: number;
  seq: number;
  payload: Uint8Array;
  /** fixed IV for reproducible vectors; random otherwise */
  iv?: Buffer;
}

export function encodeV20(p: V20Encode, c: SessionCrypto): Buffer {
  const encrypted = c.confidentiality !== 0;
  const authenticated = c.integrity !== 0;
  if (encrypted && !c.k2) throw new IpmiMalformedError('no K2 to encrypt with');
  if (authenticated && !c.k1) throw new IpmiMalformedError('no K1 to sign with');
  const body = encrypted ? aesEncrypt(c.k2 as Buffer, p.payload, p.iv) : Buffer.from(p.payload);
  const head = Buffer.alloc(12);
  head[0] = AUTHTYPE_RMCPPLUS;
  head[1] = (p.payloadType & 0x3f) | (encrypted ? 0x80 : 0) | (authenticated ? 0x40 : 0);
  head.writeUInt32LE(p.sessionId >>> 0, 2);
  head.writeUInt32LE(p.seq >>> 0, 6);
  head.writeUInt16LE(body.length, 10);
  const rmcp = encodeRmcpHeader(RMCP_CLASS_IPMI);
  if (!authenticated) return Buffer.concat([rmcp, head, body]);
  const padLen = (4 - ((head.length + body.length + 2) % 4)) % 4;
  const trailer = Buffer.alloc(padLen + 2, 0xff);
  trailer[padLen] = padLen;
  trailer[padLen + 1] = 0x07;
  const signed = Buffer.concat([head, body, trailer]);
  return Buffer.concat([rmcp, signed, integrityCode(c.integrity, c.k1 as Buffer, signed)]);
}

/** First look at a datagram: which format, and the session id in its header (routing key). */
export function peekSession(buf: Buffer): { version: '1.5' | '2.0'; sessionId: number; payloadType: number } {
  const h = decodeRmcpHeader(buf);
  if (h.klass !== RMCP_CLASS_IPMI) throw new IpmiMalformedError('RMCP message is not of class IPMI');
  if (buf.length < 14) throw new IpmiMalformedError('IPMI session header is truncated');
  if (buf[4] === AUTHTYPE_RMCPPLUS) {
    if (buf.length < 16) throw new IpmiMalformedError('IPMI v2.0 session header is truncated');
    return { version: '2.0', sessionId: buf.readUInt32LE(6), payloadType: buf[5] & 0x3f };
  }
  return { version: '1.5', sessionId: buf.readUInt32LE(9), payloadType: PayloadType.IPMI };
}

export function decodeV15(buf: Buffer): V15Packet {
  const h = decodeRmcpHeader(buf);
  if (h.klass !== RMCP_CLASS_IPMI) throw new IpmiMalformedError('RMCP message is not of class IPMI');
  if (buf.length < 14) throw new IpmiMalformedError('IPMI v1.5 session header is truncated');
  const authType = buf[4];
  const withCode = authType !== 0;
  const lenAt = withCode ? 29 : 13;
  if (buf.length < lenAt + 1) throw new IpmiMalformedError('IPMI v1.5 session header is truncated');
  const len = buf[lenAt];
  if (buf.length < lenAt + 1 + len) throw new IpmiMalformedError('IPMI v1.5 message is shorter than its length field');
  return {
    version: '1.5',
    authType,
    seq: buf.readUInt32LE(5),
    sessionId: buf.readUInt32LE(9),
    authCode: withCode ? Buffer.from(buf.subarray(13, 29)) : null,
    payload: Buffer.from(buf.subarray(lenAt + 1, lenAt + 1 + len)),
  };
}

/** Decode and, for authenticated/encrypted packets, verify integrity and decrypt with the session keys. */
export function decodeV20(buf: Buffer, c: SessionCrypto): V20Packet {
  const h = decodeRmcpHeader(buf);
  if (h.klass !== RMCP_CLASS_IPMI) throw new IpmiMalformedError('RMCP message is not of class IPMI');
  if (buf.length < 16 || buf[4] !== AUTHTYPE_RMCPPLUS) throw new IpmiMalformedError('not an IPMI v2.0 / RMCP+ packet');
  const type = buf[5];
  const payloadType = type & 0x3f;
  if (payloadType === PayloadType.OEM) throw new IpmiMalformedError('OEM payloads are not supported');
  const encrypted = (type & 0x80) !== 0;
  const authenticated = (type & 0x40) !== 0;
  const len = buf.readUInt16LE(14);
  const end = 16 + len;
  if (buf.length < end) throw new IpmiMalformedError(`RMCP+ payload length ${len} runs past the end of a ${buf.length}-byte datagram`);
  if (authenticated) {
    if (!c.k1 || c.integrity === 0) throw new IpmiMalformedError('authenticated packet outside an integrity-protected session');
    const padLen = (4 - ((12 + len + 2) % 4)) % 4;
    const codeAt = end + padLen + 2;
    const codeLen = integrityLength(c.integrity);
    if (buf.length !== codeAt + codeLen) throw new IpmiMalformedError('RMCP+ integrity trailer has the wrong size');
    if (buf[end + padLen] !== padLen || buf[end + padLen + 1] !== 0x07) throw new IpmiMalformedError('RMCP+ integrity pad is malformed');
    const want = integrityCode(c.integrity, c.k1, buf.subarray(4, codeAt));
    if (!want.equals(buf.subarray(codeAt))) throw new IpmiMalformedError('RMCP+ integrity check failed (AuthCode mismatch)');
  }
  let payload: Buffer = Buffer.from(buf.subarray(16, end));
  if (encrypted) {
    if (!c.k2) throw new IpmiMalformedError('encrypted packet outside a confidential session');
    payload = aesDecrypt(c.k2, payload);
  }
  return { version: '2.0', payloadType, encrypted, authenticated, sessionId: buf.readUInt32LE(6), seq: buf.readUInt32LE(10), payload };
}
