/** Allocation bodies (pure): Ironic's allocation JSON schema and name rule. */
import Joi from 'joi';
import { InvalidInput } from '@anvil/sdk';
import { isUuidLike, jsonObject, LOGICAL_NAME_RE, uuid } from './common.ts';

export const ALLOCATION_CREATE_SCHEMA = Joi.object({
  candidate_nodes: Joi.array().items(Joi.string()).allow(null),
  extra: jsonObject().allow(null),
  name: Joi.string().allow(null),
  node: Joi.string().allow(null),
  owner: Joi.string().max(255).allow(null),
  resource_class: Joi.string().max(80).allow(null),
  traits: Joi.array().items(Joi.string()).allow(null),
  uuid: uuid().allow(null),
}).unknown(false);

export const ALLOCATION_PATCH_SCHEMA = Joi.object({
  name: Joi.string().allow(null),
  extra: jsonObject().allow(null),
}).unknown(false);

export function checkAllocationName(name: string, verb: 'create' | 'update' = 'create'): void {
  if (!LOGICAL_NAME_RE.test(name) || isUuidLike(name)) throw new InvalidInput(`Cannot ${verb} allocation with invalid name '${name}'`);
}
