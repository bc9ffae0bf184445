/**
 * The config drive as Ironic's provision API carries it (`PUT /v1/nodes/{node}/states/provision`):
 *  - a string: gzip + base64 of an ISO9660 (or VFAT) image, or a URL to fetch it from;
 *  - (API >= 1.56) an object {meta_data, network_data, user_data, vendor_data} that the conductor builds
 *    into an ISO itself (ironic.conductor.utils.build_configdrive + openstacksdk configdrive.build).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { ConfigDriveTooLarge, InvalidConfigDrive, MAX_CONFIG_DRIVE_BYTES } from './errors.ts';
import { type IsoOptions, buildIso } from './iso9660/writer.ts';
import type { DriveFile } from './paths.ts';
import { pyJsonDumps } from './pyjson.ts';

export interface ConfigDriveDict {
  meta_data?: Record<string, unknown>;
  network_data?: Record<string, unknown>;
  user_data?: Record<string, unknown> | unknown[] | string | null;
  vendor_data?: Record<string, unknown>;
}

const DICT_KEYS = new Set(['meta_data', 'network_data', 'user_data', 'vendor_data']);
const BASE64_TEXT = /^[A-Za-z0-9+/=\s]*$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True for the URL form (Ironic: the string contains "://"); the deploy fetches it instead of decoding. */
export function isConfigDriveUrl(value: string): boolean {
  return value.includes('://');
}

/**
 * What the API checks on PUT /states/provision before accepting a `configdrive` (the microversion gates,
 * 1.56 for objects and 1.59 for vendor_data, stay with the API). Throws InvalidConfigDrive (400).
 */
export function validateApiConfigDrive(value: unknown): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'string') {
    if (!isConfigDriveUrl(value) && !BASE64_TEXT.test(value)) {
      throw new InvalidConfigDrive('Invalid configdrive format: it must be a gzipped and base64 encoded string, a URL or a JSON object');
    }
    return;
  }
  if (!isObject(value)) throw new InvalidConfigDrive('Invalid configdrive format: expected a string or an object');
  for (const k of Object.keys(value)) {
    if (!DICT_KEYS.has(k)) throw new InvalidConfigDrive(`Invalid configdrive format: unexpected key '${k}' (allowed: ${[...DICT_KEYS].join(', ')})`);
  }
  for (const k of ['meta_data', 'network_data', 'vendor_data'] as const) {
    if (value[k] !== undefined && !isObject(value[k])) throw new InvalidConfigDrive(`Invalid configdrive format: ${k} must be an object`);
  }
  const ud = value.user_data;
  if (ud !== undefined && ud !== null && typeof ud !== 'string' && typeof ud !== 'object') {
    throw new InvalidConfigDrive('Invalid configdrive format: user_data must be an object, a list, a string or null');
  }
}

/** Python truthiness of a JSON value (empty dict/list/string are false), as openstacksdk tests it. */
function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isObject(v)) return Object.keys(v).length > 0;
  return true;
}

/** The files Ironic writes for the dict form (versions 2012-08-10 and latest; vendor_data -> vendor_data2.json). */
export function dictDriveFiles(dict: ConfigDriveDict, node: { uuid: string; name?: string | null }): DriveFile[] {
  validateApiConfigDrive(dict);
  const meta: Record<string, unknown> = { ...(dict.meta_data ?? {}) };
  if (meta.uuid === undefined) meta.uuid = node.uuid;
  if (node.name && meta.name === undefined) meta.name = node.name;
  let userData: Buffer | null = null;
  const ud = dict.user_data;
  if (Array.isArray(ud) || isObject(ud)) userData = Buffer.from(pyJsonDumps(ud), 'utf8');
  else if (typeof ud === 'string' && ud !== '') userData = Buffer.from(ud, 'utf8');
  const files: DriveFile[] = [];
  for (const v of ['2012-08-10', 'latest']) {
    files.push({ path: `openstack/${v}/meta_data.json`, data: pyJsonDumps(meta) });
    if (truthy(dict.network_data)) files.push({ path: `openstack/${v}/network_data.json`, data: pyJsonDumps(dict.network_data) });
    if (truthy(dict.vendor_data)) files.push({ path: `openstack/${v}/vendor_data2.json`, data: pyJsonDumps(dict.vendor_data) });
    if (userData) files.push({ path: `openstack/${v}/user_data`, data: userData });
  }
  return files;
}

