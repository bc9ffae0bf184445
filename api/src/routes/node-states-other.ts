/**
 * Registered last: any other PUT/POST/PATCH/DELETE under /v1/nodes/{node}/states/ (e.g. `states/target_raid_config`)
 * is Ironic's pecan 405 for NodeStatesController, answered before any policy check (policy/routes.ts names no rule
 * for it), so a reader sees the 405 too.
 */
import type { ApiRouter } from '../context.ts';
import { FrameworkError } from '../framework-error.ts';

export function register(router: ApiRouter): void {
  for (const m of ['put', 'post', 'patch', 'delete'] as const)
    router[m]('/v1/nodes/:ident/states/:other', () => {
      throw new FrameworkError(405, '');
    });
}
