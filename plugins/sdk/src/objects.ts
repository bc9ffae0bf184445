/**
 * Stored objects, with Ironic's field names (snake_case), exactly as the API shows them.
 * Dates are ISO-8601 strings or null. JSON fields are plain objects (never null in records: {}).
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface NodeRecord {
  id: number;
  uuid: string;
  name: string | null;
  driver: string;
  driver_info: JsonObject;
  driver_internal_info: JsonObject;
  properties: JsonObject;
  instance_info: JsonObject;
  instance_uuid: string | null;
  extra: JsonObject;
  chassis_id: number | null;
  chassis_uuid: string | null;
  power_state: string | null;
  target_power_state: string | null;
  provision_state: string;
  target_provision_state: string | null;
  provision_updated_at: string | null;
  maintenance: boolean;
  maintenance_reason: string | null;
  last_error: string | null;
  reservation: string | null;
  console_enabled: boolean;
  inspection_started_at: string | null;
  inspection_finished_at: string | null;
  clean_step: JsonObject;
  deploy_step: JsonObject;
  /** Ironic 39 (API 1.87): the running service step, {} when none. */
  service_step: JsonObject;
  raid_config: JsonObject;
  target_raid_config: JsonObject;
  resource_class: string | null;
  bios_interface: string | null;
  boot_interface: string | null;
  console_interface: string | null;
  deploy_interface: string | null;
  /** Ironic 39 (API 1.86). */
  firmware_interface: string | null;
  inspect_interface: string | null;
  management_interface: string | null;
  network_interface: string | null;
  power_interface: string | null;
  raid_interface: string | null;
  rescue_interface: string | null;
  storage_interface: string | null;
  vendor_interface: string | null;
  fault: string | null;
  conductor_group: string;
  conductor_affinity: number | null;
  automated_clean: boolean | null;
  protected: boolean;
  protected_reason: string | null;
  owner: string | null;
  lessee: string | null;
  description: string | null;
  allocation_id: number | null;
  retired: boolean;
  retired_reason: string | null;
  network_data: JsonObject;
  boot_mode: string | null;
  secure_boot: boolean | null;
  shard: string | null;
  /** UUID of the parent node (1.83). */
  parent_node: string | null;
  disable_power_off: boolean;
  instance_name: string | null;
  health: string | null;
  created_at: string;
  updated_at: string | null;
}

export interface PortRecord {
  id: number;
  uuid: string;
  address: string;
  node_id: number;
  portgroup_id: number | null;
  extra: JsonObject;
  internal_info: JsonObject;
  local_link_connection: JsonObject;
  pxe_enabled: boolean;
  physical_network: string | null;
  is_smartnic: boolean;
  name: string | null;
  description: string | null;
  vendor: string | null;
  category: string | null;
  available_for_dynamic_portgroup: boolean;
  created_at: string;
  updated_at: string | null;
}

export interface PortgroupRecord {
  id: number;
  uuid: string;
  name: string | null;
  address: string | null;
  node_id: number;
  extra: JsonObject;
  internal_info: JsonObject;
  standalone_ports_supported: boolean;
  mode: string;
  properties: JsonObject;
  physical_network: string | null;
  category: string | null;
  dynamic_portgroup: boolean;
  created_at: string;
  updated_at: string | null;
}

export interface ChassisRecord {
  id: number;
  uuid: string;
  description: string | null;
  extra: JsonObject;
  created_at: string;
  updated_at: string | null;
}

export interface ConductorRecord {
  id: number;
  hostname: string;
  conductor_group: string;
  online: boolean;
  drivers: string[];
  created_at: string;
  updated_at: string | null;
}

export interface AllocationRecord {
  id: number;
  uuid: string;
  name: string | null;
  node_id: number | null;
  state: 'allocating' | 'active' | 'error';
  last_error: string | null;
  resource_class: string | null;
  traits: string[];
  candidate_nodes: string[];
  extra: JsonObject;
  owner: string | null;
  conductor_affinity: number | null;
  created_at: string;
  updated_at: string | null;
}

export interface DeployStep {
  interface: string;
  step: string;
  args: JsonObject;
  priority: number;
}

export interface DeployTemplateRecord {
  id: number;
  uuid: string;
  name: string;
  steps: DeployStep[];
  extra: JsonObject;
  created_at: string;
  updated_at: string | null;
}

/** A node's cached firmware component (Ironic 39, GET /v1/nodes/{node}/firmware; vendor/model/serial_number 1.114). */
export interface FirmwareComponentRecord {
  node_id: number;
  component: string;
  initial_version: string;
  current_version: string | null;
  last_version_flashed: string | null;
  vendor: string | null;
  model: string | null;
  serial_number: string | null;
  created_at: string;
  updated_at: string | null;
}

/** One step of a runbook (Ironic 1.92): run in `order` during manual cleaning or servicing. */
export interface RunbookStep {
  interface: string;
  step: string;
  args: JsonObject;
  order: number;
}

/** A runbook (Ironic 1.92; description and traits 1.112): owner-scoped, optionally public, named lists of steps. */
export interface RunbookRecord {
  id: number;
  uuid: string;
  name: string;
  description: string | null;
  public: boolean;
  owner: string | null;
  disable_ramdisk: boolean;
  extra: JsonObject;
  steps: RunbookStep[];
  traits: string[];
  created_at: string;
  updated_at: string | null;
}

export interface VolumeConnectorRecord {
  id: number;
  uuid: string;
  node_id: number;
  type: string;
  connector_id: string;
  extra: JsonObject;
  created_at: string;
  updated_at: string | null;
}

export interface VolumeTargetRecord {
  id: number;
  uuid: string;
  node_id: number;
  volume_type: string;
  volume_id: string;
  boot_index: number;
  properties: JsonObject;
  extra: JsonObject;
  created_at: string;
  updated_at: string | null;
}

export interface NodeHistoryRecord {
  id: number;
  uuid: string;
  node_id: number;
  conductor: string | null;
  event_type: string;
  severity: 'INFO' | 'WARNING' | 'ERROR';
  event: string;
  user: string | null;
  /** Ironic 39: 1.113 `project`; 1.115 the node's state and target when recorded, seconds since provision_updated_at. */
  project: string | null;
  state: string | null;
  target_provision_state: string | null;
  duration_seconds: number | null;
  created_at: string;
  updated_at: string | null;
}

export interface BiosSettingRecord {
  node_id: number;
  name: string;
  value: string | null;
  attribute_type: string | null;
  allowable_values: string[] | null;
  lower_bound: number | null;
  upper_bound: number | null;
  min_length: number | null;
  max_length: number | null;
  read_only: boolean | null;
  reset_required: boolean | null;
  unique: boolean | null;
  created_at: string;
  updated_at: string | null;
}

/** The 13 interface kinds of a node, in Ironic's order (firmware: Ironic 39, API 1.86). */
export const INTERFACE_KINDS = [
  'bios',
  'boot',
  'console',
  'deploy',
  'firmware',
  'inspect',
  'management',
  'network',
  'power',
  'raid',
  'rescue',
  'storage',
  'vendor',
] as const;
export type InterfaceKind = (typeof INTERFACE_KINDS)[number];
export type InterfaceField = `${InterfaceKind}_interface`;
