/**
 * How the compute side authenticates to an API (the baremetal API for the compute service; the compute API for
 * `anvil server|flavor|image`): HTTP Basic, a fixed token, or a Keystone token got with the password method
 * (keystoneauth's `password` plugin) and got again when it is near its expiry or the API answers 401.
 * Secrets stay inside: nothing here formats a password or a token into a message.
 */
import { passwordToken, type PasswordCredentials } from '@anvil/api/auth';
import { AnvilError, type Settings } from '@anvil/sdk';

export interface ApiAuth {
  /** what `describe` says in logs: the method and the user, never a secret */
  readonly describe: string;
  headers(): Promise<Record<string, string>>;
  /** the API said 401: forget a token so the next headers() gets a new one; false when that cannot help */
  invalidate(): boolean;
}

export function basicAuth(username: string, password: string): ApiAuth {
  const value = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  return { describe: `http_basic as ${username}`, headers: async () => ({ Authorization: value }), invalidate: () => false };
}

export function tokenAuth(token: string): ApiAuth {
  return { describe: 'a given token', headers: async () => ({ 'X-Auth-Token': token }), invalidate: () => false };
}

export function keystoneAuth(creds: PasswordCredentials): ApiAuth {
  let token: Promise<{ id: string; expires: number }> | null = null;
  return {
    describe: `keystone as ${creds.username} in project ${creds.projectName}`,
    async headers() {
      if (token) {
        const t = await token.catch(() => null);
        if (!t || t.expires <= Date.now() + 30_000) token = null;
      }
      if (!token) {
        token = passwordToken(creds);
        token.catch(() => {
          token = null; // a failure is retried on the next call
        });
      }
      return { 'X-Auth-Token': (await token).id };
    },
    invalidate() {
      token = null;
      return true;
    },
  };
}

export interface ClientAuthOptions {
  authType?: string;
  token?: string;
  authUrl?: string;
  username?: string;
  password?: string;
  projectName?: string;
  userDomainName?: string;
  projectDomainName?: string;
}

/** openstackclient's choice: a token; http_basic; password (Keystone) when an auth URL is given; else none */
export function clientAuth(o: ClientAuthOptions): ApiAuth | null {
  const type = o.authType ?? (o.token ? 'token' : o.authUrl ? 'password' : 'none');
  if (type === 'none' || type === 'noauth') return null;
  if (type === 'token' || type === 'admin_token' || type === 'v3token') {
    if (!o.token) throw new AnvilError(`--os-auth-type ${type} needs --os-token (OS_TOKEN)`, 'InvalidParameterValue', 400);
    return tokenAuth(o.token);
  }
  if (type === 'http_basic') {
    if (!o.username) throw new AnvilError('--os-auth-type http_basic needs --os-username (OS_USERNAME) and --os-password (OS_PASSWORD)', 'InvalidParameterValue', 400);
    return basicAuth(o.username, o.password ?? '');
  }
  if (type === 'password' || type === 'v3password') {
    const missing = [['--os-auth-url', o.authUrl], ['--os-username', o.username], ['--os-password', o.password], ['--os-project-name', o.projectName]].filter(([, v]) => !v).map(([f]) => f);
    if (missing.length) throw new AnvilError(`Keystone authentication needs ${missing.join(', ')} (or the OS_* variables)`, 'InvalidParameterValue', 400);
    return keystoneAuth({
      url: o.authUrl!,
      username: o.username!,
      password: o.password!,
      projectName: o.projectName!,
      userDomainName: o.userDomainName ?? 'Default',
      projectDomainName: o.projectDomainName ?? 'Default',
    });
  }
  throw new AnvilError(`--os-auth-type ${type}: not one of none, token, http_basic, password`, 'InvalidParameterValue', 400);
}

/**
 * The compute service's credentials for the baremetal API, by the deployment's auth_strategy: http_basic with
 * compute_ironic_username/compute_ironic_password; keystone with those, else the keystone_* service user.
 */
export function serviceAuth(settings: Settings): ApiAuth | null {
  const s = settings as unknown as Record<string, unknown>;
  const str = (k: keyof Settings) => (typeof s[k] === 'string' && s[k] !== '' ? (s[k] as string) : undefined);
  if (settings.auth_strategy === 'http_basic') {
    const user = str('compute_ironic_username');
    if (!user) throw new AnvilError('auth_strategy http_basic: the compute service needs compute_ironic_username and compute_ironic_password (a user of http_basic_auth_user_file) to call the baremetal API', 'ConfigInvalid', 400);
    return basicAuth(user, str('compute_ironic_password') ?? '');
  }
  if (settings.auth_strategy === 'keystone') {
    return clientAuth({
      authType: 'password',
      authUrl: str('keystone_url'),
      username: str('compute_ironic_username') ?? str('keystone_username'),
      password: str('compute_ironic_password') ?? str('keystone_password'),
      projectName: str('keystone_project_name'),
      userDomainName: str('keystone_user_domain_name'),
      projectDomainName: str('keystone_project_domain_name'),
    });
  }
  return null;
}
