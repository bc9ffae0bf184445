/**
 * The real Keystone started by scripts/services/keystone.sh: its settings from the environment (a missing one is an
 * error naming the script), an admin token, and registering an Anvil as the `baremetal` service in the catalog.
 */

export interface KeystoneEnv {
  /** http://127.0.0.1:P/v3 */
  url: string;
  adminPassword: string;
  serviceUser: string;
  servicePassword: string;
}

export function keystoneEnv(env: NodeJS.ProcessEnv = process.env): KeystoneEnv {
  const names = ['ANVIL_TEST_KEYSTONE_URL', 'ANVIL_TEST_KEYSTONE_ADMIN_PASSWORD', 'ANVIL_TEST_KEYSTONE_SERVICE_USER', 'ANVIL_TEST_KEYSTONE_SERVICE_PASSWORD'];
  const missing = names.filter((n) => !env[n]);
  if (missing.length)
    throw new Error(`missing ${missing.join(', ')}: Keystone is not running (bash scripts/services/keystone.sh start; export its env)`);
  return {
    url: env.ANVIL_TEST_KEYSTONE_URL!,
    adminPassword: env.ANVIL_TEST_KEYSTONE_ADMIN_PASSWORD!,
    serviceUser: env.ANVIL_TEST_KEYSTONE_SERVICE_USER!,
    servicePassword: env.ANVIL_TEST_KEYSTONE_SERVICE_PASSWORD!,
  };
}

/** A system-scoped token for the bootstrap `admin` user. */
export async function adminToken(ks: KeystoneEnv): Promise<string> {
  const r = await fetch(`${ks.url}/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: ks.adminPassword } } },
        scope: { system: { all: true } },
      },
    }),
  });
  const token = r.headers.get('x-subject-token');
  if (r.status !== 201 || !token) throw new Error(`keystone admin token: ${r.status} ${await r.text()}`);
  return token;
}

async function call(ks: KeystoneEnv, token: string, method: string, path: string, body?: unknown): Promise<any> {
  const r = await fetch(`${ks.url}${path}`, {
    method,
    headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (r.status >= 300) throw new Error(`keystone ${method} ${path}: ${r.status} ${await r.text()}`);
  return r.status === 204 ? null : r.json();
}

/**
 * Makes `url` the only service of catalog type `type` (default `baremetal`; another type lets two tempest runs
 * share one Keystone at once, each told its type by [baremetal] catalog_type) with public, internal and admin
 * endpoints in RegionOne; returns a function that removes it again. Deleting a service deletes its endpoints.
 */
export async function registerBaremetal(ks: KeystoneEnv, url: string, type = 'baremetal'): Promise<() => Promise<void>> {
  const token = await adminToken(ks);
  const old = await call(ks, token, 'GET', `/services?type=${type}`);
  for (const s of old.services) await call(ks, token, 'DELETE', `/services/${s.id}`);
  const { service } = await call(ks, token, 'POST', '/services', { service: { type, name: 'ironic', enabled: true } });
  for (const iface of ['public', 'internal', 'admin'])
    await call(ks, token, 'POST', '/endpoints', { endpoint: { service_id: service.id, interface: iface, url, region_id: 'RegionOne' } });
  return async () => {
    const r = await fetch(`${ks.url}/services/${service.id}`, { method: 'DELETE', headers: { 'X-Auth-Token': await adminToken(ks) } });
    if (r.status !== 204 && r.status !== 404) throw new Error(`keystone DELETE /services/${service.id}: ${r.status} ${await r.text()}`); // 404: gone already
  };
}

/**
 * Keystone 2024.1+'s role hierarchy on an older Keystone: a `manager` role that `admin` implies and that implies
 * `member` (Debian's Keystone 22 has none; Ironic 39's rules name `role:manager`, e.g. runbook creation by a
 * project admin). Idempotent.
 */
export async function ensureManagerRole(ks: KeystoneEnv): Promise<void> {
  const token = await adminToken(ks);
  const id = async (name: string): Promise<string> => {
    const { roles } = await call(ks, token, 'GET', `/roles?name=${name}`);
    if (roles.length) return roles[0].id;
    return (await call(ks, token, 'POST', '/roles', { role: { name } })).role.id;
  };
  const [admin, manager, member] = [await id('admin'), await id('manager'), await id('member')];
  for (const [prior, implied] of [[admin, manager], [manager, member]]) {
    const r = await fetch(`${ks.url}/roles/${prior}/implies/${implied}`, { method: 'PUT', headers: { 'X-Auth-Token': token } });
    if (r.status !== 201 && r.status !== 409) throw new Error(`keystone PUT implied role: ${r.status} ${await r.text()}`); // 409: already there
  }
}
