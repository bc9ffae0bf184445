/**
 * IPMI LAN message framing (IPMI v2.0 §13.8, table 13-4/13-5) and its two 8-bit checksums. Pure codec.
 * Request:  rsSA, netFn/rsLUN, chk1, rqSA, rqSeq/rqLUN, cmd, data..., chk2
 * Response: rqSA, netFn/rqLUN, chk1, rsSA, rqSeq/rsLUN, cmd, completion code, data..., chk2
 */
import { IpmiMalformedError } from './errors.ts';

export const BMC_SA = 0x20;
/** Remote console software ID used as requester address. */
export const CONSOLE_SWID = 0x81;

/** Two's complement checksum: the byte that makes the covered bytes sum to 0 mod 256. */
export function checksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum = (sum + bytes[i]) & 0xff;
  return (0x100 - sum) & 0xff;
}

export interface IpmiRequest {
  netFn: number;
  cmd: number;
  data?: Uint8Array;
  rsAddr?: number;
  rsLun?: number;
  rqAddr?: number;
  rqLun?: number;
  /** 6-bit request sequence, matches response to request */
  rqSeq: number;
}

export function encodeRequest(req: IpmiRequest): Buffer {
  const data = req.data ?? new Uint8Array(0);
  const b = Buffer.alloc(7 + data.length);
  b[0] = req.rsAddr ?? BMC_SA;
  b[1] = ((req.netFn & 0x3f) << 2) | ((req.rsLun ?? 0) & 3);
  b[2] = checksum(b, 0, 2);
  b[3] = req.rqAddr ?? CONSOLE_SWID;
  b[4] = ((req.rqSeq & 0x3f) << 2) | ((req.rqLun ?? 0) & 3);
  b[5] = req.cmd & 0xff;
  b.set(data, 6);
  b[6 + data.length] = checksum(b, 3, 6 + data.length);
  return b;
}

export interface IpmiResponse {
  rqAddr: number;
  netFn: number;
  rqLun: number;
  rsAddr: number;
  rqSeq: number;
  rsLun: number;
  cmd: number;
  completionCode: number;
  data: Buffer;
}

export function decodeResponse(b: Buffer): IpmiResponse {
  if (b.length < 8) throw new IpmiMalformedError(`IPMI response of ${b.length} bytes is shorter than the 8-byte minimum`);
  if (checksum(b, 0, 3) !== 0) throw new IpmiMalformedError('IPMI response header checksum is wrong');
  if (checksum(b, 3, b.length) !== 0) throw new IpmiMalformedError('IPMI response data checksum is wrong');
  return {
    rqAddr: b[0],
    netFn: b[1] >> 2,
    rqLun: b[1] & 3,
    rsAddr: b[3],
    rqSeq: b[4] >> 2,
    rsLun: b[4] & 3,
    cmd: b[5],
    completionCode: b[6],
    data: Buffer.from(b.subarray(7, b.length - 1)),
  };
}

/** Decode a request (the BMC side; used by test responders and fixtures). */
export function decodeRequest(b: Buffer): Required<IpmiRequest> {
  if (b.length < 7) throw new IpmiMalformedError(`IPMI request of ${b.length} bytes is too short`);
  if (checksum(b, 0, 3) !== 0 || checksum(b, 3, b.length) !== 0) throw new IpmiMalformedError('IPMI request checksum is wrong');
  return {
    rsAddr: b[0],
    netFn: b[1] >> 2,
    rsLun: b[1] & 3,
    rqAddr: b[3],
    rqSeq: b[4] >> 2,
    rqLun: b[4] & 3,
    cmd: b[5],
    data: Buffer.from(b.subarray(6, b.length - 1)),
  };
}

/** Encode a response (BMC side). */
export function encodeResponse(r: Omit<IpmiResponse, 'data'> & { data: Uint8Array }): Buffer {
  const b = Buffer.alloc(8 + r.data.length);
  b[0] = r.rqAddr;
  b[1] = ((r.netFn & 0x3f) << 2) | (r.rqLun & 3);
  b[2] = checksum(b, 0, 2);
  b[3] = r.rsAddr;
  b[4] = ((r.rqSeq & 0x3f) << 2) | (r.rsLun & 3);
  b[5] = r.cmd;
  b[6] = r.completionCode;
  b.set(r.data, 7);
  b[7 + r.data.length] = checksum(b, 3, 7 + r.data.length);
  return b;
}
