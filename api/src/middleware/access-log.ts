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
      const seconds = (performance.now() - started) / 1000;
      const route = (ctx as unknown as { _matchedRoute?: string })._matchedRoute ?? (ctx.status === 404 ? 'unmatched' : ctx.path);
      httpRequests.inc({ method: ctx.method, route, status: String(ctx.status) });
      httpDuration.observe({ method: ctx.method, route }, seconds);
      log.info('request', {
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        duration_ms: Math.round(seconds * 1e4) / 10,
        request_id: ctx.state.requestId,
        project: ctx.state.auth?.creds.project_id ?? null,
      });
    }
  };
}
