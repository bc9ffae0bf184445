/**
 * The public shape of @anvil/db: the Database handle and one repository interface per table.
 * Records are the @anvil/sdk types (booleans as booleans, JSON as objects, dates as "YYYY-MM-DDTHH:MM:SS+00:00").
 * Every method is atomic; unique violations and missing rows throw AnvilError subclasses (see errors.ts).
 */
import type { Knex } from 'knex';
import type {
  AllocationRecord,
  BootTraceEvent,
  ChassisRecord,
  ConductorRecord,
  DeployStep,
  DeployTemplateRecord,
  RunbookRecord,
  RunbookStep,
  Json,
  JsonObject,
  NodeDiagnosisRecord,
  BmcIncident,
  NodeHistoryRecord,
  NodeRecord,
  PortgroupRecord,
  PortRecord,
  Settings,
  VolumeConnectorRecord,
  VolumeTargetRecord,
} from '@anvil/sdk';

import type { CatalogRepo, ComputeRepo, PlacementRepo } from './types-compute.ts';

export type { CatalogRepo, ComputeRepo, InstanceGuard, PlacementAllocationRow, PlacementRepo } from './types-compute.ts';

import type { BiosRepo, FirmwareRepo, InspectionRuleRepo, InspectorRuleRepo, IntrospectionRepo, InventoryRepo } from './types-hardware.ts';

export type { BiosRepo, BiosSettingInput, FirmwareComponentInput, FirmwareRepo, InspectionRuleRecord, InspectionRuleRepo, InspectorRuleRecord, InspectorRuleRepo, IntrospectionRecord, IntrospectionRepo, InventoryRecord, InventoryRepo } from './types-hardware.ts';

export type Engine = 'sqlite' | 'mysql';

/** Options shared by every collection's list(). */
export interface ListOptions {
  /** Per-repository filters (see each repo); unknown keys throw InvalidParameterValue. undefined values are ignored. */
  filters?: Record<string, unknown>;
  limit?: number;
  /** uuid (hostname for conductors) of the last item of the previous page; missing → NotFound (404) like Ironic. */
  marker?: string;
  /** A column name (default 'id'); JSON columns are rejected with InvalidParameterValue. Ties broken by id. */
  sortKey?: string;
  sortDir?: 'asc' | 'desc';
  /**
   * Only these columns (plus id) in each record, for lists that render a few fields; derived columns such as a
   * node's chassis_uuid may be named too. Unknown names throw InvalidParameterValue. Default: every column.
   */
  columns?: readonly string[];
}

export interface OpenOptions {
  /** Run pending migrations on open (default true). */
  migrate?: boolean;
}

export type DbSettings = Pick<Settings, 'data_dir' | 'database_url'>;

export interface Database {
  readonly engine: Engine;
  /** The underlying knex (or transaction). For other packages' own tables only if unavoidable. */
  readonly knex: Knex;
  /** True when this handle runs inside transaction(). */
  readonly inTransaction: boolean;
  /**
   * A number that stays the same only while nothing changed the database: SQLite counts this process's writes
   * (commits and rollbacks too) and other connections' commits (PRAGMA data_version). null when that cannot be
   * proven — MariaDB/MySQL (other processes write), a transaction handle, a closed database — so nothing derived
   * from the data may be kept. Synchronous and cheap (one PRAGMA), for caches in front of reads.
   */
  changeStamp(): number | null;
  migrate(): Promise<void>;
  /** Migration names already applied and still pending, in order. */
  migrationStatus(): Promise<{ applied: string[]; pending: string[] }>;
  close(): Promise<void>;
  /**
   * Runs fn with a Database bound to one transaction; commits when fn resolves, rolls back when it throws.
   * Inside fn use only the handle you are given (on SQLite the outer handle would wait for the connection).
   */
  transaction<T>(fn: (db: Database) => Promise<T>): Promise<T>;
  nodes: NodeRepo;
  ports: PortRepo;
  portgroups: PortgroupRepo;
  chassis: ChassisRepo;
  traits: TraitRepo;
  conductors: ConductorRepo;
  allocations: AllocationRepo;
  deployTemplates: DeployTemplateRepo;
  runbooks: RunbookRepo;
  history: NodeHistoryRepo;
  volumeConnectors: VolumeConnectorRepo;
  volumeTargets: VolumeTargetRepo;
  bios: BiosRepo;
  firmware: FirmwareRepo;
  inventory: InventoryRepo;
  /** inspection rules (API 1.96) */
  inspectionRules: InspectionRuleRepo;
  /** the Inspector-compatible API (migration 013_inspector) */
  inspectorRules: InspectorRuleRepo;
  introspections: IntrospectionRepo;
  /** Anvil: diagnoses recorded beside last_error (repos/anvil-why.ts). */
  diagnoses: DiagnosisRepo;
  /** Anvil: the per-MAC boot trace (repos/anvil-why.ts). */
  bootTrace: BootTraceRepo;
  /** Anvil: correlated BMC outages found by power sync (repos/bmc-incidents.ts). */
  bmcIncidents: BmcIncidentRepo;
  /** the compute side (nova-bridge): Placement, instances, catalog */
  placement: PlacementRepo;
  compute: ComputeRepo;
  catalog: CatalogRepo;
}


