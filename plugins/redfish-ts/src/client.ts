/**
 * The Redfish client: one undici Agent (keep-alive pool) per BMC, authentication (`basic`, `session`, `auto` =
 * session when the service offers it, else basic; a 401 on a session re-logs in once), bounded retries for
 * connection errors and 5xx answers to reads (`connectionAttempts` × `connectionRetryInterval`, Ironic's
 * [redfish] names), connect/read timeouts, TLS verification on, off or against a CA bundle.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { RedfishAccessError, RedfishConnectionError, RedfishHttpError, connectionError, errorDetail } from './errors.ts';
import { type Json, etagOf, expandedMembers, link, memberIds, parseAddress, urlOf } from './odata.ts';
import { type TaskStatus, taskStatus } from './task-monitor.ts';
import { setTimeout as sleep } from 'node:timers/promises';

export type AuthType = 'basic' | 'session' | 'auto';

export interface RedfishClientOptions {
  /** `redfish_address`: host[:port] or http(s)://host[:port] (https when no scheme) */
  address: string;
  username?: string;
  password?: string;
  authType?: AuthType;
  /** true (system CAs), false (no verification) or the path of a CA bundle (`redfish_verify_ca`) */
  verify?: boolean | string;
  /** seconds (Ironic [redfish]connect_timeout, 30) */
  connectTimeout?: number;
  /** seconds (Ironic [redfish]read_timeout, 60) */
  readTimeout?: number;
  /** attempts for connection errors and 5xx on reads (Ironic [redfish]connection_attempts, 5) */
  connectionAttempts?: number;
  /** seconds between attempts (Ironic [redfish]connection_retry_interval, 4) */
  connectionRetryInterval?: number;
}

export interface RedfishResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Json | null;
}

export class RedfishClient {
  readonly base: string;
  private readonly agent: Agent;
  private readonly opts: Required<Omit<RedfishClientOptions, 'verify'>>;
  private token: string | null = null;
  private sessionUrl: string | null = null;
  private mode: 'basic' | 'session' | null = null;
  private rootCache: Json | null = null;
  private login: Promise<void> | null = null;
  /** requests sent (tests and the bench read it) */
  requests = 0;

  constructor(options: RedfishClientOptions) {
    this.base = parseAddress(options.address);
    this.opts = {
      address: options.address,
      username: options.username ?? '',
      password: options.password ?? '',
      authType: options.authType ?? 'auto',
      connectTimeout: options.connectTimeout ?? 30,
      readTimeout: options.readTimeout ?? 60,
      connectionAttempts: Math.max(1, options.connectionAttempts ?? 5),
      connectionRetryInterval: options.connectionRetryInterval ?? 4,
    };
    const verify = options.verify ?? true;
    const tls = typeof verify === 'string' ? { ca: readFileSync(verify), rejectUnauthorized: true } : { rejectUnauthorized: verify };
    this.agent = new Agent({
      connect: { ...tls, timeout: this.opts.connectTimeout * 1000 },
      headersTimeout: this.opts.readTimeout * 1000,
      bodyTimeout: this.opts.readTimeout * 1000,
      keepAliveTimeout: 30_000,
    });
  }

  /** The service root (unauthenticated per DSP0266), read once. */
  async root(): Promise<Json> {
    if (!this.rootCache) this.rootCache = (await this.send('GET', '/redfish/v1/', undefined, {}, false)).body ?? {};
    return this.rootCache;
  }

  async get(path: string, opts: { expand?: boolean } = {}): Promise<Json> {
    let p = path;
    if (opts.expand && (await this.supportsExpand())) p += `${p.includes('?') ? '&' : '?'}$expand=.($levels=1)`;
    return (await this.call('GET', p)).body ?? {};
  }

  /** GET returning the ETag (header or @odata.etag) for a later If-Match. */
  async getWithEtag(path: string): Promise<{ body: Json; etag: string | null }> {
    const r = await this.call('GET', path);
    return { body: r.body ?? {}, etag: etagOf(r.headers, r.body) };
  }

