/**
 * The compute side's records (what Nova keeps in its own database and Placement in its), shared by @anvil/db
 * (which stores them) and @anvil/nova-bridge (which uses them).
 */
import { AnvilError } from './errors.ts';

export interface Flavor {
  id: string;
  name: string;
  vcpus: number;
  ram: number; // MB
  disk: number; // root GB
  ephemeral: number; // GB
  swap: number; // MB
  /** e.g. resources:CUSTOM_BAREMETAL=1, resources:VCPU=0, capabilities:boot_mode=uefi, trait:CUSTOM_X=required */
  extra_specs: Record<string, string>;
}

export interface Image {
  id: string;
  name: string;
  /** where the deploy fetches it (no Glance): instance_info.image_source; absent → the id is the source */
  url?: string;
  /** Glance-like properties: checksum, os_hash_algo/value, disk_format, architecture, traits_required… */
  properties: Record<string, unknown>;
}

export interface Nic {
  port_id: string; // the Neutron port (VIF) id; Neutron itself is outside Anvil, the id is only recorded
  net_id?: string;
  mac?: string; // the Neutron port's MAC, when known (used in network_data when no Ironic port records the VIF)
}

export type InstanceStatus = 'BUILD' | 'ACTIVE' | 'SHUTOFF' | 'REBOOT' | 'HARD_REBOOT' | 'RESCUE' | 'REBUILD' | 'ERROR' | 'DELETED';

/** Nova's instance_faults row (the newest one is the server's `fault`). */
export interface InstanceFault {
  code: number; // HTTP-like: 500 for build failures, 400 NoValidHost…
  name: string; // exception class name (NoValidHost, InstanceDeployFailure, MaxRetriesExceeded…)
  message: string;
  details?: string;
  host?: string | null;
  created_at?: string;
}

export interface Instance {
  uuid: string;
  name: string;
  status: InstanceStatus;
  task_state: string | null;
  power_state: 'RUNNING' | 'SHUTDOWN' | 'NOSTATE';
  flavor: Flavor;
  image: Image;
  nics: Nic[];
  user_data: string | null; // base64, as Nova's API takes it
  config_drive: boolean;
  metadata: Record<string, string>;
  key_name: string | null;
  public_key: string | null;
  admin_pass: string | null;
  availability_zone: string;
  project_id: string;
  host: string | null; // the compute service managing it
  node: string | null; // ironic node uuid
  fault: { code: string; message: string } | null;
  created_at: string;
  updated_at: string;
  launched_at?: string | null;
}

export interface Keypair {
  name: string;
  public_key: string;
  fingerprint: string;
  type: 'ssh' | 'x509';
  created_at?: string;
}

/** A Placement resource provider (one per Ironic node) with its inventories and traits. */
export interface ResourceProvider {
  uuid: string;
  name: string;
  generation: number;
  inventories: Record<string, { total: number; reserved: number; min_unit: number; max_unit: number; step_size: number; allocation_ratio: number }>;
  traits: string[];
}

/** The allocations of one consumer (instance), Placement's GET /allocations/{consumer} shape. */
export interface ConsumerAllocations {
  consumer_generation: number | null;
  allocations: Record<string, { resources: Record<string, number> }>;
}

export interface ComputeServiceRecord {
  host: string;
  updated_at: string;
  started_at: string;
}

const make = (code: string, status: number) =>
  class extends AnvilError {
    constructor(message: string) {
      super(message, code, status);
    }
  };

/** Placement's 409 placement.concurrent_update: the provider (or consumer) changed since it was read. */
export const ResourceProviderGenerationConflict = make('ResourceProviderGenerationConflict', 409);
/** Placement's 409 placement.concurrent_update for a consumer whose generation moved. */
export const ConsumerGenerationConflict = make('ConsumerGenerationConflict', 409);
/** Placement's 409 "Unable to allocate inventory": not enough capacity left. */
export const InsufficientResources = make('InsufficientResources', 409);
/** Nova's UnexpectedTaskStateError: the instance moved under a concurrent action. */
export const UnexpectedTaskState = make('UnexpectedTaskStateError', 409);
