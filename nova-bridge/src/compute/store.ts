/**
 * Nova's database for the compute side: flavors, images, keypairs, instances (+ faults) and Placement, in the
 * shared database through @anvil/db (SQLite at <data-dir>/anvil.sqlite, or MariaDB/MySQL at database_url).
 * Every change is one transaction; any number of processes may use it at once.
 */
import type { Database, InstanceGuard } from '@anvil/db';
import type { Flavor, Image, Instance, InstanceFault } from './types.ts';

export interface StoreSettings {
  data_dir: string;
  database_url?: string | null;
}

export class ComputeStore {
  constructor(
    readonly db: Database,
    private readonly owned = false,
  ) {}

  /** opens (and migrates) the database the settings name */
  static async open(s: StoreSettings): Promise<ComputeStore> {
    const { openDatabase } = await import('@anvil/db');
    return new ComputeStore(await openDatabase({ data_dir: s.data_dir, database_url: s.database_url ?? undefined } as never), true);
  }

  async close(): Promise<void> {
    if (this.owned) await this.db.close();
  }

  flavor(ref: string): Promise<Flavor> {
    return this.db.catalog.flavor(ref);
  }
  putFlavor(f: Flavor): Promise<Flavor> {
    return this.db.catalog.putFlavor(f);
  }
  image(ref: string): Promise<Image> {
    return this.db.catalog.image(ref);
  }
  /** a registered image by id/name, or an ad-hoc one whose id is the reference (a Glance id or an http URL). */
  async imageOrRef(ref: string): Promise<Image> {
    try {
      return await this.image(ref);
    } catch {
      return { id: ref, name: ref, properties: {} };
    }
  }
  putImage(i: Image): Promise<Image> {
    return this.db.catalog.putImage(i);
  }
  instance(ref: string): Promise<Instance> {
    return this.db.compute.instance(ref);
  }
  createInstance(i: Instance): Promise<Instance> {
    return this.db.compute.createInstance(i);
  }
  update(uuid: string, patch: Partial<Instance>, guard?: InstanceGuard): Promise<Instance> {
    return this.db.compute.updateInstance(uuid, patch, guard);
  }
  deleteInstance(uuid: string, guard?: InstanceGuard): Promise<boolean> {
    return this.db.compute.deleteInstance(uuid, guard);
  }
  instances(filters?: Parameters<Database['compute']['instances']>[0]): Promise<Instance[]> {
    return this.db.compute.instances(filters);
  }
  addFault(uuid: string, f: InstanceFault): Promise<void> {
    return this.db.compute.addFault(uuid, f);
  }
}
