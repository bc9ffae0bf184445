/**
 * Where the client commands (`anvil watch`, `anvil why`) find Anvil and how they authenticate, like the
 * openstack clients: --endpoint, else OS_ENDPOINT, else http://127.0.0.1:6385; OS_TOKEN → X-Auth-Token (keystone),
 * OS_AUTH_TYPE=http_basic with OS_USERNAME / OS_PASSWORD → HTTP Basic.
 */
import { AnvilError } from '@anvil/sdk';
export function endpointOf(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return (flag ?? env.OS_ENDPOINT ?? 'http://127.0.0.1:6385').replace(/\/+$/, '').replace(/\/v1$/, '');
}

export function authHeaders(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  if (env.OS_TOKEN) return { 'X-Auth-Token': env.OS_TOKEN };
  if (env.OS_AUTH_TYPE === 'http_basic' && env.OS_USERNAME) {
    return { Authorization: `Basic ${Buffer.from(`${env.OS_USERNAME}:${env.OS_PASSWORD ?? ''}`).toString('base64')}` };
  }
  return {};
}

export type IronicCall = (method: string, path: string, body?: unknown) => Promise<any>;

/** An Ironic API client whose errors are AnvilErrors carrying Ironic's faultstring and the HTTP status. */
export function ironicCaller(api: string, version = '1.46'): IronicCall {
  return async (method, path, body) => {
    const r = await fetch(`${api.replace(/\/+$/, '')}/v1${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', 'X-OpenStack-Ironic-API-Version': version, ...authHeaders() },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).catch((e: Error) => {
      throw new AnvilError(`${method} ${path}: cannot reach ${api} (${(e.cause as Error)?.message ?? e.message})`, 'ConnectionFailed', 503);
    });
    const text = await r.text();
    if (r.status >= 300) {
      let message = text;
      try {
        const outer = JSON.parse(text) as { error_message?: string };
        const inner = outer.error_message ? (JSON.parse(outer.error_message) as { faultstring?: string; description?: string; title?: string }) : null;
        message = inner?.faultstring ?? inner?.description ?? inner?.title ?? text;
      } catch {}
      throw new AnvilError(`${method} ${path}: ${message.trim().split('\n')[0]} (HTTP ${r.status})`, 'ApiError', r.status);
    }
    return text ? JSON.parse(text) : null;
  };
}
