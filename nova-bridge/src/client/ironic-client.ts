/**
 * The bridge's only way to Ironic/Anvil: plain HTTP on the public baremetal API, with Nova's two microversions
 * (1.76 for node reads, as openstacksdk; 1.46 for writes and actions, as ironicclient) and ironicclient's retry rules.
 */
import { IronicConnectionError, IronicHttpError, faultString } from './http-error.ts';
import { chooseReadVersion, chooseWriteVersion } from './microversion.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiAuth } from './api-auth.ts';

export interface ClientOptions {
  endpoint: string; // e.g. http://127.0.0.1:6385
  /** ironicclient's retries on 409/503/connection refused ([ironic]api_max_retries, default 60). */
  maxRetries?: number;
  /** sleep between those retries ([ironic]api_retry_interval, default 2000 ms). */
  retryIntervalMs?: number;
  userAgent?: string;
  /** credentials for an API under http_basic or keystone (a 401 gets a new token and the call once more) */
  auth?: ApiAuth | null;
  /** called after each request (method, path, status, ms); for tracing and tests. */
  onRequest?: (method: string, path: string, status: number, ms: number) => void;
}

export type ApiKind = 'read' | 'write';

export interface CallOptions {
  kind?: ApiKind; // read = SDK (1.76), write = ironicclient (1.46); default write
  body?: unknown;
  /** false = ironicclient's retry_on_conflict=False: one immediate retry, no sleep. */
  retryOnConflict?: boolean;
}

export class IronicClient {
  readonly endpoint: string;
  readonly maxRetries: number;
  readonly retryIntervalMs: number;
  private versions: Promise<{ read: string | null; write: string | null }> | null = null;
  private readonly opts: ClientOptions;

  constructor(opts: ClientOptions) {
    this.opts = opts;
    this.endpoint = opts.endpoint.replace(/\/+$/, '');
    this.maxRetries = opts.maxRetries ?? 60;
    this.retryIntervalMs = opts.retryIntervalMs ?? 2000;
  }

  /** Version discovery (`GET /v1`, min/max headers), once per client; a failure is retried on the next call. */
  negotiate(): Promise<{ read: string | null; write: string | null }> {
    if (!this.versions) {
      this.versions = (async () => {
        const res = await this.raw('GET', '/v1', undefined, {});
        await res.text();
        if (res.status !== 200) throw new IronicHttpError(res.status, `version discovery failed: HTTP ${res.status}`, 'GET', '/v1');
        const min = res.headers.get('x-openstack-ironic-api-minimum-version');
        const max = res.headers.get('x-openstack-ironic-api-maximum-version');
        const write = chooseWriteVersion(min, max);
        if (!write) throw new IronicHttpError(406, `server API versions ${min}..${max} do not include 1.46 or 1.38`, 'GET', '/v1');
        return { read: chooseReadVersion(min, max), write };
      })();
      this.versions.catch(() => {
        this.versions = null;
      });
    }
    return this.versions;
  }

  private async raw(method: string, path: string, body: unknown, headers: Record<string, string>): Promise<Response> {
    const h: Record<string, string> = { Accept: 'application/json', 'User-Agent': this.opts.userAgent ?? 'anvil-nova-bridge', ...headers };
    if (this.opts.auth) {
      try {
        Object.assign(h, await this.opts.auth.headers());
      } catch (err) {
        throw new IronicConnectionError(`${method} ${path}: cannot authenticate (${this.opts.auth.describe}): ${(err as Error).message}`);
      }
    }
    if (body !== undefined) h['Content-Type'] = 'application/json';
    const t0 = performance.now();
    let res: Response;
    try {
      res = await fetch(this.endpoint + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new IronicConnectionError(`${method} ${path}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
    }
    this.opts.onRequest?.(method, path, res.status, performance.now() - t0);
    return res;
  }

  /** One API call. Resolves to the parsed JSON body (undefined for empty bodies); rejects with IronicHttpError. */
  async call<T = unknown>(method: string, path: string, o: CallOptions = {}): Promise<T> {
    const kind = o.kind ?? 'write';
    const v = await this.negotiate();
    const version = kind === 'read' ? v.read : v.write;
    const headers: Record<string, string> = version ? { 'X-OpenStack-Ironic-API-Version': version } : {};
    // SDK reads are not retried; ironicclient retries 409/503/refused (fail-fast variant: 1 retry, no sleep).
    const retries = kind === 'read' ? 0 : o.retryOnConflict === false ? 1 : this.maxRetries;
    const pause = o.retryOnConflict === false ? 0 : this.retryIntervalMs;
    let reauthed = false;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await this.raw(method, path, o.body, headers);
      } catch (err) {
        if (attempt < retries) {
          await sleep(pause);
          continue;
        }
        throw err;
      }
      const text = await res.text();
      if (res.status < 400) return (text ? JSON.parse(text) : undefined) as T;
      if (res.status === 401 && !reauthed && this.opts.auth?.invalidate()) {
        reauthed = true; // a token that expired or was revoked: a new one, and the call again
        attempt--;
        continue;
      }
      if ((res.status === 409 || res.status === 503) && attempt < retries) {
        await sleep(pause);
        continue;
      }
      throw new IronicHttpError(res.status, faultString(text), method, path);
    }
  }

  get<T = unknown>(path: string, kind: ApiKind = 'write'): Promise<T> {
    return this.call<T>('GET', path, { kind });
  }
}
