/**
 * In-band inspection contracts (Ironic's inspector hooks, ironic/drivers/modules/inspector/hooks/): what the
 * ramdisk reported, the node and ports a hook may change, and the hook itself. Hooks are pure: the pipeline hands
 * each one a working copy (`InspectionData`) it owns and may edit; the conductor persists the difference.
 * A package declares hooks in its manifest: "anvil": { "inspection_hooks": { "<name>": "./src/hook.ts" } }; the
 * module default-exports the hook, or a record of hooks by name.
 */
import type { JsonObject } from './objects.ts';

/** A port as hooks see it: `uuid` is absent on ports a hook creates. */
export interface InspectedPort {
  uuid?: string;
  address: string;
  pxe_enabled: boolean;
  local_link_connection: JsonObject;
  physical_network: string | null;
  extra: JsonObject;
}

/** The node fields hooks and rules may read and change (the rest is read-only context). */
export interface InspectedNode {
  uuid: string;
  name: string | null;
  driver: string;
  properties: JsonObject;
  driver_info: JsonObject;
  extra: JsonObject;
  instance_info: JsonObject;
  traits: string[];
  [field: string]: unknown;
}

export interface InspectionData {
  inventory: JsonObject;
  plugin_data: JsonObject;
  node: InspectedNode;
  ports: InspectedPort[];
  /** messages hooks and rules log (the conductor writes them to its log) */
  log: string[];
  /** the inventory stored by the node's previous inspection (the raid-device hook compares disks), if any */
  previous_inventory?: JsonObject | null;
}

/** Ironic's [inspector] options the built-in hooks read. */
export interface InspectionOptions {
  add_ports: 'all' | 'active' | 'pxe' | 'disabled';
  keep_ports: 'all' | 'present' | 'added';
  update_pxe_enabled: boolean;
  /** [inspector] physical_network_cidr_map: "cidr:physnet" pairs */
  physical_network_cidr_map: Record<string, string>;
  /** [inspector] cpu_capabilities: cpu flag → capability name */
  cpu_capabilities: Record<string, string>;
  /** [inspector] pci_device_alias: "vendor_id:product_id" → alias name */
  pci_device_alias?: Record<string, string>;
  /** [inspector] known_accelerators: the devices of that YAML file (default: Ironic's list) */
  known_accelerators?: JsonObject[];
}

export interface InspectionHook {
  name: string;
  /** hooks that must run before this one (Ironic's `dependencies`) */
  dependencies?: string[];
  /** runs for every hook before any `process` (Ironic's preprocess) */
  preprocess?(data: InspectionData, options: InspectionOptions): void;
  /** Ironic's __call__ */
  process?(data: InspectionData, options: InspectionOptions): void;
}

/** Ironic's HardwareInspectionFailure: "Failed to inspect hardware. Reason: <error>". */
export class HardwareInspectionFailure extends Error {
  readonly code = 'HardwareInspectionFailure';
  readonly status = 500;
  constructor(readonly error: string) {
    super(`Failed to inspect hardware. Reason: ${error}`);
  }
}

/** Ironic's [inspector] hook defaults: `default_hooks` and the `hooks` setting ("$default_hooks" expands). */
export const DEFAULT_INSPECTION_HOOKS = ['ramdisk-error', 'validate-interfaces', 'ports', 'architecture'];
