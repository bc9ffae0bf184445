/** Port and portgroup request bodies (pure): joi schemas, newer-than-request fields (406), patchable roots. */
import Joi from 'joi';
import { InvalidParameterValue, NotAcceptable, pyRepr, type Json } from '@anvil/sdk';
import { boolLike, jsonObject, logicalName, mac, uuid } from './common.ts';

const LLC = Joi.object({
  port_id: Joi.string(),
  switch_id: Joi.string(),
  hostname: Joi.string(),
  switch_info: Joi.string(),
  network_type: Joi.string().valid('managed', 'unmanaged'),
  'vtep-logical-switch': Joi.string(),
  'vtep-physical-switch': Joi.string(),
}).unknown(false);

/** OVN VTEP keys of local_link_connection: accepted and shown only in 1.90–1.104 (Ironic 39 removed them at 1.105). */
export const OVN_VTEP_KEYS = ['vtep-logical-switch', 'vtep-physical-switch'];
export const ovnVtepAllowed = (minor: number) => minor >= 90 && minor < 105;

export const PORT_SCHEMA = Joi.object({
  address: mac().required(),
  node_uuid: uuid(),
  node_ident: Joi.string(),
  extra: jsonObject().allow(null),
  local_link_connection: LLC.allow(null),
  pxe_enabled: boolLike().allow(null),
  physical_network: Joi.string().min(1).max(64).allow(null),
  portgroup_uuid: Joi.string().max(255).allow(null), // a portgroup name too (Debian's CLI sends one; Ironic 39 wants a UUID)
  is_smartnic: boolLike().allow(null),
  uuid: uuid().allow(null),
  name: Joi.string().allow(null),
  description: Joi.string().max(255).allow(null),
  vendor: Joi.string().max(32).allow(null),
  category: Joi.string().max(80).allow(null),
  available_for_dynamic_portgroup: boolLike(),
}).unknown(false);

/** Ironic 39's port schema: exactly one of node_ident (1.94) and node_uuid (a UUID), with its jsonschema wording. */
export function checkPortNodeKeys(body: unknown): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
  const b = body as Record<string, Json>;
  const has = (k: string) => k in b;
  if (has('node_ident') && has('node_uuid'))
    throw new InvalidParameterValue(
      `Schema error for port: ${pyRepr(b)} is valid under each of {'required': ['node_uuid']}, {'required': ['node_ident']}`,
    );
  if (!has('node_ident') && !has('node_uuid') && has('address'))
    throw new InvalidParameterValue(
      `Schema error for port: ${pyRepr(b)} is not valid under any of the given schemas. Possible root cause: 'node_ident' is a required property`,
    );
}


/** Ironic 39's PATCH_ALLOWED_FIELDS (node_ident is listed but, as in Ironic, only names the node). */
export const PORT_PATCHABLE = [
  'address', 'extra', 'is_smartnic', 'local_link_connection', 'node_ident', 'node_uuid', 'physical_network', 'portgroup_uuid',
  'pxe_enabled', 'name', 'description', 'vendor', 'category', 'available_for_dynamic_portgroup',
];
export const PORT_BODY_SINCE: Record<string, number> = {
  local_link_connection: 19, pxe_enabled: 19, portgroup_uuid: 24, physical_network: 34, is_smartnic: 53, name: 88,
  description: 97, vendor: 100, category: 101, available_for_dynamic_portgroup: 111,
};

/** LLC must be {}, or port_id+switch_id, or port_id+hostname (smart NIC), or network_type unmanaged. */
export function checkLocalLinkConnection(llc: Record<string, Json> | null | undefined, isSmartnic: boolean, minor: number): void {
  if (!llc || Object.keys(llc).length === 0) return;
  if ('network_type' in llc && minor < 64) throw new NotAcceptable('Request not acceptable.');
  const vtep = OVN_VTEP_KEYS.filter((k) => k in llc);
  if (vtep.length && !ovnVtepAllowed(minor)) throw new NotAcceptable('Request not acceptable.');
  if (vtep.length === 1) {
    const [have, need] = vtep[0] === OVN_VTEP_KEYS[0] ? OVN_VTEP_KEYS : [...OVN_VTEP_KEYS].reverse();
    throw new InvalidParameterValue(
      `Schema error for local_link_connection: ${pyRepr(llc)} is not valid under any of the given schemas. Possible root cause: '${need}' is a dependency of '${have}'`,
    );
  }
  if (llc.network_type === 'unmanaged') return;
  if (vtep.length === 2 && llc.port_id) return;
  if (isSmartnic) {
    if (!llc.port_id || !llc.hostname)
      throw new InvalidParameterValue(`Invalid local_link_connection: a Smart NIC port needs 'port_id' and 'hostname'.`);
    return;
  }
  if (!llc.port_id || !llc.switch_id)
    throw new InvalidParameterValue(`Invalid local_link_connection: 'port_id' and 'switch_id' are required.`);
}

export const PORTGROUP_SCHEMA = Joi.object({
  address: mac().allow(null),
  node_uuid: Joi.string().required(),
  name: logicalName().max(255).allow(null),
  extra: jsonObject().allow(null),
  standalone_ports_supported: boolLike().allow(null),
  mode: Joi.string().max(255).allow(null),
  properties: jsonObject().allow(null),
  uuid: uuid().allow(null),
  physical_network: Joi.string().max(64).allow(null),
  category: Joi.string().max(80).allow(null),
}).unknown(false);

/** Ironic 39's portgroup PATCH_ALLOWED_FIELDS (physical_network 1.102, category 1.103: not version-checked on write). */
export const PORTGROUP_PATCHABLE = [
  'address', 'extra', 'mode', 'name', 'node_uuid', 'properties', 'standalone_ports_supported', 'physical_network', 'category',
];
export const PORTGROUP_BODY_SINCE: Record<string, number> = { mode: 26, properties: 26 };

export function rejectNewer(body: Record<string, Json>, since: Record<string, number>, minor: number): void {
  for (const [f, v] of Object.entries(since)) if (v > minor && body[f] !== undefined && body[f] !== null) throw new NotAcceptable('Request not acceptable.');
}
