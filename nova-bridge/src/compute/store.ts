/**
 * Nova's database, shrunk to one JSON file under the data dir (`<data-dir>/nova/compute.json`): flavors, images,
 * instances and Placement allocations. Writes go to a temp file and are renamed into place.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NotFound, DuplicateName } from '@anvil/sdk';
import type { Allocation } from '../placement/store.ts';
import type { Flavor, Image, Instance } from './types.ts';

export interface ComputeState {
  flavors: Record<string, Flavor>;
  images: Record<string, Image>;
  instances: Record<string, Instance>;
  allocations: Record<string, Allocation>;
}

const empty = (): ComputeState => ({ flavors: {}, images: {}, instances: {}, allocations: {} });

export class ComputeStore {
  readonly file: string;
  state: ComputeState;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'nova', 'compute.json');
    this.state = existsSync(this.file) ? { ...empty(), ...JSON.parse(readFileSync(this.file, 'utf8')) } : empty();
  }

  save(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state, null, 1));
    renameSync(tmp, this.file);
  }

  private find<T extends { name: string }>(table: Record<string, T>, ref: string, kind: string): T {
    const hit = table[ref] ?? Object.values(table).find((x) => x.name === ref);
    if (!hit) throw new NotFound(`${kind} ${ref} could not be found.`);
    return hit;
  }

  flavor(ref: string): Flavor {
    return this.find(this.state.flavors, ref, 'Flavor');
  }
  putFlavor(f: Flavor): void {
    if (Object.values(this.state.flavors).some((x) => x.name === f.name && x.id !== f.id)) throw new DuplicateName(`Flavor ${f.name} already exists.`);
    this.state.flavors[f.id] = f;
    this.save();
  }
  image(ref: string): Image {
    return this.find(this.state.images, ref, 'Image');
  }
  /** a registered image by id/name, or an ad-hoc one whose id is the reference (a Glance id or an http URL). */
  imageOrRef(ref: string): Image {
    try {
      return this.image(ref);
    } catch {
      return { id: ref, name: ref, properties: {} };
    }
  }
  putImage(i: Image): void {
    this.state.images[i.id] = i;
    this.save();
  }
  instance(ref: string): Instance {
    return this.find(this.state.instances, ref, 'Instance');
  }
  putInstance(i: Instance): void {
    i.updated_at = new Date().toISOString();
    this.state.instances[i.uuid] = i;
    this.save();
  }
  deleteInstance(uuid: string): void {
    delete this.state.instances[uuid];
    delete this.state.allocations[uuid];
    this.save();
  }
  instances(): Instance[] {
    return Object.values(this.state.instances).sort((a, b) => a.created_at.localeCompare(b.created_at));
  }
}