  /** Members of a collection: expanded in one request when the service offers $expand, else one GET each. */
  async members(path: string): Promise<Json[]> {
    const coll = await this.get(path, { expand: true });
    const expanded = expandedMembers(coll);
    if (expanded) return expanded;
    return Promise.all(memberIds(coll).map((id) => this.get(id)));
  }

  async patch(path: string, body: Json, opts: { etag?: string | null } = {}): Promise<RedfishResponse> {
    return this.call('PATCH', path, body, opts.etag ? { 'If-Match': opts.etag } : {});
  }

  /** PATCH with If-Match from a fresh read; on 412 (changed meanwhile) read and try once more. */
  async patchWithEtag(path: string, body: Json): Promise<RedfishResponse> {
    for (let attempt = 0; ; attempt++) {
      const { etag } = await this.getWithEtag(path);
      try {
        return await this.patch(path, body, { etag });
      } catch (err) {
        if (attempt === 0 && err instanceof RedfishHttpError && err.status === 412) continue;
        throw err;
      }
    }
  }

  async post(path: string, body: Json = {}): Promise<RedfishResponse> {
    return this.call('POST', path, body);
  }

  /** DELETE; a body only when the service wants one (e.g. a Volume's @Redfish.OperationApplyTime). */
  async delete(path: string, body?: Json): Promise<RedfishResponse> {
    return this.call('DELETE', path, body);
  }

  /**
   * Follow a long action to its end: a 202 with a Location (task monitor) or a Task body. Polls every
   * `intervalMs` until the task completes (returns its status) or fails (throws) or `timeoutMs` passes (throws).
   */
  async waitTask(resp: RedfishResponse, opts: { intervalMs?: number; timeoutMs?: number } = {}): Promise<TaskStatus | null> {
    const loc = resp.headers.location;
    let monitor = typeof loc === 'string' ? loc : null;
    if (!monitor && resp.body && String(resp.body['@odata.type'] ?? '').includes('#Task.')) monitor = link({ t: resp.body }, 't');
    if (!monitor) return null;
    const end = Date.now() + (opts.timeoutMs ?? 600_000);
    for (;;) {
      const r = await this.call('GET', monitor);
      const st = r.body && 'TaskState' in r.body ? taskStatus(r.body) : r.status === 202 ? null : { phase: 'completed' as const, state: 'Completed', percent: 100, message: '' };
      if (st?.phase === 'completed') return st;
      if (st?.phase === 'failed') throw new RedfishHttpError('GET', urlOf(this.base, monitor), r.status, [], `Task ended in state ${st.state}: ${st.message || 'no message'}`);
      if (Date.now() > end) throw new RedfishConnectionError(`Redfish task ${monitor} did not finish within ${(opts.timeoutMs ?? 600_000) / 1000} seconds.`, 'timeout');
      await sleep(opts.intervalMs ?? 1000);
    }
  }

  /** Log out (DELETE the session) and close the connection pool. */
  async close(): Promise<void> {
    if (this.sessionUrl && this.token) await this.send('DELETE', this.sessionUrl, undefined, {}, true).catch(() => undefined);
    this.token = null;
    await this.agent.close();
  }

  private async supportsExpand(): Promise<boolean> {
    const f = (await this.root()).ProtocolFeaturesSupported as Json | undefined;
    const e = f?.ExpandQuery as Json | undefined;
    return !!(e && (e.Levels === true || e.ExpandAll === true));
  }

  /** An authenticated call: logs in first when needed, re-logs in once on 401 with a session. */
  async call(method: string, path: string, body?: Json, headers: Record<string, string> = {}): Promise<RedfishResponse> {
    await this.ensureAuth();
    try {
      return await this.send(method, path, body, headers, true);
    } catch (err) {
      if (!(err instanceof RedfishHttpError) || err.status !== 401 || this.mode !== 'session') throw err;
      this.token = null;
      await this.ensureAuth();
      return this.send(method, path, body, headers, true);
    }
  }

