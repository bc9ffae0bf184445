/**
 * The Inspector-compatible API (ironic-inspector's v1, its own port: `inspector_port`, 5050): version discovery and
 * microversion headers (`X-OpenStack-Ironic-Inspector-API-{Minimum,Maximum}-Version` on every answer, the request's
 * `X-OpenStack-Ironic-Inspector-API-Version`: X.Y or latest, 1.0–1.18), errors as `{"error": {"message"}}`, Anvil's
 * auth (noauth / http_basic / keystone; `/`, `/v1` and the ramdisk's `/v1/continue` are public, the rest needs an
 * admin or service role under keystone, as Inspector's default policy), then introspection.ts and rules.ts.
 */
import { createServer } from 'node:http';
import Router from '@koa/router';
import Koa, { type Context, type Middleware } from 'koa';
import { AnvilError } from '@anvil/sdk';
import type { ApiDeps, ApiState } from '../context.ts';
import { authMiddleware } from '../middleware/auth.ts';
import { listen, type RunningApi } from '../server.ts';
import * as introspection from './introspection.ts';
import * as rules from './rules.ts';

export const MIN_VERSION: [number, number] = [1, 0];
export const MAX_VERSION: [number, number] = [1, 18];
const H = 'X-OpenStack-Ironic-Inspector-API';
const fmt = (v: [number, number]) => `${v[0]}.${v[1]}`;
const PUBLIC = /^\/(v1\/?|v1\/continue\/?)?$/;

/** ironic-inspector's utils.Error: a message and an HTTP code. */
export class InspectorError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export type InspectorContext = Context & { state: ApiState & { version: [number, number] } };
export type InspectorRouter = Router<ApiState & { version: [number, number] }>;

export function errorBody(message: string) {
  return { error: { message } };
}

/** The requested version (header absent → the current one), or the 400/406 Inspector answers. */
export function requestedVersion(header: string | undefined): [number, number] {
  if (!header) return MAX_VERSION;
  if (header.trim().toLowerCase() === 'latest') return MAX_VERSION;
  const m = /^\s*(\d+)\.(\d+)\s*$/.exec(header);
  if (!m) throw new InspectorError('Malformed API version: expected string in form of X.Y or latest', 400);
  const v: [number, number] = [Number(m[1]), Number(m[2])];
  const cmp = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];
  if (cmp(v, MIN_VERSION) < 0 || cmp(v, MAX_VERSION) > 0) {
    throw new InspectorError(`Unsupported API version ${fmt(v)}, supported range is ${fmt(MIN_VERSION)} to ${fmt(MAX_VERSION)}`, 406);
  }
  return v;
}

function errors(log: ApiDeps['log']): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new InspectorError('404 Not Found: The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.', 404);
    } catch (err) {
      const status = err instanceof InspectorError ? err.status : AnvilError.is(err) ? err.status : 500;
      const message = err instanceof InspectorError || (AnvilError.is(err) && status < 500) ? (err as Error).message : 'Internal server error';
      if (status >= 500) log?.error(`inspector API: ${(err as Error).stack ?? err}`);
      ctx.status = status;
      ctx.body = errorBody(message);
    }
    ctx.set(`${H}-Minimum-Version`, fmt(MIN_VERSION));
    ctx.set(`${H}-Maximum-Version`, fmt(MAX_VERSION));
  };
}

function auth(deps: ApiDeps): Middleware<ApiState> {
  const inner = authMiddleware(deps.settings);
  const strategy = deps.settings.auth_strategy ?? 'noauth';
  return async (ctx, next) => {
    if (PUBLIC.test(ctx.path)) return next();
    await inner(ctx, async () => {
      const roles = ctx.state.auth?.creds.roles ?? [];
      if (strategy === 'keystone' && !roles.some((r) => ['admin', 'administrator', 'baremetal_admin', 'service'].includes(r))) throw new InspectorError('Access denied by policy', 403);
      await next();
    });
    if (ctx.status === 401) ctx.body = errorBody('Authentication required');
  };
}

async function readJson(ctx: Context, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of ctx.req) {
    size += (c as Buffer).length;
    if (size > limit) throw new InspectorError('Request entity too large', 413);
    chunks.push(c as Buffer);
  }
  if (!size) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new InspectorError('400 Bad Request: The browser (or proxy) sent a request that this server could not understand.', 400);
  }
}

export function createInspectorApp(deps: ApiDeps): Koa<ApiState> {
  const app = new Koa<ApiState>({ proxy: false });
  app.silent = true;
  const router: InspectorRouter = new Router();
  const root = (ctx: Context) => `${ctx.protocol}://${ctx.host}`;
  router.get('/', (ctx) => {
    ctx.body = { versions: [{ status: 'CURRENT', id: fmt(MAX_VERSION), links: [{ rel: 'self', href: `${root(ctx)}/v1` }] }] };
  });
  router.get('/:version', (ctx) => {
    if (ctx.params.version !== 'v1') throw new InspectorError(`Version ${ctx.params.version} not found.`, 404);
    ctx.body = { resources: ['continue', 'introspection', 'rules'].map((name) => ({ name, links: [{ rel: 'self', href: `${root(ctx)}/v1/${name}` }] })) };
  });
  introspection.register(router, deps);
  rules.register(router, deps);
  app.use(errors(deps.log));
  app.use(async (ctx, next) => {
    (ctx.state as InspectorContext['state']).version = requestedVersion(ctx.get(`${H}-Version`) || undefined);
    await next();
  });
  app.use(auth(deps));
  app.use(async (ctx, next) => {
    if (ctx.method === 'POST' || ctx.method === 'PUT' || ctx.method === 'PATCH') ctx.state.body = await readJson(ctx, Number(deps.settings.max_body_bytes) || 1024 * 1024);
    await next();
  });
  // Flask's own 405 page (Inspector has no JSON handler for it)
  app.use(async (ctx, next) => {
    await next();
    if (ctx.status === 405) {
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = '<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n';
    }
  });
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

export type RunningInspectorApi = RunningApi;

/** Serve the Inspector-compatible API on settings.host:inspector_port (0 → a free port). */
export async function startInspectorApi(deps: ApiDeps): Promise<RunningInspectorApi> {
  return listen(createServer(createInspectorApp(deps).callback()), Number(deps.settings.inspector_port ?? 5050), deps.settings.host);
}
