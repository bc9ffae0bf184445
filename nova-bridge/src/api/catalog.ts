/**
 * /v2.1/flavors (+ os-extra_specs), /v2.1/os-keypairs and /v2.1/os-availability-zone, as Nova answers them.
 */
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import type Router from '@koa/router';
import { DuplicateName, type Flavor, type Keypair, NotFound } from '@anvil/sdk';
import { type ApiState, BadRequest } from './app.ts';
import type { ComputeApiDeps } from './deps.ts';
import { flavorView, keypairView } from './views.ts';

type Body = Record<string, unknown>;
const body = (v: unknown, key: string): Body => {
  const b = (v as Body | undefined)?.[key];
  if (!b || typeof b !== 'object' || Array.isArray(b)) throw new BadRequest(`Invalid input for field/attribute ${key}. '${key}' is a required property`);
  return b as Body;
};
const int = (b: Body, k: string, dflt?: number): number => {
  const v = b[k] ?? dflt;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new BadRequest(`Invalid input for field/attribute ${k}. Value: ${JSON.stringify(b[k])}.`);
  return n;
};

/** Nova's legacy key fingerprint: md5 of the key blob, colon-separated hex */
export function fingerprint(publicKey: string): string {
  const blob = publicKey.trim().split(/\s+/)[1];
  if (!blob) throw new BadRequest('Keypair data is invalid: failed to generate fingerprint');
  const buf = Buffer.from(blob, 'base64');
  if (buf.length < 16) throw new BadRequest('Keypair data is invalid: failed to generate fingerprint');
  return createHash('md5').update(buf).digest('hex').match(/../g)!.join(':');
}

/** a new RSA keypair: OpenSSH public key + PEM private key (Nova generates one when none is given) */
function generateRsa(name: string): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  const mpint = (b64u: string) => {
    let b = Buffer.from(b64u, 'base64url');
    if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
    return b;
  };
  const part = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, 0].map((_, i) => (b.length >>> (24 - 8 * i)) & 0xff)), b]);
  const blob = Buffer.concat([part(Buffer.from('ssh-rsa')), part(mpint(jwk.e)), part(mpint(jwk.n))]);
  return { publicKey: `ssh-rsa ${blob.toString('base64')} Generated-by-Anvil ${name}`, privateKey: privateKey.export({ format: 'pem', type: 'pkcs1' }).toString() };
}

