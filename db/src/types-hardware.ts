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

export interface InventoryRepo {
  /** Missing → NotFound "Node X inventory could not be found." */
  get(nodeId: number): Promise<InventoryRecord>;
  /** Creates or replaces the node's inventory. */
  set(nodeId: number, inventory: JsonObject, pluginData?: JsonObject): Promise<InventoryRecord>;
  destroy(nodeId: number): Promise<void>;
}
