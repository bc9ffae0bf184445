/**
 * Nova's and Glance's response shapes (pure): servers (per microversion), flavors, keypairs, images, faults, and
 * the status ↔ vm_state mapping Nova's API uses.
 */
import type { Flavor, Image, Instance, InstanceFault, Keypair } from '@anvil/sdk';
import { vmState } from '../compute/vm-state.ts';
import { type Microversion, atLeast } from './microversion.ts';

const POWER: Record<string, number> = { NOSTATE: 0, RUNNING: 1, SHUTDOWN: 4 };

export const link = (base: string, path: string) => [
  { rel: 'self', href: `${base}/v2.1/${path}` },
  { rel: 'bookmark', href: `${base}/${path}` },
];

export function flavorView(f: Flavor, base: string, v: Microversion): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: f.id,
    name: f.name,
    ram: f.ram,
    disk: f.disk,
    vcpus: f.vcpus,
    swap: atLeast(v, 75) ? f.swap : f.swap || '',
    'OS-FLV-EXT-DATA:ephemeral': f.ephemeral,
    'OS-FLV-DISABLED:disabled': false,
    rxtx_factor: 1.0,
    'os-flavor-access:is_public': true,
    links: link(base, `flavors/${f.id}`),
  };
  if (atLeast(v, 55)) out.description = null;
  if (atLeast(v, 61)) out.extra_specs = f.extra_specs;
  return out;
}

export function faultView(f: InstanceFault | null | undefined): Record<string, unknown> | undefined {
  if (!f) return undefined;
  return { code: f.code, message: f.message, details: f.details ?? f.name, created: (f.created_at ?? '').replace(/\.\d+Z$/, 'Z') };
}

const iso = (s: string | null | undefined) => (s ? s.replace(/\.\d+Z$/, 'Z') : null);

export function serverView(i: Instance, base: string, v: Microversion, fault?: InstanceFault): Record<string, unknown> {
  const addresses: Record<string, unknown[]> = {};
  for (const n of i.nics) (addresses[n.net_id ?? 'provisioning'] ??= []).push({ version: 4, addr: n.port_id, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': n.mac ?? null });
  const flavor = atLeast(v, 47)
    ? { vcpus: i.flavor.vcpus, ram: i.flavor.ram, disk: i.flavor.disk, ephemeral: i.flavor.ephemeral, swap: i.flavor.swap, original_name: i.flavor.name, extra_specs: i.flavor.extra_specs }
    : { id: i.flavor.id, links: [{ rel: 'bookmark', href: `${base}/flavors/${i.flavor.id}` }] };
  const out: Record<string, unknown> = {
    id: i.uuid,
    name: i.name,
    status: i.status,
    tenant_id: i.project_id,
    user_id: 'anvil',
    metadata: i.metadata,
    hostId: i.host ? i.host : '',
    image: { id: i.image.id, links: [{ rel: 'bookmark', href: `${base}/images/${i.image.id}` }] },
    flavor,
    created: iso(i.created_at),
    updated: iso(i.updated_at),
    addresses,
    accessIPv4: '',
    accessIPv6: '',
    links: link(base, `servers/${i.uuid}`),
    'OS-DCF:diskConfig': 'MANUAL',
    progress: i.status === 'ACTIVE' ? 100 : 0,
    'OS-EXT-AZ:availability_zone': i.availability_zone,
    config_drive: i.config_drive ? 'True' : '',
    key_name: i.key_name,
    'OS-SRV-USG:launched_at': i.launched_at ? iso(i.launched_at)!.replace('Z', '.000000') : null,
    'OS-SRV-USG:terminated_at': null,
    'OS-EXT-SRV-ATTR:host': i.host,
    'OS-EXT-SRV-ATTR:instance_name': `instance-${i.uuid.slice(0, 8)}`,
    'OS-EXT-SRV-ATTR:hypervisor_hostname': i.node,
    'OS-EXT-STS:task_state': i.task_state,
    'OS-EXT-STS:vm_state': vmState(i.status),
    'OS-EXT-STS:power_state': POWER[i.power_state] ?? 0,
    'os-extended-volumes:volumes_attached': [],
    security_groups: [{ name: 'default' }],
  };
  if (atLeast(v, 3)) {
    Object.assign(out, {
      'OS-EXT-SRV-ATTR:hostname': i.name,
      'OS-EXT-SRV-ATTR:reservation_id': `r-${i.uuid.slice(0, 8)}`,
      'OS-EXT-SRV-ATTR:launch_index': 0,
      'OS-EXT-SRV-ATTR:kernel_id': '',
      'OS-EXT-SRV-ATTR:ramdisk_id': '',
      'OS-EXT-SRV-ATTR:root_device_name': null,
      'OS-EXT-SRV-ATTR:user_data': i.user_data,
    });
  }
  if (atLeast(v, 9)) out.locked = false;
  if (atLeast(v, 16)) out.host_status = i.host ? 'UP' : '';
  if (atLeast(v, 19)) out.description = null;
  if (atLeast(v, 26)) out.tags = [];
  if (i.status === 'ERROR' || (fault && i.fault)) {
    const f = faultView(fault ?? (i.fault ? { code: 500, name: i.fault.code, message: i.fault.message, created_at: i.updated_at } : undefined));
    if (f) out.fault = f;
  }
  return out;
}

export const keypairView = (k: Keypair) => ({ name: k.name, public_key: k.public_key, fingerprint: k.fingerprint, type: k.type });

export function imageView(i: Image): Record<string, unknown> {
  const p = i.properties;
  const extra = Object.fromEntries(Object.entries(p).filter(([k]) => !['checksum', 'os_hash_algo', 'os_hash_value', 'disk_format', 'container_format'].includes(k)));
  return {
    ...extra,
    id: i.id,
    name: i.name,
    status: 'active',
    visibility: 'public',
    protected: false,
    os_hidden: false,
    disk_format: p.disk_format ?? 'raw',
    container_format: p.container_format ?? 'bare',
    checksum: p.checksum ?? null,
    os_hash_algo: p.os_hash_algo ?? null,
    os_hash_value: p.os_hash_value ?? null,
    size: null,
    virtual_size: null,
    min_disk: 0,
    min_ram: 0,
    owner: 'anvil',
    tags: [],
    url: i.url ?? i.id,
    created_at: '1970-01-01T00:00:00Z',
    updated_at: '1970-01-01T00:00:00Z',
    self: `/v2/images/${i.id}`,
    file: `/v2/images/${i.id}/file`,
    schema: '/v2/schemas/image',
  };
}