/** Builds the ISO9660 image for the dict form, the way Ironic's conductor does (label config-2). */
export function buildConfigDriveFromDict(dict: ConfigDriveDict, node: { uuid: string; name?: string | null }, opts: IsoOptions = {}): Buffer {
  return buildIso(dictDriveFiles(dict, node), { publisher: 'metalsmith', ...opts });
}

/** gzip + base64: the string form for `configdrive` in the provision API and instance_info. */
export function encodeForApi(image: Uint8Array): string {
  if (image.length > MAX_CONFIG_DRIVE_BYTES) throw tooLarge(image.length);
  return gzipSync(image).toString('base64');
}

function tooLarge(bytes: number): ConfigDriveTooLarge {
  return new ConfigDriveTooLarge(
    `Config drive size exceeds maximum limit of 64MiB. Size of the given config drive is ${Math.ceil(bytes / 1048576)} MiB`,
  );
}

export type ImageFormat = 'iso9660' | 'vfat';

/** Recognises an ISO9660 (CD001 at sector 16) or FAT (boot signature + FAT type string) image. */
export function detectImageFormat(image: Uint8Array): ImageFormat | null {
  const b = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
  if (b.length >= 16 * 2048 + 6 && b.toString('latin1', 16 * 2048 + 1, 16 * 2048 + 6) === 'CD001') return 'iso9660';
  if (b.length >= 512 && b[510] === 0x55 && b[511] === 0xaa) {
    if (b.toString('latin1', 54, 57) === 'FAT' || b.toString('latin1', 82, 87) === 'FAT32') return 'vfat';
  }
  return null;
}

/**
 * Decodes the API string form back into the image, checking each layer: base64 text, gzip data, an
 * ISO9660/VFAT image, at most 64 MiB. Every failure is a clear InvalidConfigDrive / ConfigDriveTooLarge.
 */
export function decodeFromApi(value: string, maxBytes = MAX_CONFIG_DRIVE_BYTES): { image: Buffer; format: ImageFormat } {
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidConfigDrive('configdrive is empty');
  if (isConfigDriveUrl(value)) throw new InvalidConfigDrive('configdrive is a URL; it must be downloaded before it can be decoded');
  const text = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) {
    throw new InvalidConfigDrive('configdrive is not base64 encoded: it must be a gzipped and base64 encoded ISO9660 or VFAT image');
  }
  const gz = Buffer.from(text, 'base64');
  if (gz.length < 2 || gz[0] !== 0x1f || gz[1] !== 0x8b) {
    throw new InvalidConfigDrive('configdrive is base64 but not gzip-compressed data: it must be a gzipped and base64 encoded ISO9660 or VFAT image');
  }
  let image: Buffer;
  try {
    image = gunzipSync(gz, { maxOutputLength: maxBytes + 1 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes + 1);
    throw new InvalidConfigDrive(`configdrive gzip data is corrupt: ${(e as Error).message}`);
  }
  if (image.length > maxBytes) throw tooLarge(image.length);
  const format = detectImageFormat(image);
  if (!format) throw new InvalidConfigDrive('configdrive is gzip data but not an ISO9660 or VFAT image');
  return { image, format };
}

const asDict = (value: unknown): ConfigDriveDict => {
  validateApiConfigDrive(value);
  return value as ConfigDriveDict;
};

/**
 * What the conductor stores in instance_info.configdrive when a deploy/rebuild starts (Ironic's
 * deployments.do_node_deploy): an object is built into an ISO and stored as its gzip+base64 string;
 * a string (blob or URL) is stored as given.
 */
export function configDriveForInstanceInfo(value: string | ConfigDriveDict, node: { uuid: string; name?: string | null }, opts: IsoOptions = {}): string {
  if (typeof value === 'string') {
    validateApiConfigDrive(value);
    return value;
  }
  return encodeForApi(buildConfigDriveFromDict(asDict(value), node, opts));
}

/**
 * The image a deploy writes to the config drive partition: decodes the stored string (or builds the
 * object form). URLs must be fetched by the caller first (this package does no I/O).
 */
export function configDriveImage(value: string | ConfigDriveDict, node: { uuid: string; name?: string | null }, opts: IsoOptions = {}): { image: Buffer; format: ImageFormat } {
  if (typeof value === 'string') return decodeFromApi(value);
  return { image: buildConfigDriveFromDict(asDict(value), node, opts), format: 'iso9660' };
}
