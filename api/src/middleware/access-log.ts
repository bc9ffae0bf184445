/**
 * The outermost middleware: one JSON access-log line per request (method, path, status, duration, request id,
 * project) and the HTTP metrics (anvil_http_requests_total, anvil_http_request_duration_seconds) labelled with the
 * matched route template, never the raw path (no uuids in labels).
 */
import type { Middleware } from 'koa';
import { httpDuration, httpRequests, type Logger } from '@anvil/conductor';
import type { ApiState } from '../context.ts';

export function accessLogMiddleware(log: Logger): Middleware<ApiState> {
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const route = (ctx as unknown as { _matchedRoute?: string })._matchedRoute ?? (ctx.status === 404 ? 'unmatched' : ctx.path);
      logRequest(log, ctx.method, ctx.path, route, ctx.status, started, ctx.state.requestId, ctx.state.auth?.creds.project_id ?? null);
    }
  };
}

/** The access-log line and the HTTP metrics of one request (also for answers served before Koa: node-show-cache.ts). */
export function logRequest(log: Logger, method: string, path: string, route: string, status: number, started: number, requestId: string, project: string | null): void {
  const seconds = (performance.now() - started) / 1000;
  httpRequests.inc({ method, route, status: String(status) });
  httpDuration.observe({ method, route }, seconds);
  log.info('request', {
    method,
    path,
    status,
    duration_ms: Math.round(seconds * 1e4) / 10,
    request_id: requestId,
    project,
  });
}
