/**
 * Typed IPMI errors. Each carries a stable `code` so callers can branch without parsing messages,
 * and a message an operator can act on (names the BMC, what failed, what to check).
 */
export class IpmiError extends Error {
  readonly code: string;
  constructor(message: string, code = 'IPMI_ERROR') {
    super(message);
    this.code = code;
    this.name = 'IpmiError';
  }
}

/** RAKP rejected the user name or the password / Kg (RMCP+ status code, or an auth code that does not verify). */
export class IpmiAuthError extends IpmiError {
  readonly status: number | null;
  constructor(message: string, status: number | null = null) {
    super(message, 'IPMI_AUTH');
    this.name = 'IpmiAuthError';
    this.status = status;
  }
}

/** No answer from the BMC after every retry. */
export class IpmiTimeoutError extends IpmiError {
  readonly attempts: number;
  constructor(message: string, attempts: number) {
    super(message, 'IPMI_TIMEOUT');
    this.name = 'IpmiTimeoutError';
    this.attempts = attempts;
  }
}

/** The BMC does not offer the requested cipher suite (or any suite this client implements). */
export class IpmiCipherSuiteError extends IpmiError {
  readonly status: number | null;
  constructor(message: string, status: number | null = null) {
    super(message, 'IPMI_CIPHER_SUITE');
    this.name = 'IpmiCipherSuiteError';
    this.status = status;
  }
}

/** A packet that cannot be decoded: short, bad checksum, bad integrity, bad padding. */
export class IpmiMalformedError extends IpmiError {
  constructor(message: string) {
    super(message, 'IPMI_MALFORMED');
    this.name = 'IpmiMalformedError';
  }
}

/** The command reached the BMC and it answered with a non-zero completion code. */
export class IpmiCompletionError extends IpmiError {
  readonly completionCode: number;
  readonly netFn: number;
  readonly cmd: number;
  constructor(message: string, completionCode: number, netFn: number, cmd: number) {
    super(message, 'IPMI_COMPLETION');
    this.name = 'IpmiCompletionError';
    this.completionCode = completionCode;
    this.netFn = netFn;
    this.cmd = cmd;
  }
}

/** Completion codes that mean "try again later": node busy (C0h), out of space (C4h)... */
export class IpmiBusyError extends IpmiCompletionError {
  constructor(message: string, completionCode: number, netFn: number, cmd: number) {
    super(message, completionCode, netFn, cmd);
    Object.defineProperty(this, 'code', { value: 'IPMI_BUSY' });
    this.name = 'IpmiBusyError';
  }
}

/** Any other RMCP+ session setup failure (status code from Open Session / RAKP). */
export class IpmiSessionError extends IpmiError {
  readonly status: number | null;
  constructor(message: string, status: number | null = null) {
    super(message, 'IPMI_SESSION');
    this.name = 'IpmiSessionError';
    this.status = status;
  }
}

/** The client was closed while a request was in flight. */
export class IpmiClosedError extends IpmiError {
  constructor(message: string) {
    super(message, 'IPMI_CLOSED');
    this.name = 'IpmiClosedError';
  }
}
