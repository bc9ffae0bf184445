/** A chassis as Ironic shows it (pure). Quirk kept: `nodes` is a list holding the link-pair list. */
import type { ChassisRecord } from '@anvil/sdk';
import { linkPair } from '../links.ts';
import { checkFieldsAllowed, checkFieldsKnown, type FieldTable, pick } from './fields.ts';

export const CHASSIS_FIELDS: FieldTable = { uuid: 1, created_at: 1, updated_at: 1, description: 1, extra: 1, links: 1, nodes: 1 };
export const CHASSIS_DEFAULT_LIST_FIELDS = ['uuid', 'description'];

export function checkChassisFields(fields: string[] | undefined, minor: number): void {
  checkFieldsAllowed(fields, minor, CHASSIS_FIELDS);
  checkFieldsKnown(fields, Object.keys(CHASSIS_FIELDS));
}

export function renderChassis(ch: ChassisRecord, base: string, fields?: string[]): Record<string, unknown> {
  return pick(
    {
      uuid: ch.uuid,
      created_at: ch.created_at,
      updated_at: ch.updated_at,
      description: ch.description,
      extra: ch.extra ?? {},
      links: linkPair(base, 'chassis', ch.uuid),
      nodes: [linkPair(base, 'chassis', `${ch.uuid}/nodes`)],
    },
    fields,
  );
}
