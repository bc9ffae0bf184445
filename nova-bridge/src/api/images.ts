/**
 * A small image API shaped like Glance v2 under `/image` (no image data: an image is a URL plus checksums, which
 * go to instance_info on deploy). Enough for clients to resolve `--image NAME`: GET /image (versions),
 * GET /image/v2/images[?name=…], GET/DELETE /image/v2/images/{id}, POST /image/v2/images (url required).
 */
import { randomUUID } from 'node:crypto';
import type Router from '@koa/router';
import { NotFound } from '@anvil/sdk';
import type { Image } from '../compute/types.ts';
import { type ApiState, BadRequest } from './app.ts';
import type { ComputeApiDeps } from './deps.ts';
import { imageView } from './views.ts';

const RESERVED = new Set(['id', 'name', 'url', 'visibility', 'protected', 'tags', 'status', 'self', 'file', 'schema', 'created_at', 'updated_at', 'size', 'virtual_size', 'min_disk', 'min_ram', 'owner']);

export function imageRoutes(router: Router<ApiState>, deps: ComputeApiDeps): void {
  const { store } = deps;
  router.get(['/image', '/image/'], (ctx) => {
    ctx.status = 300;
    ctx.body = { versions: [{ id: 'v2.9', status: 'CURRENT', links: [{ rel: 'self', href: `${ctx.state.base}/image/v2/` }] }] };
  });
  router.get('/image/v2/images', async (ctx) => {
    let all = await store.db.catalog.images();
    if (typeof ctx.query.name === 'string') all = all.filter((i) => i.name === ctx.query.name);
    if (typeof ctx.query.id === 'string') all = all.filter((i) => i.id === ctx.query.id);
    if (typeof ctx.query.marker === 'string') {
      const at = all.findIndex((i) => i.id === ctx.query.marker);
      all = at < 0 ? [] : all.slice(at + 1);
    }
    const limit = ctx.query.limit === undefined ? 25 : Number(ctx.query.limit);
    const page = all.slice(0, limit);
    ctx.body = {
      images: page.map(imageView),
      first: '/v2/images',
      schema: '/v2/schemas/images',
      ...(all.length > page.length && page.length ? { next: `/v2/images?marker=${page.at(-1)!.id}&limit=${limit}` } : {}),
    };
  });
  router.get('/image/v2/images/:id', async (ctx) => {
    const all = await store.db.catalog.images();
    const hit = all.find((i) => i.id === ctx.params.id);
    if (!hit) throw new NotFound(`No image found with ID ${ctx.params.id}`);
    ctx.body = imageView(hit);
  });
  router.post('/image/v2/images', async (ctx) => {
    const b = (ctx.state.body ?? {}) as Record<string, unknown>;
    if (typeof b.name !== 'string' || !b.name) throw new BadRequest('an image needs a name');
    if (typeof b.url !== 'string' || !/^(https?|file):\/\//.test(b.url)) throw new BadRequest('an Anvil image is a URL: give "url" (http, https or file)');
    const properties = Object.fromEntries(Object.entries(b).filter(([k, v]) => !RESERVED.has(k) && v !== null && v !== undefined));
    const img: Image = { id: typeof b.id === 'string' && b.id ? b.id : randomUUID(), name: b.name, url: b.url, properties };
    ctx.status = 201;
    ctx.body = imageView(await store.putImage(img));
  });
  router.delete('/image/v2/images/:id', async (ctx) => {
    const all = await store.db.catalog.images();
    if (!all.some((i) => i.id === ctx.params.id)) throw new NotFound(`No image found with ID ${ctx.params.id}`);
    await store.db.catalog.deleteImage(ctx.params.id);
    ctx.status = 204;
  });
}
