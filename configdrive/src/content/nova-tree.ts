/**
 * The file list of a config drive as Nova writes it (nova/virt/configdrive + api/metadata/base):
 *   ec2/<2009-04-04|latest>/meta-data.json, ec2/<v>/user-data
 *   openstack/<each version|latest>/meta_data.json, user_data, vendor_data.json (Havana+),
 *     network_data.json (Liberty+), vendor_data2.json (Newton+)
 *   openstack/content/NNNN for injected files, referenced by meta_data.json `files[].content_path`.
 * Pure: takes data, returns DriveFile[] for the ISO/VFAT writers.
 */
import { randomBytes } from 'node:crypto';
import { InvalidConfigDrive } from '../errors.ts';
import type { DriveFile } from '../paths.ts';
import { pyJsonDumps } from '../pyjson.ts';
import { DEVICE_FIELD_SINCE, EC2_VERSIONS, FILE_SINCE, LATEST, META_KEY_SINCE, OPENSTACK_VERSIONS, atLeast } from './versions.ts';

export interface InjectedFile {
  /** Path on the instance, e.g. /etc/motd. */
  path: string;
  contents: Uint8Array | string;
}

export interface NovaDriveInput {
  /** Latest meta_data.json content: uuid (required), name, hostname, availability_zone, launch_index,
   *  project_id, public_keys, keys, meta, devices, random_seed, admin_pass, dedicated_cpus, ... */
  metaData: Record<string, unknown>;
  userData?: Uint8Array | string | null;
  /** network_data.json: {links, networks, services}. Omitted from the drive when absent. */
  networkData?: Record<string, unknown> | null;
  /** vendor_data.json (static vendor data); default {}. */
  vendorData?: unknown;
  /** vendor_data2.json; default {"static": vendorData}. */
  vendorData2?: unknown;
  /** Personality files: written as openstack/content/NNNN and listed in meta_data.json `files`. */
  files?: InjectedFile[];
  /** EC2 meta-data.json content; default derived from metaData. */
  ec2MetaData?: Record<string, unknown>;
  openstackVersions?: readonly string[];
  ec2Versions?: readonly string[];
  /** Bytes behind meta_data.json `random_seed` when metaData has none; default 512 random bytes. */
  randomSeed?: Uint8Array;
}

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks the parts cloud-init relies on; throws InvalidConfigDrive with the offending field. */
export function validateNovaInput(input: NovaDriveInput): void {
  if (!isObject(input.metaData)) throw new InvalidConfigDrive('meta_data must be a JSON object');
  const uuid = input.metaData.uuid;
  if (typeof uuid !== 'string' || !UUID_RE.test(uuid)) throw new InvalidConfigDrive(`meta_data.uuid must be a UUID, got ${JSON.stringify(uuid)}`);
  if (input.networkData != null) {
    const n = input.networkData;
    if (!isObject(n)) throw new InvalidConfigDrive('network_data must be a JSON object');
    for (const k of ['links', 'networks', 'services'] as const) {
      if (n[k] !== undefined && !Array.isArray(n[k])) throw new InvalidConfigDrive(`network_data.${k} must be a list`);
    }
  }
  const pk = input.metaData.public_keys;
  if (pk !== undefined && !isObject(pk)) throw new InvalidConfigDrive('meta_data.public_keys must be an object {name: key}');
  for (const f of input.files ?? []) {
    if (typeof f.path !== 'string' || !f.path.startsWith('/')) throw new InvalidConfigDrive(`injected file path must be absolute, got ${JSON.stringify(f.path)}`);
  }
}

function metaForVersion(latest: Record<string, unknown>, version: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(latest)) {
    const since = META_KEY_SINCE[k];
    if (since === undefined || atLeast(version, since)) out[k] = v;
  }
  if (Array.isArray(out.devices)) {
    out.devices = out.devices.map((d) => {
      if (!isObject(d)) return d;
      const copy = { ...d };
      for (const [f, since] of Object.entries(DEVICE_FIELD_SINCE)) if (!atLeast(version, since)) delete copy[f];
      return copy;
    });
  }
  return out;
}