/** Input values: any subset of the record's columns (id, created_at are managed by the repo). Dates may be Date or ISO strings. */
export type Values<R> = { [K in keyof R]?: R[K] | (R[K] extends string | null ? Date : never) };

/** A node, optionally with its traits (when asked with {withTraits: true}). */
export type NodeView = NodeRecord & { traits?: string[] };

export interface NodeGetOptions {
  withTraits?: boolean;
}

/**
 * Node list filters: provision_state (string | string[]), maintenance, associated (instance_uuid not null),
 * driver, resource_class, instance_uuid, conductor_group, fault, owner, lessee, project (owner OR lessee),
 * chassis_id, retired, description_contains, shard (string | string[]), sharded (bool), reserved_by,
 * reserved (bool), uuid_in (string[]), provisioned_before (Date | ISO string: provision_updated_at older),
 * console_enabled, power_state, allocation_id, protected.
 */
export interface NodeRepo {
  create(values: Values<NodeRecord> & { traits?: string[] }): Promise<NodeView>;
  get(id: number, opts?: NodeGetOptions): Promise<NodeView>;
  getByUuid(uuid: string, opts?: NodeGetOptions): Promise<NodeView>;
  getByName(name: string, opts?: NodeGetOptions): Promise<NodeView>;
  /** uuid-like → by uuid, else by name. */
  getByIdent(ident: string, opts?: NodeGetOptions): Promise<NodeView>;
  getByInstanceUuid(instanceUuid: string, opts?: NodeGetOptions): Promise<NodeView>;
  /** The one node owning ports with any of these MAC addresses (IPA lookup); none or several → NotFound. */
  getByPortAddresses(addresses: string[], opts?: NodeGetOptions): Promise<NodeView>;
  list(opts?: ListOptions & NodeGetOptions): Promise<NodeView[]>;
  count(filters?: Record<string, unknown>): Promise<number>;
  /**
   * Updates columns of the node (by uuid). With expectReservation, only when the node's reservation equals it
   * (null = not reserved), else NodeLocked / NodeNotLocked. Setting instance_uuid on a node that has another
   * → NodeAssociated; an instance_uuid used by another node → InstanceAssociated.
   */
  /**
   * expectReservation: save only while this host (null: nobody) holds the node. held: the node as that holder
   * last saved it; the saved record is then built from it and the written values instead of read back.
   */
  update(uuid: string, values: Values<NodeRecord>, opts?: { expectReservation?: string | null; held?: NodeView }): Promise<NodeView>;
  /** Deletes the node and its ports, portgroups, traits, history, bios, volume objects, inventory; orphans allocations. */
  destroy(uuid: string): Promise<void>;
  /** Atomically takes the node's reservation for hostname; held by anyone → NodeLocked. */
  /** Takes the reservation (one conditional UPDATE), then reads the node; onLocked runs between the two (reads of the node's children can go alongside). */
  reserve(uuid: string, hostname: string, onLocked?: () => void): Promise<NodeView>;
  /** Releases hostname's reservation; not reserved → NodeNotLocked, held by another host → NodeLocked. */
  release(uuid: string, hostname: string): Promise<void>;
  /** Anvil: who holds the node's reservation and since when (ISO, ms); null for an unknown node. */
  lockInfo(uuid: string): Promise<{ reservation: string | null; reserved_at: string | null } | null>;
  /** Clears every reservation held by hostname (conductor start/stop); returns how many. */
  releaseAllHeldBy(hostname: string): Promise<number>;
}

