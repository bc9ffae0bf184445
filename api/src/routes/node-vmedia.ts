/**
 * /v1/nodes/{node}/vmedia (Ironic 39): POST attaches (1.89; body device_type, image_url, image_download_source
 * "local" by default; http/https/nfs/cifs/smb URLs only), DELETE detaches (1.89; `device_types` query, all when
 * absent), both 204 with the work done after the answer; GET lists the devices (1.93; 1.89–1.92 answer Ironic's
 * "The resource could not be found."). Below 1.89 every method is a framework 404.
 */
import { InvalidInput, InvalidParameterValue, NotFound } from '@anvil/sdk';
import type { ApiRouter, RouteDeps } from '../context.ts';
import { FrameworkError } from '../framework-error.ts';
import { getNode } from '../lookup.ts';
import { pyRepr } from '../patch.ts';
import { Query } from '../query.ts';
import { subSince } from '../sub-since.ts';
import { routeOf } from './node-states.ts';
import { withMethod } from './node-vifs.ts';

const DEVICES = ['disk', 'cdrom', 'floppy'];
const SOURCES = ['http', 'local', 'swift'];
const SCHEMES = ['http', 'https', 'nfs', 'cifs', 'smb'];
const KEYS = ['device_type', 'image_url', 'image_download_source'];

interface VmediaBody {
  device_type: string;
  image_url: string;
  image_download_source?: string;
}

/** Ironic's VMEDIA_ATTACH_VALIDATOR (jsonschema wording) and its URL scheme check (pure). */
export function checkVmediaBody(body: unknown): VmediaBody {
  const fail = (why: string): never => {
    throw new InvalidParameterValue(`Schema error for vmedia: ${why}`);
  };
  if (body === undefined) throw new InvalidParameterValue('Missing argument: "vmedia"');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail(`${pyRepr(body)} is not of type 'object'`);
  const b = body as Record<string, unknown>;
  const str = (k: string, values?: string[]) => {
    if (!(k in b)) return;
    if (typeof b[k] !== 'string') fail(`${pyRepr(b[k])} is not of type 'string'`);
    if (values && !values.includes(b[k] as string)) fail(`${pyRepr(b[k])} is not one of ${pyRepr(values)}`);
  };
  str('device_type', DEVICES);
  str('image_url');
  str('image_download_source', SOURCES);
  for (const r of ['device_type', 'image_url']) if (!(r in b)) fail(`'${r}' is a required property`);
  const extra = Object.keys(b).filter((k) => !KEYS.includes(k));
  if (extra.length) fail(`Additional properties are not allowed (${extra.map((k) => `'${k}'`).join(', ')} ${extra.length > 1 ? 'were' : 'was'} unexpected)`);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(b.image_url as string)?.[1]?.toLowerCase() ?? '';
  if (!SCHEMES.includes(scheme)) throw new InvalidInput(`Unsupported or missing URL scheme: ${scheme}`);
  return b as unknown as VmediaBody;
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  const since = subSince(89);
  router.get('/v1/nodes/:ident/vmedia', since, async (ctx) => {
    new Query(ctx.query, []);
    if (ctx.state.minor < 93) throw new NotFound('The resource could not be found.');
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    ctx.body = await withMethod(deps, 'getVirtualMedia')(routeOf(node));
  });
  router.post('/v1/nodes/:ident/vmedia', since, async (ctx) => {
    new Query(ctx.query, []);
    const b = checkVmediaBody(ctx.state.body);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    await withMethod(deps, 'attachVirtualMedia')(routeOf(node), b.device_type, b.image_url, b.image_download_source ?? 'local');
    ctx.status = 204;
  });
  router.delete('/v1/nodes/:ident/vmedia', since, async (ctx) => {
    const types = new Query(ctx.query, ['device_types']).list('device_types');
    const invalid = (types ?? []).filter((t) => !DEVICES.includes(t));
    if (invalid.length) throw new InvalidInput(`Invalid device type(s) ${invalid.join(', ')} (valid are ${DEVICES.join(', ')})`);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    await withMethod(deps, 'detachVirtualMedia')(routeOf(node), types?.length ? types : null);
    ctx.status = 204;
  });
  for (const m of ['put', 'patch'] as const)
    router[m]('/v1/nodes/:ident/vmedia', since, () => {
      throw new FrameworkError(405, '');
    });
}
