/** Port and portgroup request bodies (pure): joi schemas, newer-than-request fields (406), patchable roots. */
import Joi from 'joi';
import { InvalidParameterValue, NotAcceptable, type Json } from '@anvil/sdk';
import { boolLike, jsonObject, logicalName, mac, uuid } from './common.ts';

const LLC = Joi.object({
  port_id: Joi.string(),
  switch_id: Joi.string(),
  hostname: Joi.string(),
  switch_info: Joi.string(),
  network_type: Joi.string().valid('managed', 'unmanaged'),
}).unknown(false);

export const PORT_SCHEMA = Joi.object({
  address: mac().required(),
  node_uuid: Joi.string().required(),
  extra: jsonObject().allow(null),
  local_link_connection: LLC.allow(null),
  pxe_enabled: boolLike().allow(null),
  physical_network: Joi.string().min(1).max(64).allow(null),
  portgroup_uuid: Joi.string().max(255).allow(null),
  is_smartnic: boolLike().allow(null),
  uuid: uuid().allow(null),
}).unknown(false);

export const PORT_PATCHABLE = [
  'address', 'extra', 'is_smartnic', 'local_link_connection', 'node_uuid', 'physical_network', 'portgroup_uuid', 'pxe_enabled',
];
export const PORT_BODY_SINCE: Record<string, number> = {
  local_link_connection: 19, pxe_enabled: 19, portgroup_uuid: 24, physical_network: 34, is_smartnic: 53,
};

/** LLC must be {}, or port_id+switch_id, or port_id+hostname (smart NIC), or network_type unmanaged. */
export function checkLocalLinkConnection(llc: Record<string, Json> | null | undefined, isSmartnic: boolean, minor: number): void {
  if (!llc || Object.keys(llc).length === 0) return;
  if ('network_type' in llc && minor < 64) throw new NotAcceptable('Request not acceptable.');
  if (llc.network_type === 'unmanaged') return;
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
}).unknown(false);

export const PORTGROUP_PATCHABLE = ['address', 'extra', 'mode', 'name', 'node_uuid', 'properties', 'standalone_ports_supported'];
export const PORTGROUP_BODY_SINCE: Record<string, number> = { mode: 26, properties: 26 };

export function rejectNewer(body: Record<string, Json>, since: Record<string, number>, minor: number): void {
  for (const [f, v] of Object.entries(since)) if (v > minor && body[f] !== undefined && body[f] !== null) throw new NotAcceptable('Request not acceptable.');
}
