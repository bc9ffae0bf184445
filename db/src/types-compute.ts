/** The compute side's repositories (nova-bridge): Placement, instances and their faults, the catalog. Part of @anvil/db's public shape (types.ts re-exports them). */
import type { ComputeServiceRecord, ConsumerAllocations, Flavor, Image, Instance, InstanceFault, Keypair, ResourceProvider } from '@anvil/sdk';

export interface PlacementAllocationRow {
  consumer: string;
  provider: string;
  resource_class: string;
  used: number;
}

export interface PlacementRepo {
  providers(): Promise<ResourceProvider[]>;
  provider(uuid: string): Promise<ResourceProvider | undefined>;
  /**
   * Sets inventories and traits; the generation moves when anything changed. expectGeneration (null = must not
   * exist yet) → ResourceProviderGenerationConflict when the stored one differs.
   */
  putProvider(p: Omit<ResourceProvider, 'generation'>, expectGeneration?: number | null): Promise<ResourceProvider>;
  /** false when allocations still use it (Placement's ResourceProviderInUse) or it does not exist */
  deleteProvider(uuid: string): Promise<boolean>;
  allocationRows(): Promise<PlacementAllocationRow[]>;
  consumerAllocations(consumer: string): Promise<ConsumerAllocations>;
  /**
   * PUT /allocations/{consumer}: replaces the consumer's allocations in one transaction. consumerGeneration is
   * the one last read (null for a new consumer) → ConsumerGenerationConflict; capacity → InsufficientResources;
   * every provider touched gets a new generation (a concurrent writer → ResourceProviderGenerationConflict).
   */
  putAllocations(consumer: string, allocations: ConsumerAllocations['allocations'], consumerGeneration: number | null): Promise<ConsumerAllocations>;
  /** DELETE /allocations/{consumer}; false when it had none */
  deleteAllocations(consumer: string): Promise<boolean>;
}

export interface InstanceGuard {
  /** Nova's expected_task_state: the update applies only when task_state is one of these */
  taskState?: (string | null)[];
  /** the update applies only when the instance is managed by this compute host */
  host?: string | null;
}

export interface ComputeRepo {
  createInstance(i: Instance): Promise<Instance>;
  findInstance(uuid: string): Promise<Instance | undefined>;
  /** by uuid or (unique) name → NotFound "Instance X could not be found." */
  instance(ref: string): Promise<Instance>;
  instances(filters?: { host?: string | null; status?: string; name?: string; node?: string; busy?: boolean }): Promise<Instance[]>;
  /** guarded update (UnexpectedTaskStateError on a guard miss), returns the new record */
  updateInstance(uuid: string, patch: Partial<Instance>, guard?: InstanceGuard): Promise<Instance>;
  deleteInstance(uuid: string, guard?: InstanceGuard): Promise<boolean>;
  /** moves one instance from a (dead) compute host to another; undefined when it is no longer on fromHost */
  adopt(uuid: string, fromHost: string, toHost: string): Promise<Instance | undefined>;
  addFault(uuid: string, f: InstanceFault): Promise<void>;
  /** newest first */
  faults(uuid: string): Promise<InstanceFault[]>;
}

export interface CatalogRepo {
  flavors(): Promise<Flavor[]>;
  flavor(ref: string): Promise<Flavor>;
  putFlavor(f: Flavor): Promise<Flavor>;
  deleteFlavor(ref: string): Promise<void>;
  images(): Promise<Image[]>;
  image(ref: string): Promise<Image>;
  putImage(i: Image): Promise<Image>;
  deleteImage(ref: string): Promise<void>;
  keypairs(): Promise<Keypair[]>;
  keypair(name: string): Promise<Keypair>;
  createKeypair(k: Keypair): Promise<Keypair>;
  deleteKeypair(name: string): Promise<void>;
  /** compute service heartbeat (registers on first call) */
  heartbeat(host: string): Promise<void>;
  services(): Promise<ComputeServiceRecord[]>;
  removeService(host: string): Promise<void>;
}
