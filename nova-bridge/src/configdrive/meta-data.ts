/** openstack/latest/meta_data.json for an instance, with Nova's keys (pure except for the random seed). */
import { randomBytes } from 'node:crypto';
import type { Instance } from '../compute/types.ts';

export function metaData(i: Instance, dhcpDomain = 'novalocal'): Record<string, unknown> {
  const hostname = i.name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || `server-${i.uuid.slice(0, 8)}`;
  const md: Record<string, unknown> = {
    uuid: i.uuid,
    meta: i.metadata,
    files: [],
    hostname: dhcpDomain ? `${hostname}.${dhcpDomain}` : hostname,
    name: i.name,
    launch_index: 0,
    availability_zone: i.availability_zone,
    random_seed: randomBytes(512).toString('base64'),
    project_id: i.project_id,
    devices: [],
    dedicated_cpus: [],
  };
  if (i.admin_pass) md.admin_pass = i.admin_pass;
  if (i.key_name && i.public_key) {
    md.public_keys = { [i.key_name]: i.public_key };
    md.keys = [{ name: i.key_name, type: 'ssh', data: i.public_key }];
  }
  return md;
}
