/** Tables from the IPMI v2.0 specification: completion codes (5-2) and RMCP+ status codes (13-15). */

export const COMPLETION_CODES: ReadonlyMap<number, string> = new Map([
  [0x00, 'success'],
  [0xc0, 'node busy'],
  [0xc1, 'invalid command'],
  [0xc2, 'command invalid for given LUN'],
  [0xc3, 'timeout while processing command'],
  [0xc4, 'out of space'],
  [0xc5, 'reservation cancelled or invalid reservation ID'],
  [0xc6, 'request data truncated'],
  [0xc7, 'request data length invalid'],
  [0xc8, 'request data field length limit exceeded'],
  [0xc9, 'parameter out of range'],
  [0xca, 'cannot return number of requested data bytes'],
  [0xcb, 'requested sensor, data, or record not present'],
  [0xcc, 'invalid data field in request'],
  [0xcd, 'command illegal for specified sensor or record type'],
  [0xce, 'command response could not be provided'],
  [0xcf, 'cannot execute duplicated request'],
  [0xd0, 'SDR repository in update mode'],
  [0xd1, 'device in firmware update mode'],
  [0xd2, 'BMC initialization in progress'],
  [0xd3, 'destination unavailable'],
  [0xd4, 'insufficient privilege level'],
  [0xd5, 'command not supported in present state'],
  [0xd6, 'command sub-function disabled or unavailable'],
  [0xff, 'unspecified error'],
]);

/** Completion codes after which the same request may succeed later. */
export const BUSY_COMPLETION_CODES: ReadonlySet<number> = new Set([0xc0, 0xc3, 0xc4, 0xce, 0xd0, 0xd1, 0xd2]);

export const RMCP_STATUS: ReadonlyMap<number, string> = new Map([
  [0x00, 'no errors'],
  [0x01, 'insufficient resources to create a session'],
  [0x02, 'invalid session ID'],
  [0x03, 'invalid payload type'],
  [0x04, 'invalid authentication algorithm'],
  [0x05, 'invalid integrity algorithm'],
  [0x06, 'no matching authentication payload'],
  [0x07, 'no matching integrity payload'],
  [0x08, 'inactive session ID'],
  [0x09, 'invalid role'],
  [0x0a, 'unauthorized role or privilege level requested'],
  [0x0b, 'insufficient resources to create a session at the requested role'],
  [0x0c, 'invalid name length'],
  [0x0d, 'unauthorized name'],
  [0x0e, 'unauthorized GUID'],
  [0x0f, 'invalid integrity check value'],
  [0x10, 'invalid confidentiality algorithm'],
  [0x11, 'no cipher suite match with proposed security algorithms'],
  [0x12, 'illegal or unrecognized parameter'],
]);

/** RMCP+ statuses that mean the BMC refused the proposed algorithms. */
export const CIPHER_STATUSES: ReadonlySet<number> = new Set([0x04, 0x05, 0x06, 0x07, 0x10, 0x11]);
/** RMCP+ statuses that mean the credentials (name, password, Kg, role) were refused. */
export const AUTH_STATUSES: ReadonlySet<number> = new Set([0x09, 0x0a, 0x0c, 0x0d, 0x0f]);

export const completionText = (cc: number): string =>
  COMPLETION_CODES.get(cc) ?? `completion code 0x${cc.toString(16).padStart(2, '0')}`;
export const rmcpStatusText = (s: number): string =>
  RMCP_STATUS.get(s) ?? `RMCP+ status 0x${s.toString(16).padStart(2, '0')}`;

export const Priv = { CALLBACK: 1, USER: 2, OPERATOR: 3, ADMINISTRATOR: 4, OEM: 5 } as const;
export type PrivLevel = (typeof Priv)[keyof typeof Priv];
