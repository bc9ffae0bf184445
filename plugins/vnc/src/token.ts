/**
 * Console tokens and URLs as Ironic's common/vnc.py: a random URL-safe token and its creation time in
 * driver_internal_info (`novnc_secret_token`, `novnc_secret_token_created`), valid for `vnc_token_timeout`
 * seconds; the console URL is the noVNC page's public URL with `path=websockify?node=<uuid>&token=<token>`.
 * Pure (the caller passes the clock and the random bytes' source).
 */
import { randomBytes } from 'node:crypto';

export const TOKEN_KEYS = ['novnc_secret_token', 'novnc_secret_token_created'] as const;

/** secrets.token_urlsafe(): 32 random bytes, base64url without padding */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** Python's datetime.isoformat() of a naive UTC time with microseconds ('%Y-%m-%dT%H:%M:%S.%f') */
export function isoMicro(d: Date): string {
  return `${d.toISOString().slice(0, 23)}000`;
}

/** Parses '%Y-%m-%dT%H:%M:%S.%f' (UTC); NaN when malformed */
export function parseIsoMicro(s: unknown): number {
  if (typeof s !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{1,6}$/.test(s)) return Number.NaN;
  return Date.parse(`${s.slice(0, 23)}Z`);
}

/** driver_internal_info values that authorize a new console session (novnc_authorize) */
export function authorize(now: Date, token = newToken()): Record<(typeof TOKEN_KEYS)[number], string> {
  return { novnc_secret_token: token, novnc_secret_token_created: isoMicro(now) };
}

/** novnc_unauthorize: the keys to remove (null removes a key in Task.setInternalInfo) */
export const unauthorize = (): Record<string, null> => ({ novnc_secret_token: null, novnc_secret_token_created: null });

/** When the node's token expires (ms since the epoch); NaN when there is no creation time */
export function tokenValidUntil(dii: Record<string, unknown>, timeoutSeconds: number): number {
  return parseIsoMicro(dii.novnc_secret_token_created) + timeoutSeconds * 1000;
}

/** novnc_validate: true when `token` is the node's and has not expired */
export function tokenValid(dii: Record<string, unknown>, token: string, nowMs: number, timeoutSeconds: number): boolean {
  const mine = dii.novnc_secret_token;
  if (!token || typeof mine !== 'string' || !mine || token !== mine) return false;
  const until = tokenValidUntil(dii, timeoutSeconds);
  return Number.isFinite(until) && until >= nowMs;
}

/** urllib.parse.quote(s) (safe '/'): letters, digits, '_.-~' and '/' stay; everything else %XX (UTF-8) */
export function pyQuote(s: string): string {
  return Array.from(Buffer.from(s, 'utf8'))
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9_.\-~/]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** get_console: {type: 'vnc', url: '<public_url>?path=websockify%3Fnode%3D<uuid>%26token%3D<token>'} */
export function consoleInfo(publicUrl: string, uuid: string, token: string | undefined): { type: 'vnc'; url: string } {
  return { type: 'vnc', url: `${publicUrl}?path=${pyQuote(`websockify?node=${uuid}&token=${token ?? 'None'}`)}` };
}
