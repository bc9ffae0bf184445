/**
 * The files Nova puts on a config drive for an instance (pure): openstack/<version>/{meta_data.json, user_data,
 * vendor_data.json, network_data.json, vendor_data2.json} for each metadata version Nova (Zed) serves, plus
 * ec2/<version>/{meta-data.json, user-data}. Older version folders carry the subset of keys of their time.
 */
import type { Instance } from '../compute/types.ts';
import type { NetworkData } from './network-data.ts';

export const OPENSTACK_VERSIONS = ['2012-08-10', '2013-04-04', '2013-10-17', '2015-10-15', '2016-06-30', '2016-10-06', '2017-02-22', '2018-08-27', '2020-10-14', 'latest'];
const KEY_SINCE: Record<string, string> = { random_seed: '2013-04-04', project_id: '2015-10-15', keys: '2015-10-15', devices: '2016-06-30', dedicated_cpus: '2020-10-14' };
const FILE_SINCE: Record<string, string> = { 'vendor_data.json': '2013-10-17', 'network_data.json': '2015-10-15', 'vendor_data2.json': '2016-10-06' };
const atLeast = (v: string, since: string) => v === 'latest' || v >= since;
const pretty = (o: unknown) => JSON.stringify(o);

export interface DriveFileSpec {
  path: string;
  data: string | Uint8Array;
}

export function driveFiles(i: Instance, meta: Record<string, unknown>, net: NetworkData): DriveFileSpec[] {
  const files: DriveFileSpec[] = [];
  const userData = i.user_data ? Buffer.from(i.user_data, 'base64') : null;
  for (const v of OPENSTACK_VERSIONS) {
    const md = Object.fromEntries(Object.entries(meta).filter(([k]) => !KEY_SINCE[k] || atLeast(v, KEY_SINCE[k])));
    files.push({ path: `openstack/${v}/meta_data.json`, data: pretty(md) });
    if (userData) files.push({ path: `openstack/${v}/user_data`, data: userData });
    if (atLeast(v, FILE_SINCE['vendor_data.json'])) files.push({ path: `openstack/${v}/vendor_data.json`, data: '{}' });
    if (atLeast(v, FILE_SINCE['network_data.json'])) files.push({ path: `openstack/${v}/network_data.json`, data: pretty(net) });
    if (atLeast(v, FILE_SINCE['vendor_data2.json'])) files.push({ path: `openstack/${v}/vendor_data2.json`, data: pretty({ static: {} }) });
  }
  const ec2 = {
    'ami-id': i.image.id,
    'instance-id': i.uuid,
    hostname: meta.hostname,
    'local-hostname': meta.hostname,
    'instance-type': i.flavor.name,
    'reservation-id': `r-${i.uuid.slice(0, 8)}`,
    'security-groups': [],
    placement: { 'availability-zone': i.availability_zone },
  };
  for (const v of ['2009-04-04', 'latest']) {
    files.push({ path: `ec2/${v}/meta-data.json`, data: pretty(ec2) });
    if (userData) files.push({ path: `ec2/${v}/user-data`, data: userData });
  }
  return files;
}