/** Port list filters: node_id, portgroup_id, address, pxe_enabled, physical_network, shard (string | string[]: node's shard). */
export interface PortRepo {
  create(values: Values<PortRecord>): Promise<PortRecord>;
  get(id: number): Promise<PortRecord>;
  getByUuid(uuid: string): Promise<PortRecord>;
  getByAddress(address: string): Promise<PortRecord>;
  /** By name (API 1.88). */
  getByName(name: string): Promise<PortRecord>;
  list(opts?: ListOptions): Promise<PortRecord[]>;
  update(uuid: string, values: Values<PortRecord>): Promise<PortRecord>;
  destroy(uuid: string): Promise<void>;
}

/** Portgroup list filters: node_id, address, name. */
export interface PortgroupRepo {
  create(values: Values<PortgroupRecord>): Promise<PortgroupRecord>;
  get(id: number): Promise<PortgroupRecord>;
  getByUuid(uuid: string): Promise<PortgroupRecord>;
  getByName(name: string): Promise<PortgroupRecord>;
  getByAddress(address: string): Promise<PortgroupRecord>;
  /** uuid-like → by uuid, else by name. */
  getByIdent(ident: string): Promise<PortgroupRecord>;
  list(opts?: ListOptions): Promise<PortgroupRecord[]>;
  update(uuid: string, values: Values<PortgroupRecord>): Promise<PortgroupRecord>;
  /** Refuses with PortgroupNotEmpty when ports belong to it. */
  destroy(uuid: string): Promise<void>;
}

/** Chassis list filters: none besides paging. */
export interface ChassisRepo {
  create(values: Values<ChassisRecord>): Promise<ChassisRecord>;
  get(id: number): Promise<ChassisRecord>;
  getByUuid(uuid: string): Promise<ChassisRecord>;
  list(opts?: ListOptions): Promise<ChassisRecord[]>;
  update(uuid: string, values: Values<ChassisRecord>): Promise<ChassisRecord>;
  /** Refuses with ChassisNotEmpty when nodes belong to it. */
  destroy(uuid: string): Promise<void>;
}

export interface TraitRepo {
  list(nodeId: number): Promise<string[]>;
  /** Replaces all traits of the node. */
  set(nodeId: number, traits: string[]): Promise<string[]>;
  /** Adds one trait (already present: no-op). */
  add(nodeId: number, trait: string): Promise<void>;
  /** Missing → NotFound "Node X doesn't have a trait Y". */
  remove(nodeId: number, trait: string): Promise<void>;
  removeAll(nodeId: number): Promise<void>;
  has(nodeId: number, trait: string): Promise<boolean>;
}

export interface HardwareInterfaceRow {
  hardware_type: string;
  interface_type: string;
  interface_name: string;
  default: boolean;
}

