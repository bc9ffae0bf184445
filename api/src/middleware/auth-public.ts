/** Ironic's public API routes (pure): reachable without credentials in every auth_strategy. */

const PUBLIC_ROUTES = ['/', '/v1/?', '/v1/lookup', '/v1/heartbeat/[a-z0-9\-]+', '/v1/continue_inspection', '/v1/openapi'];
const PATTERNS = PUBLIC_ROUTES.map((r) => new RegExp(`^${r}(\\.json|\\.xml)?$`));

export function isPublicRoute(path: string): boolean {
  return PATTERNS.some((p) => p.test(path));
}
