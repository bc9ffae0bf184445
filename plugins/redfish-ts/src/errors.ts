/**
 * Redfish errors and the pure parser that turns an error body (`error.@Message.ExtendedInfo`, DMTF DSP0266 §9.6)
 * into one clear message. Every error names the method and URL it came from; none carries a password.
 */

export interface ExtendedInfo {
  MessageId?: string;
  Message?: string;
  Resolution?: string;
  Severity?: string;
  MessageSeverity?: string;
}

export class RedfishError extends Error {
  override name = 'RedfishError';
}

/** The BMC could not be reached (refused, unreachable, DNS, timeout) or TLS failed; `cause` says which. */
export class RedfishConnectionError extends RedfishError {
  override name = 'RedfishConnectionError';
  constructor(
    message: string,
    readonly reason: 'refused' | 'unreachable' | 'timeout' | 'tls' | 'other',
  ) {
    super(message);
  }
}

/** An HTTP error answer: status, the Redfish message ids and one message joining them. */
export class RedfishHttpError extends RedfishError {
  override name = 'RedfishHttpError';
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly messageIds: string[],
    readonly detail: string,
  ) {
    super(`HTTP ${method} ${url} returned code ${status}. ${detail}`);
  }
  /** true when one of the extended info message ids ends with `id` (registry prefixes vary: Base.1.8.X). */
  hasMessage(id: string): boolean {
    return this.messageIds.some((m) => m === id || m.endsWith(`.${id}`)) || this.detail.includes(id);
  }
}

/** 401/403 even after a fresh login: wrong credentials or not enough privilege. */
export class RedfishAccessError extends RedfishHttpError {
  override name = 'RedfishAccessError';
}

/** A resource the client needs is absent (404 or a missing link/action). */
export class RedfishMissingError extends RedfishError {
  override name = 'RedfishMissingError';
}

/**
 * One message out of an error body: `error.message` (or `error.code`) then every ExtendedInfo entry as
 * "MessageId: Message Resolution". Non-JSON bodies give their first 200 characters.
 */
export function errorDetail(body: unknown, rawText = ''): { detail: string; messageIds: string[] } {
  const err = (body as { error?: Record<string, unknown> } | null)?.error;
  const top = body as Record<string, unknown> | null;
  const infos = (err?.['@Message.ExtendedInfo'] ?? top?.['@Message.ExtendedInfo']) as ExtendedInfo[] | undefined;
  const ids: string[] = [];
  const parts: string[] = [];
  if (Array.isArray(infos)) {
    for (const i of infos) {
      if (!i || typeof i !== 'object') continue;
      if (i.MessageId) ids.push(i.MessageId);
      const text = [i.Message, i.Resolution].filter(Boolean).join(' ');
      if (text) parts.push(i.MessageId ? `${i.MessageId}: ${text}` : text);
    }
  }
  if (parts.length === 0 && err) {
    const msg = typeof err.message === 'string' ? err.message : typeof err.code === 'string' ? err.code : '';
    if (msg) parts.push(ids.length ? `${msg} (${ids.join(', ')})` : msg);
    if (typeof err.code === 'string' && !ids.includes(err.code)) ids.push(err.code);
  }
  if (parts.length === 0 && rawText) parts.push(rawText.replace(/\s+/g, ' ').trim().slice(0, 200));
  return { detail: parts.join('; ') || 'No error details.', messageIds: ids };
}

/** Node/undici network error → a short reason and wording naming the address. */
export function connectionError(url: string, err: unknown): RedfishConnectionError {
  const e = err as { code?: string; cause?: { code?: string; message?: string }; message?: string; name?: string };
  const code = e?.cause?.code ?? e?.code ?? '';
  const msg = e?.cause?.message ?? e?.message ?? String(err);
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|EPROTO|wrong version number/i.test(`${code} ${msg}`)) {
    return new RedfishConnectionError(`TLS handshake with the Redfish BMC at ${host} failed (${code || 'tls'}: ${msg}); check redfish_verify_ca and the BMC's certificate.`, 'tls');
  }
  if (code === 'ECONNREFUSED') return new RedfishConnectionError(`Redfish BMC at ${host} refused the connection (ECONNREFUSED).`, 'refused');
  if (['EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL'].includes(code)) {
    return new RedfishConnectionError(`Redfish BMC at ${host} is unreachable (${code}).`, 'unreachable');
  }
  if (/Timeout|ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|aborted/i.test(`${code} ${e?.name} ${msg}`)) {
    return new RedfishConnectionError(`Redfish BMC at ${host} did not answer in time (${code || 'timeout'}).`, 'timeout');
  }
  return new RedfishConnectionError(`Connection to the Redfish BMC at ${host} failed (${code || 'error'}: ${msg}).`, 'other');
}
