/**
 * The compute API as `anvil server|flavor|image` use it: JSON over HTTP, Nova's fault bodies turned into
 * errors (code from the fault key or the server's fault name), name → id lookups, and waits for a stable status.
 */
import { AnvilError } from '@anvil/sdk';
import type { ApiAuth } from '../client/api-auth.ts';

export class ComputeApiError extends AnvilError {
  constructor(
    message: string,
    code: string,
    status: number,
    readonly rejected?: unknown[],
  ) {
    super(message, code, status);
  }
}

const CODE_OF_KEY: Record<string, string> = { itemNotFound: 'NotFound', badRequest: 'BadRequest', conflictingRequest: 'Conflict', notAcceptable: 'NotAcceptable', computeFault: 'ComputeFault' };

export class ComputeClient {
  constructor(
    readonly endpoint: string,
    readonly version = '2.47',
    /** credentials (openstackclient's --os-* options); a 401 gets a new token and the call once more */
    readonly auth: ApiAuth | null = null,
  ) {}

  async call<T = any>(method: string, path: string, body?: unknown, reauthed = false): Promise<T> {
    let auth: Record<string, string> = {};
    try {
      auth = (await this.auth?.headers()) ?? {};
    } catch (err) {
      throw new ComputeApiError(`cannot authenticate (${this.auth?.describe}): ${(err as Error).message}`, 'Unauthorized', 401);
    }
    let res: Response;
    try {
      res = await fetch(this.endpoint.replace(/\/+$/, '') + path, {
        method,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'OpenStack-API-Version': `compute ${this.version}`, ...auth },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new ComputeApiError(`cannot reach the compute API at ${this.endpoint} (${(err as Error).message}); is \`anvil compute\` (or \`anvil server\`) running?`, 'ConnectionError', 503);
    }
    if (res.status === 401 && !reauthed && this.auth?.invalidate()) {
      await res.body?.cancel().catch(() => {});
      return this.call(method, path, body, true);
    }
    const text = await res.text();
    const json = /^\s*[[{]/.test(text) ? JSON.parse(text) : undefined;
    if (res.status >= 400) {
      const [key, fault] = Object.entries((json ?? {}) as Record<string, { message?: string }>)[0] ?? ['', {}];
      const code = res.status === 401 ? 'Unauthorized' : (CODE_OF_KEY[key] ?? key ?? 'Error');
      throw new ComputeApiError(`${fault?.message ?? `${method} ${path} → ${res.status}`}${res.status === 401 ? ' (HTTP 401; --os-auth-type, --os-username/--os-password or --os-auth-url … as openstackclient, or OS_* variables)' : ''}`, code, res.status);
    }
    return json as T;
  }

  /** a server by id or exact name */
  async server(ref: string): Promise<any> {
    try {
      return (await this.call('GET', `/v2.1/servers/${encodeURIComponent(ref)}`)).server;
    } catch (err) {
      if (!(err instanceof ComputeApiError) || err.status !== 404) throw err;
    }
    const hits = (await this.call('GET', `/v2.1/servers/detail?name=${encodeURIComponent(`^${ref.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)}`)).servers;
    if (hits.length === 1) return hits[0];
    if (hits.length > 1) throw new ComputeApiError(`More than one server is named ${ref}; use the id.`, 'Conflict', 409);
    throw new ComputeApiError(`Instance ${ref} could not be found.`, 'NotFound', 404);
  }

  /** poll until the server leaves BUILD / its task (ERROR → the fault as an error); each change of status or task is told to `progress` */
  async waitStable(id: string, intervalMs = 250, progress: (line: string) => void = () => {}): Promise<any> {
    let said = '';
    const t0 = Date.now();
    for (;;) {
      const s = (await this.call('GET', `/v2.1/servers/${id}`)).server;
      const now = `${s.status}${s['OS-EXT-STS:task_state'] ? ` (${s['OS-EXT-STS:task_state']})` : ''}`;
      if (now !== said) {
        progress(`${s.name ?? id}: ${now} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        said = now;
      }
      if (s['OS-EXT-STS:task_state'] === null && s.status !== 'BUILD') {
        if (s.status === 'ERROR' && s.fault) {
          let rejected: unknown[] | undefined;
          try {
            rejected = JSON.parse(s.fault.details);
          } catch {
            /* details is not a reason list */
          }
          throw new ComputeApiError(s.fault.message, Array.isArray(rejected) ? 'NoValidHost' : String(s.fault.details ?? 'ComputeFault'), s.fault.code, Array.isArray(rejected) ? rejected : undefined);
        }
        return s;
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }

  async waitGone(id: string, intervalMs = 250): Promise<void> {
    for (;;) {
      try {
        await this.call('GET', `/v2.1/servers/${id}`);
      } catch (err) {
        if (err instanceof ComputeApiError && err.status === 404) return;
        throw err;
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}
