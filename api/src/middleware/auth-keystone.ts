/**
 * auth_strategy=keystone: validate X-Auth-Token with Keystone v3 (GET /v3/auth/tokens, X-Subject-Token) using a
 * service token obtained with the service credentials (POST /v3/auth/tokens, password method), as keystonemiddleware
 * does; validated tokens are cached for keystone_token_cache_time seconds (never past their expiry).
 */
import type { Creds } from '../policy/creds.ts';

export interface KeystoneOptions {
  url: string; // e.g. http://127.0.0.1:5000 (with or without /v3)
  username: string;
  password: string;
  projectName: string;
  userDomainName: string;
  projectDomainName: string;
  cacheSeconds: number;
  timeoutMs?: number;
}

export class KeystoneAuthError extends Error {}

/** Who asks Keystone for a project-scoped token with the password method (a service, or a CLI user). */
export interface PasswordCredentials {
  url: string; // with or without /v3
  username: string;
  password: string;
  projectName: string;
  userDomainName: string;
  projectDomainName: string;
  timeoutMs?: number;
}

/**
 * A token for those credentials (POST /v3/auth/tokens) and when it expires. A refusal names the user and the
 * status, never the password.
 */
export async function passwordToken(o: PasswordCredentials): Promise<{ id: string; expires: number }> {
  const base = o.url.replace(/\/+$/, '').replace(/\/v3$/, '');
  const r = await fetch(`${base}/v3/auth/tokens`, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: o.username, password: o.password, domain: { name: o.userDomainName } } } },
        scope: { project: { name: o.projectName, domain: { name: o.projectDomainName } } },
      },
    }),
    signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
  });
  const id = r.headers.get('X-Subject-Token');
  if (r.status !== 201 || !id) {
    await r.body?.cancel().catch(() => {});
    throw new Error(`Keystone at ${base} refused a token for user ${o.username} in project ${o.projectName} (HTTP ${r.status})`);
  }
  const body = (await r.json()) as { token?: TokenBody };
  const exp = Date.parse(body.token?.expires_at ?? '');
  return { id, expires: Number.isFinite(exp) ? exp : Date.now() + 3600_000 };
}

interface TokenBody {
  expires_at?: string;
  user?: { id?: string; name?: string };
  project?: { id?: string; name?: string };
  system?: { all?: boolean };
  roles?: { name?: string }[];
}

/** Credentials from a Keystone v3 token body (pure). */
export function credsFromToken(t: TokenBody): Creds {
  return {
    user_id: t.user?.id ?? null,
    user_name: t.user?.name ?? null,
    project_id: t.project?.id ?? null,
    project_name: t.project?.name ?? null,
    roles: (t.roles ?? []).map((r) => String(r.name ?? '').toLowerCase()).filter(Boolean),
    system_scope: t.system?.all ? 'all' : null,
  };
}

export class KeystoneClient {
  private readonly base: string;
  private serviceToken: { id: string; expires: number } | null = null;
  private readonly cache = new Map<string, { creds: Creds; until: number }>();

  constructor(private readonly o: KeystoneOptions) {
    this.base = o.url.replace(/\/+$/, '').replace(/\/v3$/, '');
  }

  private async request(method: string, headers: Record<string, string>, body?: unknown): Promise<Response> {
    return fetch(`${this.base}/v3/auth/tokens`, {
      method,
      headers: { Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
    });
  }

  private async getServiceToken(force = false): Promise<string> {
    if (!force && this.serviceToken && this.serviceToken.expires > Date.now() + 30_000) return this.serviceToken.id;
    this.serviceToken = await passwordToken({ ...this.o, url: this.base });
    return this.serviceToken.id;
  }

  /** Validate a user token → credentials; throws KeystoneAuthError when Keystone says it is invalid. */
  async validate(token: string): Promise<Creds> {
    const now = Date.now();
    const hit = this.cache.get(token);
    if (hit && hit.until > now) return hit.creds;
    if (hit) this.cache.delete(token);
    let r = await this.request('GET', { 'X-Auth-Token': await this.getServiceToken(), 'X-Subject-Token': token });
    if (r.status === 401) r = await this.request('GET', { 'X-Auth-Token': await this.getServiceToken(true), 'X-Subject-Token': token });
    if (r.status === 404 || r.status === 401) throw new KeystoneAuthError('invalid token');
    if (r.status !== 200) throw new Error(`Keystone token validation failed (HTTP ${r.status})`);
    const body = (await r.json()) as { token?: TokenBody };
    if (!body.token) throw new KeystoneAuthError('invalid token');
    const exp = Date.parse(body.token.expires_at ?? '');
    if (Number.isFinite(exp) && exp <= now) throw new KeystoneAuthError('token expired');
    const creds = credsFromToken(body.token);
    const until = Math.min(now + this.o.cacheSeconds * 1000, Number.isFinite(exp) ? exp : Number.POSITIVE_INFINITY);
    if (this.o.cacheSeconds > 0) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(token, { creds, until });
    }
    return creds;
  }
}

export const KEYSTONE_401_BODY = JSON.stringify({
  error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' },
});