  private async ensureAuth(): Promise<void> {
    if (this.mode === 'basic' || (this.mode === 'session' && this.token)) return;
    this.login ??= this.authenticate().finally(() => {
      this.login = null;
    });
    await this.login;
  }

  private async authenticate(): Promise<void> {
    const want = this.opts.authType;
    if (want === 'basic') {
      this.mode = 'basic';
      return;
    }
    const root = await this.root();
    const sessions = link(root, 'Links', 'Sessions');
    if (!sessions) {
      if (want === 'session') throw new RedfishHttpError('GET', `${this.base}/redfish/v1/`, 404, [], 'The BMC offers no SessionService (Links.Sessions) but redfish_auth_type is "session".');
      this.mode = 'basic';
      return;
    }
    try {
      const r = await this.send('POST', sessions, { UserName: this.opts.username, Password: this.opts.password }, {}, false);
      const token = r.headers['x-auth-token'];
      if (typeof token !== 'string' || !token) throw new RedfishHttpError('POST', urlOf(this.base, sessions), r.status, [], 'The BMC created a session but sent no X-Auth-Token.');
      this.token = token;
      this.sessionUrl = typeof r.headers.location === 'string' ? r.headers.location : link({ s: r.body }, 's');
      this.mode = 'session';
    } catch (err) {
      // auto: a BMC whose session service fails (not a credentials error) falls back to basic
      if (want === 'auto' && !(err instanceof RedfishAccessError) && !(err instanceof RedfishConnectionError)) {
        this.mode = 'basic';
        return;
      }
      throw err;
    }
  }

  private authHeaders(): Record<string, string> {
    if (this.mode === 'session' && this.token) return { 'X-Auth-Token': this.token };
    if (this.mode === 'basic' && (this.opts.username || this.opts.password)) {
      return { Authorization: `Basic ${Buffer.from(`${this.opts.username}:${this.opts.password}`).toString('base64')}` };
    }
    return {};
  }

  /** One request with bounded retries: connection errors always, 5xx only for GET. */
  private async send(method: string, path: string, body: Json | undefined, headers: Record<string, string>, auth: boolean): Promise<RedfishResponse> {
    const url = urlOf(this.base, path);
    const attempts = this.opts.connectionAttempts;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(method, url, body, { ...headers, ...(auth ? this.authHeaders() : {}) });
      } catch (err) {
        const retryable = err instanceof RedfishConnectionError ? err.reason !== 'tls' : err instanceof RedfishHttpError && err.status >= 500 && method === 'GET';
        if (!retryable || attempt >= attempts) throw err;
        await sleep(this.opts.connectionRetryInterval * 1000);
      }
    }
  }

  private async once(method: string, url: string, body: Json | undefined, headers: Record<string, string>): Promise<RedfishResponse> {
    this.requests++;
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(url, {
        method: method as 'GET',
        dispatcher: this.agent,
        headers: { Accept: 'application/json', 'OData-Version': '4.0', ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
      });
    } catch (err) {
      throw connectionError(url, err);
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (err) {
      throw connectionError(url, err);
    }
    let parsed: Json | null = null;
    if (text) {
      try {
        parsed = JSON.parse(text) as Json;
      } catch {
        parsed = null;
      }
    }
    const hdrs = res.headers as Record<string, string | string[] | undefined>;
    if (res.statusCode >= 400) {
      const { detail, messageIds } = errorDetail(parsed, parsed ? '' : text);
      if (res.statusCode === 401 || res.statusCode === 403) {
        const who = this.opts.username ? ` of user '${this.opts.username}'` : '';
        throw new RedfishAccessError(method, url, res.statusCode, messageIds, `The BMC rejected the credentials${who} (${res.statusCode === 401 ? 'Unauthorized' : 'Forbidden'}); check redfish_username and redfish_password. ${detail}`);
      }
      throw new RedfishHttpError(method, url, res.statusCode, messageIds, detail);
    }
    return { status: res.statusCode, headers: hdrs, body: parsed };
  }
}