export function catalogRoutes(router: Router<ApiState>, deps: ComputeApiDeps): void {
  const { store } = deps;
  const flavor = async (id: string): Promise<Flavor> => store.db.catalog.flavor(id);

  router.get(['/v2.1/flavors', '/v2.1/flavors/detail'], async (ctx) => {
    const all = await store.db.catalog.flavors();
    const detail = ctx.path.endsWith('/detail');
    ctx.body = { flavors: all.map((f) => (detail ? flavorView(f, ctx.state.base, ctx.state.version) : { id: f.id, name: f.name, links: flavorView(f, ctx.state.base, ctx.state.version).links })) };
  });
  router.get('/v2.1/flavors/:id', async (ctx) => {
    ctx.body = { flavor: flavorView(await flavor(ctx.params.id), ctx.state.base, ctx.state.version) };
  });
  router.post('/v2.1/flavors', async (ctx) => {
    const b = body(ctx.state.body, 'flavor');
    if (typeof b.name !== 'string' || !b.name.trim()) throw new BadRequest("Invalid input for field/attribute name. 'name' is a required property");
    const f: Flavor = {
      id: typeof b.id === 'string' && b.id && b.id !== 'auto' ? b.id : randomUUID(),
      name: b.name,
      vcpus: int(b, 'vcpus'),
      ram: int(b, 'ram'),
      disk: int(b, 'disk'),
      ephemeral: int(b, 'OS-FLV-EXT-DATA:ephemeral', 0),
      swap: b.swap === '' ? 0 : int(b, 'swap', 0),
      extra_specs: {},
    };
    if (await store.db.catalog.flavor(f.id).catch(() => null)) throw new DuplicateName(`Flavor with ID ${f.id} already exists.`);
    ctx.body = { flavor: flavorView(await store.putFlavor(f), ctx.state.base, ctx.state.version) };
  });
  router.delete('/v2.1/flavors/:id', async (ctx) => {
    await store.db.catalog.deleteFlavor((await flavor(ctx.params.id)).id);
    ctx.status = 202;
  });
  router.get('/v2.1/flavors/:id/os-extra_specs', async (ctx) => {
    ctx.body = { extra_specs: (await flavor(ctx.params.id)).extra_specs };
  });
  router.post('/v2.1/flavors/:id/os-extra_specs', async (ctx) => {
    const specs = body(ctx.state.body, 'extra_specs');
    const f = await flavor(ctx.params.id);
    for (const [k, v] of Object.entries(specs)) f.extra_specs[k] = String(v);
    await store.putFlavor(f);
    ctx.body = { extra_specs: specs };
  });
  router.get('/v2.1/flavors/:id/os-extra_specs/:key', async (ctx) => {
    const f = await flavor(ctx.params.id);
    if (!(ctx.params.key in f.extra_specs)) throw new NotFound(`Flavor ${f.id} has no extra specs with key ${ctx.params.key}.`);
    ctx.body = { [ctx.params.key]: f.extra_specs[ctx.params.key] };
  });
  router.put('/v2.1/flavors/:id/os-extra_specs/:key', async (ctx) => {
    const b = (ctx.state.body ?? {}) as Body;
    if (Object.keys(b).length !== 1 || !(ctx.params.key in b)) throw new BadRequest('Request body and URI mismatch');
    const f = await flavor(ctx.params.id);
    f.extra_specs[ctx.params.key] = String(b[ctx.params.key]);
    await store.putFlavor(f);
    ctx.body = b;
  });
  router.delete('/v2.1/flavors/:id/os-extra_specs/:key', async (ctx) => {
    const f = await flavor(ctx.params.id);
    if (!(ctx.params.key in f.extra_specs)) throw new NotFound(`Flavor ${f.id} has no extra specs with key ${ctx.params.key}.`);
    delete f.extra_specs[ctx.params.key];
    await store.putFlavor(f);
    ctx.status = 200;
    ctx.body = '';
  });

  router.get('/v2.1/os-keypairs', async (ctx) => {
    ctx.body = { keypairs: (await store.db.catalog.keypairs()).map((k) => ({ keypair: keypairView(k) })) };
  });
  router.get('/v2.1/os-keypairs/:name', async (ctx) => {
    const k = await store.db.catalog.keypair(ctx.params.name).catch(() => {
      throw new NotFound(`Keypair ${ctx.params.name} not found for user anvil`);
    });
    ctx.body = { keypair: { ...keypairView(k), user_id: 'anvil', created_at: k.created_at, deleted: false, deleted_at: null, updated_at: null, id: 1 } };
  });
  router.post('/v2.1/os-keypairs', async (ctx) => {
    const b = body(ctx.state.body, 'keypair');
    const name = typeof b.name === 'string' ? b.name.trim() : '';
    if (!name || !/^[\w. -]{1,255}$/.test(name)) throw new BadRequest('Keypair data is invalid: Keypair name contains unsafe characters');
    const given = typeof b.public_key === 'string' ? b.public_key.trim() : undefined;
    const gen = given ? undefined : generateRsa(name);
    const publicKey = given ?? gen!.publicKey;
    const kp: Keypair = { name, public_key: publicKey, fingerprint: fingerprint(publicKey), type: b.type === 'x509' ? 'x509' : 'ssh', created_at: new Date().toISOString() };
    await store.db.catalog.createKeypair(kp).catch((err) => {
      if (err instanceof DuplicateName) throw new DuplicateName(`Key pair '${name}' already exists.`);
      throw err;
    });
    ctx.status = ctx.state.version.minor >= 2 ? 201 : 200;
    ctx.body = { keypair: { ...keypairView(kp), user_id: 'anvil', ...(gen ? { private_key: gen.privateKey } : {}) } };
  });
  router.delete('/v2.1/os-keypairs/:name', async (ctx) => {
    await store.db.catalog.deleteKeypair(ctx.params.name).catch(() => {
      throw new NotFound(`Keypair ${ctx.params.name} not found for user anvil`);
    });
    ctx.status = ctx.state.version.minor >= 2 ? 204 : 202;
  });

  router.get(['/v2.1/os-availability-zone', '/v2.1/os-availability-zone/detail'], async (ctx) => {
    const services = await deps.services();
    const detail = ctx.path.endsWith('/detail');
    const hosts = Object.fromEntries(services.map((s) => [s.host, { 'nova-compute': { available: s.alive, active: true, updated_at: s.updated_at } }]));
    ctx.body = { availabilityZoneInfo: [{ zoneName: 'nova', zoneState: { available: services.some((s) => s.alive) }, hosts: detail ? hosts : null }] };
  });
}
