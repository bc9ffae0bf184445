/**
 * The compute API: a Nova-compatible `/v2.1` subset (servers + actions, flavors + extra specs, os-keypairs,
 * os-availability-zone) and a small Glance-v2-shaped image API under `/image` (images are URLs + checksums),
 * so the real `openstack server …` commands work against Anvil. Errors in Nova's body format.
 */
import Router from '@koa/router';
import Koa from 'koa';
import type { AuthState } from '@anvil/api/auth';
import { AnvilError } from '@anvil/sdk';
import { catalogRoutes } from './catalog.ts';
import type { ComputeApiDeps } from './deps.ts';
import { imageRoutes } from './images.ts';
import { type Microversion, VersionNotAcceptable, parseMicroversion, versionDoc, versionHeaders } from './microversion.ts';
import { serverRoutes } from './servers.ts';

export interface ApiState {
  body?: unknown;
  version: Microversion;
  base: string;
  /** the caller, when the compute API runs under http_basic or keystone (@anvil/api/auth) */
  auth?: AuthState;
}

/** Nova's unauthenticated routes: the version documents */
export function isComputePublic(path: string): boolean {
  return path === '/' || path === '/v2.1' || path === '/v2.1/';
}

/** Nova's fault keys by status */
const FAULT_KEY: Record<number, string> = { 400: 'badRequest', 403: 'forbidden', 404: 'itemNotFound', 406: 'notAcceptable', 409: 'conflictingRequest', 413: 'overLimit', 503: 'serviceUnavailable' };

export class BadRequest extends AnvilError {
  constructor(message: string) {
    super(message, 'BadRequest', 400);
  }
}

async function readBody(req: AsyncIterable<Buffer>): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BadRequest(`Malformed request body: ${(e as Error).message}`);
  }
}

export function createComputeApp(deps: ComputeApiDeps): Koa<ApiState> {
  const app = new Koa<ApiState>();
  app.use(async (ctx, next) => {
    try {
      ctx.state.base = deps.publicUrl ?? `${ctx.protocol}://${ctx.host}`;
      if (ctx.path.startsWith('/v2.1')) {
        ctx.state.version = parseMicroversion(ctx.headers);
        ctx.set(versionHeaders(ctx.state.version));
      } else ctx.state.version = { minor: 1 };
      if (!['GET', 'HEAD', 'DELETE'].includes(ctx.method)) ctx.state.body = await readBody(ctx.req);
      await next();
      if (ctx.status === 202 && (ctx.body === undefined || ctx.body === null)) ctx.body = ''; // Nova's empty 202, not Koa's "Accepted"
      if (ctx.status === 404 && ctx.body === undefined) throw new AnvilError(`The resource could not be found.`, 'NotFound', 404);
    } catch (err) {
      // 503: Keystone unreachable while checking a token (the API's auth middleware), as the Ironic API answers
      const status = err instanceof VersionNotAcceptable ? 406 : AnvilError.is(err) && (err.status < 500 || err.status === 503) ? err.status : 500;
      if (status === 500) deps.log?.(`compute API ${ctx.method} ${ctx.path}: ${(err as Error).stack ?? err}`);
      const key = FAULT_KEY[status] ?? 'computeFault';
      ctx.status = status;
      ctx.body = { [key]: { code: status, message: status === 500 ? `Unexpected API Error: ${(err as Error).message}` : (err as Error).message } };
    }
  });
  if (deps.auth) app.use(deps.auth);
  const router = new Router<ApiState>();
  router.get('/', (ctx) => {
    ctx.status = 300;
    ctx.body = { versions: [versionDoc(ctx.state.base)] };
  });
  router.get(['/v2.1', '/v2.1/'], (ctx) => {
    ctx.body = { version: versionDoc(ctx.state.base) };
  });
  serverRoutes(router, deps);
  catalogRoutes(router, deps);
  imageRoutes(router, deps);
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
