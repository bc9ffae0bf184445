/**
 * Flavors, images and keypairs (records as JSON, looked up by id or name) and the compute services' heartbeats
 * (which compute processes are alive, for the hash ring and for taking over a dead one's instances).
 */
import { DuplicateName, type Flavor, type Image, type Keypair, NotFound } from '@anvil/sdk';
import type { RepoContext } from '../context.ts';
import { parseUniqueViolation } from '../errors.ts';
import type { CatalogRepo } from '../types.ts';

type Row = Record<string, unknown>;

export function makeCatalogRepo(ctx: RepoContext): CatalogRepo {
  function table<R extends { name: string }>(name: string, key: string, idOf: (r: R) => string, label: string) {
    const all = async () => ((await ctx.k(name).select('data').orderBy('id')) as Row[]).map((r) => JSON.parse(String(r.data)) as R);
    return {
      all,
      async get(ref: string): Promise<R> {
        const r = ((await ctx.k(name).where({ [key]: ref }).first()) ?? (await ctx.k(name).where({ name: ref }).first())) as Row | undefined;
        if (!r) throw new NotFound(`${label} ${ref} could not be found.`);
        return JSON.parse(String(r.data)) as R;
      },
      async put(rec: R): Promise<R> {
        const id = idOf(rec);
        const values = { name: rec.name, data: JSON.stringify(rec), updated_ms: Date.now() };
        try {
          const n = await ctx.k(name).where({ [key]: id }).update(values);
          if (!n) await ctx.k(name).insert({ [key]: id, ...values });
        } catch (err) {
          if (parseUniqueViolation(err)) throw new DuplicateName(`${label} with name ${rec.name} already exists.`);
          throw err;
        }
        return rec;
      },
      async remove(ref: string): Promise<void> {
        const rec = await this.get(ref);
        await ctx.k(name).where({ [key]: idOf(rec) }).delete();
      },
    };
  }
  const flavors = table<Flavor>('compute_flavors', 'flavorid', (f) => f.id, 'Flavor');
  const images = table<Image>('compute_images', 'uuid', (i) => i.id, 'Image');
  const keypairs = table<Keypair>('compute_keypairs', 'name', (k) => k.name, 'Keypair');
  return {
    flavors: () => flavors.all(),
    flavor: (ref) => flavors.get(ref),
    putFlavor: (f) => flavors.put(f),
    deleteFlavor: (ref) => flavors.remove(ref),
    images: () => images.all(),
    image: (ref) => images.get(ref),
    putImage: (i) => images.put(i),
    deleteImage: (ref) => images.remove(ref),
    keypairs: () => keypairs.all(),
    keypair: (ref) => keypairs.get(ref),
    async createKeypair(kp) {
      if (await ctx.k('compute_keypairs').where({ name: kp.name }).first()) throw new DuplicateName(`Key pair '${kp.name}' already exists.`);
      return keypairs.put(kp);
    },
    deleteKeypair: (ref) => keypairs.remove(ref),
    async heartbeat(host) {
      const now = Date.now();
      const n = await ctx.k('compute_services').where({ host }).update({ updated_ms: now });
      if (!n) {
        try {
          await ctx.k('compute_services').insert({ host, started_ms: now, updated_ms: now });
        } catch (err) {
          if (!parseUniqueViolation(err)) throw err;
        }
      }
    },
    async services() {
      const rows = (await ctx.k('compute_services').select().orderBy('host')) as Row[];
      return rows.map((r) => ({ host: String(r.host), updated_at: new Date(Number(r.updated_ms)).toISOString(), started_at: new Date(Number(r.started_ms)).toISOString() }));
    },
    async removeService(host) {
      await ctx.k('compute_services').where({ host }).delete();
    },
  };
}
