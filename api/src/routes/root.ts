/** Discovery: GET / (no version handling) and GET /v1 (links depend on the requested microversion). */
import { AnvilError } from '@anvil/sdk';
import type { ApiContext, ApiRouter, RouteDeps } from '../context.ts';
import { baseUrl } from '../context.ts';
import { linkPair, type Link } from '../links.ts';
import { fmt, MIN_MINOR } from '../version.ts';

/** Collections shown in GET /v1 and the microversion that introduced each. */
const V1_RESOURCES: [string, number][] = [
  ['chassis', 1],
  ['nodes', 1],
  ['ports', 1],
  ['drivers', 1],
  ['portgroups', 23],
  ['volume', 32],
  ['lookup', 22],
  ['heartbeat', 22],
  ['conductors', 49],
  ['allocations', 52],
  ['events', 54],
  ['deploy_templates', 55],
  ['shards', 82],
];

export function versionObject(base: string, maxMinor: number) {
  return {
    id: 'v1',
    links: [{ href: `${base}/v1/`, rel: 'self' }] as Link[],
    status: 'CURRENT',
    min_version: fmt(MIN_MINOR),
    version: fmt(maxMinor),
  };
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  router.get('/', (ctx) => {
    const v = versionObject(baseUrl(ctx, deps.settings), deps.maxMinor);
    ctx.body = {
      name: 'OpenStack Ironic API',
      description:
        'Ironic is an OpenStack project which enables the provision and management of baremetal machines.',
      default_version: v,
      versions: [v],
    };
  });
  const v1 = (ctx: ApiContext) => {
    const base = baseUrl(ctx, deps.settings);
    const body: Record<string, unknown> = {
      id: 'v1',
      links: [
        { href: `${base}/v1/`, rel: 'self' },
        { href: 'https://docs.openstack.org//ironic/latest/contributor//webapi.html', rel: 'describedby', type: 'text/html' },
      ],
      media_types: { base: 'application/json', type: 'application/vnd.openstack.ironic.v1+json' },
    };
    for (const [name, since] of V1_RESOURCES) if (ctx.state.minor >= since) body[name] = linkPair(base, name);
    body.version = versionObject(base, deps.maxMinor);
    ctx.body = body;
  };
  router.get('/v1', v1);
  router.get('/v1/', v1);
  // Ironic answers other methods on /v1 with a fault-style 405.
  const notAllowed = () => {
    throw new AnvilError('The server could not comply with the request since it is either malformed or otherwise incorrect.', 'MethodNotAllowed', 405);
  };
  for (const path of ['/v1', '/v1/']) {
    router.post(path, notAllowed);
    router.put(path, notAllowed);
    router.patch(path, notAllowed);
    router.delete(path, notAllowed);
  }
}
