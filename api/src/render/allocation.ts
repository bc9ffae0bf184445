/** An allocation as Ironic shows it (pure): fields by microversion (owner 1.60), links. */
import type { AllocationRecord } from '@anvil/sdk';
import { linkPair } from '../links.ts';
import { checkFieldsAllowed, checkFieldsKnown, type FieldTable, pick } from './fields.ts';

export const ALLOCATION_FIELDS: FieldTable = {
  candidate_nodes: 52,
  created_at: 52,
  extra: 52,
  last_error: 52,
  links: 52,
  name: 52,
  node_uuid: 52,
  owner: 60,
  resource_class: 52,
  state: 52,
  traits: 52,
  updated_at: 52,
  uuid: 52,
};
/** JSON columns cannot be sorted on. */
export const ALLOCATION_INVALID_SORT_KEYS = ['extra', 'traits', 'candidate_nodes'];

export function checkAllocationFields(fields: string[] | undefined, minor: number): void {
  checkFieldsAllowed(fields, minor, ALLOCATION_FIELDS);
  checkFieldsKnown(fields, Object.keys(ALLOCATION_FIELDS));
}

export function renderAllocation(
  a: AllocationRecord,
  nodeUuid: string | null,
  base: string,
  minor: number,
  fields?: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    candidate_nodes: a.candidate_nodes ?? [],
    created_at: a.created_at,
    extra: a.extra ?? {},
    last_error: a.last_error,
    name: a.name,
    node_uuid: nodeUuid,
    resource_class: a.resource_class,
    state: a.state,
    traits: a.traits ?? [],
    updated_at: a.updated_at,
    uuid: a.uuid,
  };
  if (minor >= 60) out.owner = a.owner;
  out.links = linkPair(base, 'allocations', a.uuid);
  return pick(out, fields);
}
