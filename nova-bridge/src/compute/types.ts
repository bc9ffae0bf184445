/** The compute side's records: flavors, images, instances (what Nova keeps in its own database). */

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
  /** Glance-like properties: architecture, traits_required (list), img_config_drive (mandatory|optional)… */
  properties: Record<string, unknown>;
}

export interface Nic {
  port_id: string; // the Neutron port (VIF) id; Neutron itself is outside Anvil, the id is only recorded
  net_id?: string;
  mac?: string; // the Neutron port's MAC, when known (used in network_data when no Ironic port records the VIF)
}

export type InstanceStatus = 'BUILD' | 'ACTIVE' | 'SHUTOFF' | 'REBOOT' | 'HARD_REBOOT' | 'RESCUE' | 'REBUILD' | 'ERROR' | 'DELETED';

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
  host: string | null; // compute host
  node: string | null; // ironic node uuid
  fault: { code: string; message: string } | null;
  created_at: string;
  updated_at: string;
}
