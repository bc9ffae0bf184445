/**
 * Node request bodies (pure): the create schema (Ironic's node_schema: additionalProperties false), name rules,
 * fields newer than the request (406), and the patchable roots.
 */
import Joi from 'joi';
import { InvalidInput, NotAcceptable, type Json } from '@anvil/sdk';
import { NODE_FIELDS } from '../render/node.ts';
import { boolLike, HOSTNAME_RE, isUuidLike, jsonObject, LOGICAL_NAME_RE, uuid, validateBody } from './common.ts';

const str = (max = 255) => Joi.string().max(max).allow(null);
const iface = () => Joi.string().max(255).allow(null);

export const NODE_CREATE_SCHEMA = Joi.object({
  automated_clean: boolLike().allow(null),
  bios_interface: iface(),
  boot_interface: iface(),
  boot_mode: str(),
  chassis_uuid: uuid().allow(null),
  conductor_group: Joi.string().max(255).allow(null, '').pattern(/^[a-zA-Z0-9_.-]*$/),
  console_enabled: boolLike().allow(null),
  console_interface: iface(),
  deploy_interface: iface(),
  description: str(4096),
  disable_power_off: boolLike().allow(null),
  driver: Joi.string().max(255).required(),
  driver_info: jsonObject().allow(null),
  extra: jsonObject().allow(null),
  firmware_interface: iface(),
  inspect_interface: iface(),
  instance_info: jsonObject().allow(null),
  instance_name: Joi.string().min(1).max(255).allow(null),
  instance_uuid: uuid().allow(null),
  lessee: str(),
  management_interface: iface(),
  maintenance: boolLike().allow(null),
  name: Joi.string().allow(null), // length (255) checked with the name rules, as Ironic's is_valid_logical_name
  network_data: jsonObject().allow(null),
  network_interface: iface(),
  owner: str(),
  parent_node: str(36),
  power_interface: iface(),
  properties: jsonObject().allow(null),
  raid_interface: iface(),
  rescue_interface: iface(),
  resource_class: str(80),
  retired: boolLike().allow(null),
  retired_reason: str(),
  secure_boot: boolLike().allow(null),
  shard: str(),
  storage_interface: iface(),
  uuid: uuid().allow(null),
  vendor_interface: iface(),
}).unknown(false);

export const NODE_PATCH_SCHEMA = NODE_CREATE_SCHEMA.keys({
  protected: boolLike().allow(null),
  protected_reason: str(),
});

/** Ironic 39's PATCH_ALLOWED_FIELDS order (named in the "Cannot patch" error). */
export const NODE_PATCHABLE = [
  'automated_clean', 'bios_interface', 'boot_interface', 'chassis_uuid', 'conductor_group', 'console_interface',
  'deploy_interface', 'description', 'disable_power_off', 'driver', 'driver_info', 'extra', 'inspect_interface',
  'instance_info', 'instance_name', 'instance_uuid', 'lessee', 'maintenance', 'management_interface', 'name',
  'network_data', 'network_interface', 'owner', 'power_interface', 'properties', 'protected', 'protected_reason',
  'raid_interface', 'rescue_interface', 'resource_class', 'retired', 'retired_reason', 'shard', 'storage_interface',
  'vendor_interface', 'parent_node', 'firmware_interface',
];

export const RESERVED_NODE_NAMES = ['maintenance', 'management', 'states', 'vendor_passthru', 'detail', 'validate'];

export type NodeBody = Record<string, Json>;

export function validateNodeCreate(body: unknown): NodeBody {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return validateBody<NodeBody>(NODE_CREATE_SCHEMA, body ?? undefined, 'node');
  return validateBody<NodeBody>(NODE_CREATE_SCHEMA, body, 'node');
}

/** Fields newer than the request with a non-empty value → 406 (name: null is tolerated, as in Ironic). */
export function rejectNewerFields(body: NodeBody, minor: number): void {
  for (const [f, since] of Object.entries(NODE_FIELDS)) {
    if (since <= minor || !(f in body)) continue;
    const v = body[f];
    const empty = f === 'conductor_group' ? v === '' || v === null : v === null;
    if (!empty) throw new NotAcceptable('Request not acceptable.');
  }
}

/** Ironic's node name rules: < 1.5 not acceptable; hostname-safe before 1.10, RFC 3986 unreserved after; not UUID-like; not reserved. */
export function checkNodeName(name: string, minor: number, errorPrefix: string): void {
  if (minor < 5) throw new NotAcceptable('Request not acceptable.');
  const valid = (minor < 10 ? HOSTNAME_RE.test(name) : LOGICAL_NAME_RE.test(name)) && !isUuidLike(name);
  if (!valid) throw new InvalidInput(`${errorPrefix} '${name}'`);
  if (RESERVED_NODE_NAMES.includes(name))
    throw new InvalidInput(
      `The word "${name}" is reserved and can not be used as a node name. Reserved words are: ${RESERVED_NODE_NAMES.join(', ')}.`,
    );
}
