/**
 * instance_info → the agent's image_info (Ironic agent_base/deploy_utils build_instance_info_for_deploy, pure):
 * an HTTP(S) image_source, its checksum (image_os_hash_algo/value preferred, else image_checksum md5/sha256/sha512
 * by length or "algo:value"), whole-disk vs partition (kernel+ramdisk given → partition, which needs root_gb).
 */
import { InvalidParameterValue, type JsonObject, MissingParameterValue } from '@anvil/sdk';

export interface ImageInfo {
  id: string;
  urls: string[];
  disk_format: string;
  container_format: string | null;
  stream_raw_images: boolean;
  checksum: string | null;
  os_hash_algo: string | null;
  os_hash_value: string | null;
  node_uuid: string;
  image_type: 'whole-disk-image' | 'partition';
  root_mb?: number;
  swap_mb?: number;
  ephemeral_mb?: number;
  ephemeral_format?: string;
  preserve_ephemeral?: boolean;
}

const ALGO_BY_LEN: Record<number, string> = { 32: 'md5', 64: 'sha256', 128: 'sha512' };
const ALGOS = ['md5', 'sha256', 'sha512'];

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const int = (v: unknown, name: string): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  if (!Number.isInteger(n) || n < 0) throw new InvalidParameterValue(`${name} is not a non-negative integer: ${JSON.stringify(v)}`);
  return n;
};

export function isWholeDiskImage(ii: JsonObject): boolean {
  return !(str(ii.kernel) && str(ii.ramdisk));
}

/** Throws the 400s Ironic's direct validate gives for missing image data. */
export function validateInstanceInfo(ii: JsonObject): void {
  const source = str(ii.image_source) ?? str(ii.image_url);
  if (!source) throw new MissingParameterValue("Some parameters were missing in node's instance_info. Missing are: ['image_source']");
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new InvalidParameterValue(`Image source ${source} is not a valid HTTP(S) or file URL`);
  }
  if (!['http:', 'https:', 'file:'].includes(url.protocol)) throw new InvalidParameterValue(`Image source ${source} is not a valid HTTP(S) or file URL`);
  const algo = str(ii.image_os_hash_algo);
  if (algo && !ALGOS.includes(algo)) throw new InvalidParameterValue(`Unsupported image_os_hash_algo ${algo}; supported: ${ALGOS.join(', ')}`);
  if (!(algo && str(ii.image_os_hash_value)) && !str(ii.image_checksum)) {
    throw new MissingParameterValue("Some parameters were missing in node's instance_info. Missing are: ['image_checksum']");
  }
  if (!isWholeDiskImage(ii)) {
    if (ii.root_gb === undefined) throw new MissingParameterValue("Some parameters were missing in node's instance_info. Missing are: ['root_gb']");
    int(ii.root_gb, 'root_gb');
    if (ii.swap_mb !== undefined) int(ii.swap_mb, 'swap_mb');
    if (ii.ephemeral_gb !== undefined) int(ii.ephemeral_gb, 'ephemeral_gb');
  }
}

/** The checksum pair the agent verifies: explicit os_hash_* first, else image_checksum (algo by length or prefix). */
export function checksumOf(ii: JsonObject): { algo: string; value: string } {
  const algo = str(ii.image_os_hash_algo);
  const value = str(ii.image_os_hash_value);
  if (algo && value) return { algo, value: value.toLowerCase() };
  const raw = str(ii.image_checksum) ?? '';
  const m = /^(md5|sha256|sha512):(.+)$/.exec(raw);
  if (m) return { algo: m[1], value: m[2].toLowerCase() };
  const guess = ALGO_BY_LEN[raw.length];
  if (!guess) throw new InvalidParameterValue(`Cannot tell the algorithm of image_checksum ${raw}`);
  return { algo: guess, value: raw.toLowerCase() };
}

export function buildImageInfo(nodeUuid: string, ii: JsonObject): ImageInfo {
  validateInstanceInfo(ii);
  const source = (str(ii.image_source) ?? str(ii.image_url)) as string;
  const sum = checksumOf(ii);
  const whole = isWholeDiskImage(ii);
  const info: ImageInfo = {
    id: source.split('/').filter(Boolean).pop() ?? source,
    urls: [source],
    disk_format: str(ii.image_disk_format) ?? 'raw',
    container_format: str(ii.image_container_format),
    stream_raw_images: true,
    checksum: str(ii.image_checksum) ?? (sum.algo === 'md5' ? sum.value : null),
    os_hash_algo: sum.algo,
    os_hash_value: sum.value,
    node_uuid: nodeUuid,
    image_type: whole ? 'whole-disk-image' : 'partition',
  };
  if (!whole) {
    info.root_mb = int(ii.root_gb, 'root_gb') * 1024;
    info.swap_mb = ii.swap_mb === undefined ? 0 : int(ii.swap_mb, 'swap_mb');
    info.ephemeral_mb = ii.ephemeral_gb === undefined ? 0 : int(ii.ephemeral_gb, 'ephemeral_gb') * 1024;
    info.ephemeral_format = str(ii.ephemeral_format) ?? 'ext4';
    info.preserve_ephemeral = ii.preserve_ephemeral === true;
  }
  return info;
}