export interface ConductorRepo {
  /** Upsert: creates or revives the conductor (online = true, fresh updated_at). */
  register(hostname: string, group: string, drivers: string[]): Promise<ConductorRecord>;
  /** Heartbeat: fresh updated_at, online = true; unknown → NotFound. */
  touch(hostname: string): Promise<void>;
  /** Marks offline (Ironic keeps the row) and drops its hardware interfaces. */
  unregister(hostname: string): Promise<void>;
  /**
   * Another conductor's takeover: marks it offline (and drops its hardware interfaces) only if its last heartbeat
   * is still older than timeoutSec, in one conditional UPDATE; false when it heartbeated meanwhile (alive again),
   * is already offline or unknown.
   */
  markDead(hostname: string, timeoutSec: number): Promise<boolean>;
  get(hostname: string): Promise<ConductorRecord>;
  /** Filters: online (bool), conductor_group. marker = hostname; sortKey default 'id'. */
  list(opts?: ListOptions): Promise<ConductorRecord[]>;
  /** Online conductors whose last heartbeat is newer than timeoutSec seconds. */
  listAlive(timeoutSec: number): Promise<ConductorRecord[]>;
  /** Replaces the hardware-type interfaces this conductor offers. */
  registerHardwareInterfaces(hostname: string, rows: HardwareInterfaceRow[]): Promise<void>;
  /** Interfaces offered by conductors alive within timeoutSec (all conductors when omitted), with their hostname. */
  listHardwareInterfaces(timeoutSec?: number): Promise<(HardwareInterfaceRow & { hostname: string })[]>;
}

/** Allocation list filters: node_id, resource_class, state, owner, conductor_affinity. */
export interface AllocationRepo {
  create(values: Values<AllocationRecord>): Promise<AllocationRecord>;
  get(id: number): Promise<AllocationRecord>;
  getByUuid(uuid: string): Promise<AllocationRecord>;
  getByName(name: string): Promise<AllocationRecord>;
  getByIdent(ident: string): Promise<AllocationRecord>;
  list(opts?: ListOptions): Promise<AllocationRecord[]>;
  /**
   * Updates the allocation. Setting node_id (with updateNode, default true) also sets the node's allocation_id,
   * instance_uuid (= allocation uuid) and instance_info.traits in the same transaction; node with another
   * instance → NodeAssociated.
   */
  update(uuid: string, values: Values<AllocationRecord>, opts?: { updateNode?: boolean }): Promise<AllocationRecord>;
  /** Moves conductor_affinity from old to new only if it is still old (race guard); false when it was not. */
  takeOver(uuid: string, oldConductorId: number | null, newConductorId: number): Promise<boolean>;
  /** Deletes it and clears allocation_id / instance_uuid on its node. */
  destroy(uuid: string): Promise<void>;
}

export type DeployTemplateInput = Omit<Values<DeployTemplateRecord>, 'steps'> & { steps?: DeployStep[] };

/** Deploy template list filters: name. */
export interface DeployTemplateRepo {
  create(values: DeployTemplateInput): Promise<DeployTemplateRecord>;
  get(id: number): Promise<DeployTemplateRecord>;
  getByUuid(uuid: string): Promise<DeployTemplateRecord>;
  getByName(name: string): Promise<DeployTemplateRecord>;
  getByIdent(ident: string): Promise<DeployTemplateRecord>;
  /** Templates whose names are in names (deploy-time trait matching). */
  listByNames(names: string[]): Promise<DeployTemplateRecord[]>;
  list(opts?: ListOptions): Promise<DeployTemplateRecord[]>;
  /** steps given → replaces all steps. */
  update(uuid: string, values: DeployTemplateInput): Promise<DeployTemplateRecord>;
  destroy(uuid: string): Promise<void>;
}

export type RunbookInput = Omit<Values<RunbookRecord>, 'steps' | 'traits'> & { steps?: RunbookStep[]; traits?: string[] };

/** Runbook list filters: name, project (owned by it or public). Traits change only through the trait methods. */
export interface RunbookRepo {
  create(values: RunbookInput): Promise<RunbookRecord>;
  getByUuid(uuid: string): Promise<RunbookRecord>;
  getByName(name: string): Promise<RunbookRecord>;
  getByIdent(ident: string): Promise<RunbookRecord>;
  list(opts?: ListOptions): Promise<RunbookRecord[]>;
  /** steps given → replaces all steps; traits are ignored here. */
  update(uuid: string, values: RunbookInput): Promise<RunbookRecord>;
  setTraits(uuid: string, traits: string[]): Promise<void>;
  /** Adding a trait it already has changes nothing. */
  addTrait(uuid: string, trait: string): Promise<void>;
  /** false when it did not have the trait. */
  removeTrait(uuid: string, trait: string): Promise<boolean>;
  destroy(uuid: string): Promise<void>;
}

