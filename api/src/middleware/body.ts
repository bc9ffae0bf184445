/**
 * Reads the request body (bounded by settings.max_body_bytes → 413) and parses JSON (malformed → 400).
 * The parsed value lands in ctx.state.body; undefined when the request carried no body.
 */
import type { Middleware } from 'koa';
import type { ApiState } from '../context.ts';
import { FrameworkError } from '../framework-error.ts';
import { InvalidParameterValue } from '@anvil/sdk';

const tooLarge = (limit: number) =>
  new FrameworkError(413, `Request is too large. The maximum accepted request body is ${limit} bytes.`);

export function bodyMiddleware(maxBytes: number): Middleware<ApiState> {
  return async (ctx, next) => {
    if (ctx.method === 'GET' || ctx.method === 'HEAD' || ctx.method === 'OPTIONS') return next();
    const declared = Number(ctx.get('Content-Length') || '0');
    if (declared > maxBytes) {
      ctx.set('Connection', 'close');
      throw tooLarge(maxBytes);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        ctx.set('Connection', 'close');
        throw tooLarge(maxBytes);
      }
      chunks.push(chunk);
    }
    if (size > 0) {
      const text = Buffer.concat(chunks, size).toString('utf8');
      if (text.trim() !== '') {
        try {
          ctx.state.body = JSON.parse(text);
        } catch (e) {
          throw new InvalidParameterValue(`Invalid JSON in request body: ${(e as Error).message}`);
        }
      }
    }
    await next();
  };
}
