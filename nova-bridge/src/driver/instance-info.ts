/**
 * The instance_info JSON patch Nova's driver sends on spawn and rebuild (pure). Values are strings exactly as
 * Nova writes them; capabilities is a JSON-encoded string, traits a JSON list.
 */
import type { Flavor, Image, Instance } from '../compute/types.ts';
import type { NodeView } from './node-view.ts';

export interface PatchOp {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

/** flavor `capabilities:k=v` extra specs → {k: v} (as Nova's patcher strips the prefix). */
export function flavorCapabilities(flavor: Flavor): Record<string, string> {
  const caps: Record<string, string> = {};
  for (const [k, v] of Object.entries(flavor.extra_specs)) if (k.startsWith('capabilities:')) caps[k.slice('capabilities:'.length)] = v;
  return caps;
}

/** required traits: flavor `trait[N]:X=required` plus the image's `traits_required`. */
export function requiredTraits(flavor: Flavor, image?: Image): string[] {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(flavor.extra_specs)) if (/^trait\d*:/.test(k) && v === 'required') out.add(k.slice(k.indexOf(':') + 1));
  const img = image?.properties.traits_required;
  if (Array.isArray(img)) for (const t of img) out.add(String(t));
  return [...out];
}

export function forbiddenTraits(flavor: Flavor): string[] {
  return Object.entries(flavor.extra_specs)
    .filter(([k, v]) => /^trait\d*:/.test(k) && v === 'forbidden')
    .map(([k]) => k.slice(k.indexOf(':') + 1));
}

/** json.dumps of a flat dict, as Python writes it (`{"k": "v", "k2": "v2"}`), so the stored string is Nova's. */
export function pythonJson(d: Record<string, string>): string {
  return `{${Object.entries(d)
    .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(', ')}}`;
}

/**
 * No Glance here: an image registered with these properties (an http(s) URL as its id) passes them on, as
 * Ironic reads them from Glance for a Glance image (and as standalone clients like metalsmith send them).
 */
const STANDALONE_IMAGE_FIELDS: Record<string, string> = {
  checksum: 'image_checksum',
  os_hash_algo: 'image_os_hash_algo',
  os_hash_value: 'image_os_hash_value',
  disk_format: 'image_disk_format',
};

export interface DeployPatchInput {
  instance: Pick<Instance, 'name' | 'flavor' | 'image'>;
  node: NodeView;
  host: string;
  preserveEphemeral?: boolean; // rebuild only
  defaultEphemeralFormat?: string;
}

export function deployPatch(i: DeployPatchInput): PatchOp[] {
  const { flavor, image } = i.instance;
  const add = (path: string, value: unknown): PatchOp => ({ op: 'add', path: `/instance_info/${path}`, value });
  const ops: PatchOp[] = [
    add('image_source', image.url ?? image.id),
    add('root_gb', String(flavor.disk)),
    add('swap_mb', String(flavor.swap)),
    add('display_name', i.instance.name),
    add('vcpus', String(flavor.vcpus)),
    add('nova_host_id', i.host),
    add('memory_mb', String(flavor.ram)),
    add('local_gb', String(Number.parseInt(String(i.node.properties.local_gb ?? 0), 10) || 0)),
  ];
  for (const [prop, field] of Object.entries(STANDALONE_IMAGE_FIELDS)) {
    const v = image.properties[prop];
    if (typeof v === 'string' && v) ops.push(add(field, v));
  }
  if (flavor.ephemeral) {
    ops.push(add('ephemeral_gb', String(flavor.ephemeral)));
    if (i.defaultEphemeralFormat) ops.push(add('ephemeral_format', i.defaultEphemeralFormat));
  }
  if (i.preserveEphemeral !== undefined) ops.push(add('preserve_ephemeral', i.preserveEphemeral ? 'True' : 'False'));
  const caps = flavorCapabilities(flavor);
  if (Object.keys(caps).length) ops.push(add('capabilities', pythonJson(caps)));
  const traits = requiredTraits(flavor, image);
  if (traits.length) ops.push(add('traits', traits));
  return ops;
}

export const UNRESERVE_PATCH: PatchOp[] = [
  { op: 'remove', path: '/instance_info' },
  { op: 'remove', path: '/instance_uuid' },
];
