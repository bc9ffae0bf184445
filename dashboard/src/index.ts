/**
 * The dashboard's server side: a Koa middleware serving the static files of public/ under /dashboard/ (no build
 * step: plain ES modules). The pages call the API with the user's own credentials, so the API's auth applies to
 * every piece of data they show; the files themselves hold no data and are public.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Middleware } from 'koa';

export const DASHBOARD_PATH = '/dashboard';
const PUBLIC_DIR = join(new URL('.', import.meta.url).pathname, '..', 'public');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** name → file bytes, read once (the set of files is fixed: nothing outside public/ can be named). */
function loadFiles(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(dir)) if (TYPES[extname(name)]) files.set(name, readFileSync(join(dir, name)));
  return files;
}

export interface DashboardOptions {
  /** the API's auth_strategy: the page asks for credentials before its first call unless it is noauth (a browser
   * answered 401 + WWW-Authenticate would pop its own prompt instead) */
  authStrategy?: string;
  dir?: string;
}

export function dashboardMiddleware(opts: DashboardOptions = {}): Middleware {
  const files = loadFiles(opts.dir ?? PUBLIC_DIR);
  files.set('config.json', Buffer.from(JSON.stringify({ auth_strategy: opts.authStrategy ?? 'noauth' })));
  return async (ctx, next) => {
    const p = ctx.path;
    if (p !== DASHBOARD_PATH && !p.startsWith(`${DASHBOARD_PATH}/`)) return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.status = 405;
      ctx.set('Allow', 'GET, HEAD');
      return;
    }
    if (p === DASHBOARD_PATH) return ctx.redirect(`${DASHBOARD_PATH}/`);
    const name = p.slice(DASHBOARD_PATH.length + 1) || 'index.html';
    const body = files.get(name);
    if (!body) {
      ctx.status = 404;
      ctx.type = 'text/plain';
      ctx.body = 'Not Found';
      return;
    }
    ctx.set('Content-Type', TYPES[extname(name)]);
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.body = body;
  };
}
