/**
 * GET /v1/openapi.json — the OpenAPI 3.1 document of this API (openapi/document.ts), built from the router it is
 * registered on, so every route is in it. Public in every auth mode, like `/v1` (it describes, it holds no data).
 */
import type { ApiRouter, RouteDeps } from '../context.ts';
import { buildOpenApi } from '../openapi/document.ts';

export function register(router: ApiRouter, deps: RouteDeps): void {
  let doc: unknown;
  const serve = (ctx: { body: unknown; set(h: string, v: string): void }) => {
    doc ??= buildOpenApi(router, deps.maxMinor);
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = doc;
  };
  // below 1.91 the path middleware has already removed ".json"; from 1.91 it is part of the path
  router.get('/v1/openapi', serve);
  router.get('/v1/openapi.json', serve);
}