export interface HistoryEvent {
  event: string;
  severity?: NodeHistoryRecord['severity'];
  event_type?: string;
  conductor?: string | null;
  user?: string | null;
  project?: string | null;
  state?: string | null;
  target_provision_state?: string | null;
  duration_seconds?: number | null;
}

export interface NodeHistoryRepo {
  record(nodeId: number, ev: HistoryEvent): Promise<NodeHistoryRecord>;
  /** Many entries (of any nodes) in one INSERT; all or none are stored. */
  recordMany(entries: { nodeId: number; ev: HistoryEvent }[]): Promise<void>;
  getByUuid(uuid: string): Promise<NodeHistoryRecord>;
  /** Oldest first by default (sortKey 'created_at'... any column; ties by id). */
  list(nodeId: number, opts?: ListOptions): Promise<NodeHistoryRecord[]>;
  /** Keeps the newest max entries of the node; returns how many were deleted. */
  prune(nodeId: number, max: number): Promise<number>;
  /**
   * Every node keeps its newest max entries: the oldest excess entries are deleted, at most batch per call (the
   * periodic cleanup's node_history_max_entries / node_history_cleanup_batch_count); returns how many.
   */
  pruneAll(max: number, batch: number): Promise<number>;
}

/** Volume connector list filters: node_id, type, connector_id. */
export interface VolumeConnectorRepo {
  create(values: Values<VolumeConnectorRecord>): Promise<VolumeConnectorRecord>;
  get(id: number): Promise<VolumeConnectorRecord>;
  getByUuid(uuid: string): Promise<VolumeConnectorRecord>;
  list(opts?: ListOptions): Promise<VolumeConnectorRecord[]>;
  update(uuid: string, values: Values<VolumeConnectorRecord>): Promise<VolumeConnectorRecord>;
  destroy(uuid: string): Promise<void>;
}

/** Volume target list filters: node_id, volume_id, volume_type. */
export interface VolumeTargetRepo {
  create(values: Values<VolumeTargetRecord>): Promise<VolumeTargetRecord>;
  get(id: number): Promise<VolumeTargetRecord>;
  getByUuid(uuid: string): Promise<VolumeTargetRecord>;
  list(opts?: ListOptions): Promise<VolumeTargetRecord[]>;
  update(uuid: string, values: Values<VolumeTargetRecord>): Promise<VolumeTargetRecord>;
  destroy(uuid: string): Promise<void>;
}


export type { Json, JsonObject };

/** Anvil diagnoses (newest last). */
export interface DiagnosisRepo {
  record(d: Omit<NodeDiagnosisRecord, 'uuid' | 'created_at'> & { created_at?: string }): Promise<NodeDiagnosisRecord>;
  list(nodeUuid: string, limit?: number): Promise<NodeDiagnosisRecord[]>;
  latest(nodeUuid: string): Promise<NodeDiagnosisRecord | null>;
  /** Keeps the newest max diagnoses of the node; returns how many were deleted. */
  prune(nodeUuid: string, max: number): Promise<number>;
}

/** The boot trace: events of the given MACs and/or node (oldest first, the newest `limit`). */
export interface BootTraceRepo {
  add(events: BootTraceEvent[]): Promise<void>;
  list(q: { macs?: string[]; nodeUuid?: string; since?: string; limit?: number }): Promise<BootTraceEvent[]>;
  /** Keeps the newest maxPerKey events of each MAC and of each node; returns how many were deleted. */
  prune(maxPerKey: number): Promise<number>;
}

/** Correlated BMC outages, newest first. */
export interface BmcIncidentRepo {
  save(i: Omit<BmcIncident, 'diagnosis'>): Promise<void>;
  list(q?: { state?: 'open' | 'resolved'; limit?: number }): Promise<Omit<BmcIncident, 'diagnosis'>[]>;
}
