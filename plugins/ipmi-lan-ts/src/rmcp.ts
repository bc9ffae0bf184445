/**
 * RMCP framing (DMTF ASF 2.0 §3.2.2) and the ASF Presence Ping / Pong messages. Pure codec.
 * Every IPMI-over-LAN datagram starts with the 4-byte RMCP header: version 06h, reserved, sequence, class.
 */
import { IpmiMalformedError } from './errors.ts';

export const RMCP_VERSION = 0x06;
export const RMCP_CLASS_ASF = 0x06;
export const RMCP_CLASS_IPMI = 0x07;
/** Sequence number FFh: "do not send an RMCP ACK" — what IPMI always uses. */
export const RMCP_SEQ_NOACK = 0xff;
export const ASF_IANA = 4542;
export const ASF_PING = 0x80;
export const ASF_PONG = 0x40;

export interface RmcpHeader {
  version: number;
  sequence: number;
  /** message class, low 5 bits (bit 7 = ACK) */
  klass: number;
  ack: boolean;
}

export function encodeRmcpHeader(klass: number, sequence = RMCP_SEQ_NOACK): Buffer {
  return Buffer.from([RMCP_VERSION, 0x00, sequence & 0xff, klass & 0xff]);
}

export function decodeRmcpHeader(buf: Buffer): RmcpHeader {
  if (buf.length < 4) throw new IpmiMalformedError(`RMCP datagram of ${buf.length} bytes is shorter than its 4-byte header`);
  if (buf[0] !== RMCP_VERSION) throw new IpmiMalformedError(`not an RMCP datagram (version byte 0x${buf[0].toString(16)})`);
  return { version: buf[0], sequence: buf[2], klass: buf[3] & 0x1f, ack: (buf[3] & 0x80) !== 0 };
}

/** ASF Presence Ping: RMCP header + IANA 4542 + type 80h + tag + reserved + length 0. */
export function encodeAsfPing(tag: number): Buffer {
  const b = Buffer.alloc(12);
  encodeRmcpHeader(RMCP_CLASS_ASF).copy(b, 0);
  b.writeUInt32BE(ASF_IANA, 4);
  b[8] = ASF_PING;
  b[9] = tag & 0xff;
  b[10] = 0;
  b[11] = 0;
  return b;
}

export interface AsfPong {
  tag: number;
  iana: number;
  oem: number;
  /** bit 7: IPMI supported; low nibble: ASF version (1 = ASF 1.0) */
  supportedEntities: number;
  supportedInteractions: number;
  ipmiSupported: boolean;
}

export function decodeAsfPong(buf: Buffer): AsfPong {
  const h = decodeRmcpHeader(buf);
  if (h.klass !== RMCP_CLASS_ASF) throw new IpmiMalformedError('RMCP message is not of class ASF');
  if (buf.length < 12) throw new IpmiMalformedError('ASF message shorter than its 8-byte header');
  if (buf.readUInt32BE(4) !== ASF_IANA) throw new IpmiMalformedError('ASF message without IANA 4542');
  if (buf[8] !== ASF_PONG) throw new IpmiMalformedError(`ASF message type 0x${buf[8].toString(16)} is not a pong`);
  const len = buf[11];
  if (len < 16 || buf.length < 12 + 16) throw new IpmiMalformedError('ASF pong data shorter than 16 bytes');
  const d = buf.subarray(12);
  return {
    tag: buf[9],
    iana: d.readUInt32BE(0),
    oem: d.readUInt32BE(4),
    supportedEntities: d[8],
    supportedInteractions: d[9],
    ipmiSupported: (d[8] & 0x80) !== 0,
  };
}

/** Build a pong (used by tests and simple responders). */
export function encodeAsfPong(tag: number, ipmiSupported = true): Buffer {
  const b = Buffer.alloc(28);
  encodeRmcpHeader(RMCP_CLASS_ASF).copy(b, 0);
  b.writeUInt32BE(ASF_IANA, 4);
  b[8] = ASF_PONG;
  b[9] = tag & 0xff;
  b[11] = 16;
  b.writeUInt32BE(ASF_IANA, 12);
  b[20] = ipmiSupported ? 0x81 : 0x01;
  return b;
}
