/**
 * Authentication (Ironic's auth_strategy): noauth (default; every policy check passes), http_basic (user file with
 * bcrypt digests) or keystone (X-Auth-Token validated against Keystone v3). Public routes (/, /v1, /v1/lookup,
 * /v1/heartbeat/<id>) need no credentials in any mode. Sets ctx.state.auth for the policy middleware.
 */
import type { Middleware } from 'koa';
import { type Settings, TemporaryFailure } from '@anvil/sdk';
import type { ApiState } from '../context.ts';
import { basicCreds, NOAUTH_CREDS, type Creds, type PolicyOptions } from '../policy/creds.ts';
import { authenticateBasic, BasicAuthError, basicErrorBody, loadUserFile } from './auth-basic.ts';
import { KEYSTONE_401_BODY, KeystoneAuthError, KeystoneClient } from './auth-keystone.ts';
import { isPublicRoute } from './auth-public.ts';

export interface AuthState {
  creds: Creds;
  /** The request matched a public route (no credentials were required). */
  public: boolean;
  policy: PolicyOptions;
  /** Set by the policy middleware: project users list only their nodes (owner or lessee) / allocations (owner). */
  projectFilter?: string;
  /** Set by the policy middleware: the owner a project-scoped create must record. */
  forceOwner?: string;
}

const str = (v: unknown, d: string) => (typeof v === 'string' && v !== '' ? v : d);

export function policyOptions(settings: Settings): PolicyOptions {
  const v = settings.policy_enforce_new_defaults;
  return {
    enforceNewDefaults: v === true || v === 'true' || v === '1',
    serviceProjectName: str(settings.rbac_service_project_name, 'service'),
  };
}

/**
 * The middleware for a Koa app's state with `auth`: the Ironic API's, and the compute API's (nova-bridge, with its
 * own public routes), so both check the same credentials and tokens the same way.
 */
export function authMiddleware<S extends { auth?: AuthState } = ApiState>(settings: Settings, isPublic: (path: string) => boolean = isPublicRoute): Middleware<S> {
  return authFor(settings, isPublic) as unknown as Middleware<S>;
}

function authFor(settings: Settings, isPublicRoute: (path: string) => boolean): Middleware<ApiState> {
  const strategy = settings.auth_strategy ?? 'noauth';
  const policy = policyOptions(settings);
  if (strategy === 'noauth') {
    return async (ctx, next) => {
      ctx.state.auth = { creds: NOAUTH_CREDS, public: false, policy };
      await next();
    };
  }
  if (strategy === 'http_basic') {
    const file = str(settings.http_basic_auth_user_file, '/etc/ironic/htpasswd');
    loadUserFile(file); // fail at startup on an unreadable file or a non-bcrypt entry, as Ironic does
    return async (ctx, next) => {
      if (isPublicRoute(ctx.path)) {
        ctx.state.auth = { creds: { roles: [] }, public: true, policy };
        return next();
      }
      let user: string;
      try {
        user = await authenticateBasic(file, ctx.get('Authorization') || undefined);
      } catch (e) {
        if (!(e instanceof BasicAuthError)) throw e;
        ctx.status = e.status;
        if (e.status === 401) ctx.set('WWW-Authenticate', 'Basic realm="Baremetal API"');
        ctx.type = 'application/json';
        ctx.body = basicErrorBody(e);
        return;
      }
      ctx.state.auth = { creds: basicCreds(user), public: false, policy };
      await next();
    };
  }
  if (strategy === 'keystone') {
    const url = str(settings.keystone_url, 'http://127.0.0.1:5000');
    const client = new KeystoneClient({
      url,
      username: str(settings.keystone_username, 'ironic'),
      password: str(settings.keystone_password, ''),
      projectName: str(settings.keystone_project_name, 'service'),
      userDomainName: str(settings.keystone_user_domain_name, 'Default'),
      projectDomainName: str(settings.keystone_project_domain_name, 'Default'),
      cacheSeconds: Number(settings.keystone_token_cache_time ?? 300),
    });
    const wwwAuth = `Keystone uri="${str(settings.keystone_www_authenticate_uri, url)}"`;
    const deny = (ctx: Parameters<Middleware<ApiState>>[0]) => {
      ctx.status = 401;
      ctx.set('WWW-Authenticate', wwwAuth);
      ctx.type = 'application/json';
      ctx.body = KEYSTONE_401_BODY;
    };
    return async (ctx, next) => {
      if (isPublicRoute(ctx.path)) {
        ctx.state.auth = { creds: { roles: [] }, public: true, policy };
        return next();
      }
      const token = ctx.get('X-Auth-Token');
      if (!token) return deny(ctx);
      let creds: Creds;
      try {
        creds = await client.validate(token);
      } catch (e) {
        if (e instanceof KeystoneAuthError) return deny(ctx);
        throw new TemporaryFailure('The Keystone service is temporarily unavailable.');
      }
      ctx.state.auth = { creds, public: false, policy };
      await next();
    };
  }
  throw new Error(`Unknown auth_strategy "${String(strategy)}" (noauth, http_basic or keystone)`);
}
