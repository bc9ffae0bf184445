/**
 * Where the client commands (`anvil watch`, `why`, `node`, the resource commands) find Anvil and how they
 * authenticate, like the openstack clients: --endpoint, else OS_ENDPOINT, else http://127.0.0.1:6385; credentials
 * from the OS_* variables as openstackclient chooses (nova-bridge's client/api-auth.ts, shared with `anvil server|
 * flavor|image`): OS_TOKEN → X-Auth-Token; OS_AUTH_TYPE=http_basic with OS_USERNAME/OS_PASSWORD → HTTP Basic;
 * OS_AUTH_URL with OS_USERNAME/OS_PASSWORD/OS_PROJECT_NAME → a Keystone token (password method).
 */
import { type ApiAuth, clientAuth } from '@anvil/nova-bridge/auth';
import { AnvilError } from '@anvil/sdk';
export function endpointOf(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return (flag ?? env.OS_ENDPOINT ?? 'http://127.0.0.1:6385').replace(/\/+$/, '').replace(/\/v1$/, '');
}

const AUTH_VARS = ['OS_AUTH_TYPE', 'OS_TOKEN', 'OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD', 'OS_PROJECT_NAME', 'OS_USER_DOMAIN_NAME', 'OS_PROJECT_DOMAIN_NAME'];
const known = new Map<string, ApiAuth | null>(); // one token per set of credentials for the process

/** The credentials the OS_* variables give (null: none), as openstackclient picks them. */
export function authOf(env: NodeJS.ProcessEnv = process.env): ApiAuth | null {
  const key = JSON.stringify(AUTH_VARS.map((v) => env[v] ?? null));
  if (!known.has(key))
    known.set(
      key,
      clientAuth({
        authType: env.OS_AUTH_TYPE,
        token: env.OS_TOKEN,
        authUrl: env.OS_AUTH_URL,
        username: env.OS_USERNAME,
        password: env.OS_PASSWORD,
        projectName: env.OS_PROJECT_NAME,
        userDomainName: env.OS_USER_DOMAIN_NAME,
        projectDomainName: env.OS_PROJECT_DOMAIN_NAME,
      }),
    );
  return known.get(key) ?? null;
}

export async function authHeaders(env: NodeJS.ProcessEnv = process.env): Promise<Record<string, string>> {
  const auth = authOf(env);
  try {
    return (await auth?.headers()) ?? {};
  } catch (err) {
    throw new AnvilError(`cannot authenticate (${auth?.describe}): ${(err as Error).message}`, 'Unauthorized', 401);
  }
}

export type IronicCall = (method: string, path: string, body?: unknown) => Promise<any>;

/** An Ironic API client whose errors are AnvilErrors carrying Ironic's faultstring and the HTTP status. */
export function ironicCaller(api: string, version = '1.46'): IronicCall {
  return async (method, path, body) => {
    const r = await fetch(`${api.replace(/\/+$/, '')}/v1${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', 'X-OpenStack-Ironic-API-Version': version, ...(await authHeaders()) },
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