/** EC2 meta-data.json derived from the OpenStack metadata (the fields cloud-init's ec2 reader uses). */
export function ec2MetaFrom(md: Record<string, unknown>): Record<string, unknown> {
  const uuid = String(md.uuid);
  const hostname = (md.hostname as string | undefined) ?? (md.name as string | undefined) ?? uuid;
  const out: Record<string, unknown> = {
    'ami-id': 'ami-00000000',
    'ami-launch-index': md.launch_index ?? 0,
    'ami-manifest-path': 'FIXME',
    'block-device-mapping': { 'ami': 'sda1', 'root': '/dev/sda1' },
    hostname,
    'instance-action': 'none',
    'instance-id': `i-${uuid.replace(/-/g, '').slice(0, 8)}`,
    'instance-type': 'baremetal',
    'local-hostname': hostname,
    'local-ipv4': null,
    placement: { 'availability-zone': md.availability_zone ?? null },
    'public-hostname': hostname,
    'public-ipv4': null,
    'reservation-id': `r-${uuid.replace(/-/g, '').slice(8, 16)}`,
    'security-groups': [],
  };
  if (isObject(md.public_keys)) {
    const first = Object.values(md.public_keys)[0];
    if (typeof first === 'string') out['public-keys'] = { '0': { 'openssh-key': first } };
  }
  return out;
}

const toBytes = (v: Uint8Array | string): Uint8Array => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v);

/** Builds the complete Nova-style file list. */
export function novaDriveFiles(input: NovaDriveInput): DriveFile[] {
  validateNovaInput(input);
  const latest: Record<string, unknown> = { ...input.metaData };
  const injected = input.files ?? [];
  const content: DriveFile[] = injected.map((f, i) => ({ path: `openstack/content/${String(i).padStart(4, '0')}`, data: toBytes(f.contents) }));
  if (injected.length) latest.files = injected.map((f, i) => ({ path: f.path, content_path: `/content/${String(i).padStart(4, '0')}` }));
  if (latest.random_seed === undefined) latest.random_seed = Buffer.from(input.randomSeed ?? randomBytes(512)).toString('base64');
  if (latest.hostname === undefined && typeof latest.name === 'string') latest.hostname = latest.name;

  const userData = input.userData == null ? null : toBytes(input.userData);
  const vendor = input.vendorData ?? {};
  const vendor2 = input.vendorData2 ?? { static: vendor };
  const out: DriveFile[] = [];

  const ec2Meta = input.ec2MetaData ?? ec2MetaFrom(latest);
  for (const v of [...(input.ec2Versions ?? EC2_VERSIONS), LATEST]) {
    if (userData) out.push({ path: `ec2/${v}/user-data`, data: userData });
    out.push({ path: `ec2/${v}/meta-data.json`, data: pyJsonDumps(ec2Meta) });
  }
  for (const v of [...(input.openstackVersions ?? OPENSTACK_VERSIONS), LATEST]) {
    out.push({ path: `openstack/${v}/meta_data.json`, data: pyJsonDumps(metaForVersion(latest, v)) });
    if (userData) out.push({ path: `openstack/${v}/user_data`, data: userData });
    if (atLeast(v, FILE_SINCE['vendor_data.json'])) out.push({ path: `openstack/${v}/vendor_data.json`, data: pyJsonDumps(vendor) });
    if (input.networkData != null && atLeast(v, FILE_SINCE['network_data.json'])) {
      out.push({ path: `openstack/${v}/network_data.json`, data: pyJsonDumps(input.networkData) });
    }
    if (atLeast(v, FILE_SINCE['vendor_data2.json'])) out.push({ path: `openstack/${v}/vendor_data2.json`, data: pyJsonDumps(vendor2) });
  }
  out.push(...content);
  return out;
}
