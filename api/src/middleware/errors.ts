/**
 * The one place errors become HTTP: Ironic's body {"error_message": "<JSON string>"} (double-encoded).
 * AnvilError → {faultcode, faultstring, debuginfo}; FrameworkError → {code, title, description};
 * anything else → 500 with a generic faultstring (details only in the log).
 */
import type { Middleware } from 'koa';
import { AnvilError } from '@anvil/sdk';
import { FrameworkError } from '../framework-error.ts';
import type { ApiState } from '../context.ts';
import { maskString } from '../mask.ts';

/** A JSON string the way Python's json.dumps writes it (ensure_ascii), as Ironic's inner error document. */
const pyStr = (s: string) => JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function faultBody(status: number, message: string): { error_message: string } {
  const code = status < 500 ? 'Client' : 'Server';
  return { error_message: `{"faultcode": "${code}", "faultstring": ${pyStr(message)}, "debuginfo": null}` };
}

export function frameworkBody(status: number, title: string, description: string): { error_message: string } {
  return { error_message: `{"code": ${status}, "title": ${pyStr(title)}, "description": ${pyStr(description)}}` };
}

export interface ErrorLog {
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function errorsMiddleware(log: ErrorLog): Middleware<ApiState> {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new FrameworkError(404, '');
    } catch (err) {
      let status: number;
      let body: { error_message: string };
      if (err instanceof FrameworkError) {
        status = err.status;
        body = frameworkBody(status, err.title, err.message);
        for (const [k, v] of Object.entries(err.headers)) ctx.set(k, v);
      } else if (AnvilError.is(err)) {
        status = err.status;
        body = faultBody(status, err.message);
      } else {
        status = 500;
        log.error('unexpected error serving request', {
          method: ctx.method,
          path: ctx.path,
          request_id: ctx.state.requestId,
          error: maskString(err instanceof Error ? (err.stack ?? err.message) : String(err)),
        });
        body = faultBody(500, 'An unexpected error occurred while serving the request.');
      }
      ctx.status = status;
      ctx.type = 'application/json';
      ctx.body = `{"error_message": ${JSON.stringify(body.error_message)}}`;
    }
  };
}
