/**
 * Where the client commands (`anvil watch`, `anvil why`) find Anvil and how they authenticate, like the
 * openstack clients: --endpoint, else OS_ENDPOINT, else http://127.0.0.1:6385; OS_TOKEN → X-Auth-Token (keystone),
 * OS_AUTH_TYPE=http_basic with OS_USERNAME / OS_PASSWORD → HTTP Basic.
 */
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
