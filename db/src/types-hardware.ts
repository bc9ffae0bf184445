/** The repositories of what is known about a node's hardware: BIOS settings, firmware components, the inspection inventory and inspection rules. Part of @anvil/db's public shape (types.ts re-exports them). */
import type { BiosSettingRecord, FirmwareComponentRecord, JsonObject } from '@anvil/sdk';
import type { ListOptions, Values } from './types.ts';

export type BiosSettingInput = Omit<Values<BiosSettingRecord>, 'node_id' | 'created_at' | 'updated_at'> & { name: string };

export type FirmwareComponentInput = Omit<Values<FirmwareComponentRecord>, 'node_id' | 'created_at' | 'updated_at'> & {
  component: string;
  initial_version: string;
};

/** A node's cached firmware components, keyed by (node_id, component). */
export interface FirmwareRepo {
  /** In the order they were first recorded. */
  list(nodeId: number): Promise<FirmwareComponentRecord[]>;
  /** Makes the node's components exactly these: a known component keeps its initial_version. */
  replace(nodeId: number, components: FirmwareComponentInput[]): Promise<FirmwareComponentRecord[]>;
}

export interface BiosRepo {
  /** Sorted by name. */
  list(nodeId: number): Promise<BiosSettingRecord[]>;
  /** Missing → NotFound "Node X doesn't have a BIOS setting 'Y'". */
  get(nodeId: number, name: string): Promise<BiosSettingRecord>;
  /** Creates or updates the given settings, leaves others. */
  upsert(nodeId: number, settings: BiosSettingInput[]): Promise<BiosSettingRecord[]>;
  /** Makes the node's settings exactly these (create/update/delete). */
  replace(nodeId: number, settings: BiosSettingInput[]): Promise<BiosSettingRecord[]>;
  remove(nodeId: number, names: string[]): Promise<void>;
  removeAll(nodeId: number): Promise<void>;
}

export interface InventoryRecord {
  node_id: number;
  inventory: JsonObject;
  plugin_data: JsonObject;
  created_at: string;
  updated_at: string | null;
}

/** An inspection rule as stored (Ironic's InspectionRule object). */
export interface InspectionRuleRecord {
  id: number;
  uuid: string;
  description: string | null;
  priority: number;
  sensitive: boolean;
  phase: string;
  conditions: JsonObject[];
  actions: JsonObject[];
  created_at: string;
  updated_at: string | null;
}

/** Inspection rule list filters: phase. */
export interface InspectionRuleRepo {
  create(values: Values<InspectionRuleRecord>): Promise<InspectionRuleRecord>;
  getByUuid(uuid: string): Promise<InspectionRuleRecord>;
  list(opts?: ListOptions): Promise<InspectionRuleRecord[]>;
  update(uuid: string, values: Values<InspectionRuleRecord>): Promise<InspectionRuleRecord>;
  destroy(uuid: string): Promise<void>;
}

/** An introspection rule of the Inspector-compatible API (ironic-inspector's format, kept as given). */
export interface InspectorRuleRecord {
  id: number;
  uuid: string;
  description: string | null;
  scope: string | null;
  conditions: JsonObject[];
  actions: JsonObject[];
  created_at: string;
  updated_at: string | null;
}

export interface InspectorRuleRepo {
  create(values: Values<InspectorRuleRecord>): Promise<InspectorRuleRecord>;
  /** Missing → NotFound "Rule X was not found" (Inspector's text). */
  getByUuid(uuid: string): Promise<InspectorRuleRecord>;
  /** Oldest first (Inspector orders by created_at). */
  list(): Promise<InspectorRuleRecord[]>;
  destroy(uuid: string): Promise<void>;
  destroyAll(): Promise<void>;
}

/** A node introspected through the Inspector-compatible API (uuid = the node's uuid). */
export interface IntrospectionRecord {
  id: number;
  uuid: string;
  manage_boot: boolean;
  started_at: string;
  /** set by an abort; other errors are the node's last_error */
  error: string | null;
  /** the ramdisk's data as posted to /v1/continue */
  unprocessed: JsonObject;
  created_at: string;
  updated_at: string | null;
}

export interface IntrospectionRepo {
  /** Missing → NotFound "Could not find node X in cache" (Inspector's text). */
  getByUuid(uuid: string): Promise<IntrospectionRecord>;
  find(uuid: string): Promise<IntrospectionRecord | undefined>;
  /** Newest start first; limit and marker (a node uuid). */
  list(opts?: ListOptions): Promise<IntrospectionRecord[]>;
  /** Create the node's row or restart it (started_at now, error and data cleared). */
  start(uuid: string, manageBoot: boolean): Promise<IntrospectionRecord>;
  /** Update the row when there is one (no row: nothing). */
  update(uuid: string, values: Partial<Pick<IntrospectionRecord, 'error' | 'unprocessed'>>): Promise<void>;
}

export interface InventoryRepo {
  /** Missing → NotFound "Node X inventory could not be found." */
  get(nodeId: number): Promise<InventoryRecord>;
  /** Creates or replaces the node's inventory. */
  set(nodeId: number, inventory: JsonObject, pluginData?: JsonObject): Promise<InventoryRecord>;
  destroy(nodeId: number): Promise<void>;
}
