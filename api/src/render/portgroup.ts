/** A portgroup as Ironic shows it (pure), 1.23+. node_uuid is resolved by the caller. */
import type { PortgroupRecord } from '@anvil/sdk';
import { linkPair } from '../links.ts';
import { checkFieldsAllowed, checkFieldsKnown, type FieldTable, pick } from './fields.ts';

export const PORTGROUP_FIELDS: FieldTable = {
  uuid: 23, created_at: 23, updated_at: 23, address: 23, extra: 23, internal_info: 23, mode: 26, name: 23,
  properties: 26, standalone_ports_supported: 23, node_uuid: 23, physical_network: 102, category: 103,
  dynamic_portgroup: 111, links: 23, ports: 23,
};
/** Ironic 39 checks only these in `fields=` (physical_network/category below their version are silently hidden). */
const FIELDS_CHECKED: FieldTable = { ...PORTGROUP_FIELDS, physical_network: 23, category: 23 };
export const PORTGROUP_DEFAULT_LIST_FIELDS = ['uuid', 'address', 'name'];

export function checkPortgroupFields(fields: string[] | undefined, minor: number): void {
  checkFieldsAllowed(fields, minor, FIELDS_CHECKED);
  checkFieldsKnown(fields, Object.keys(PORTGROUP_FIELDS));
}

export function renderPortgroup(
  pg: PortgroupRecord,
  nodeUuid: string | null,
  minor: number,
  base: string,
  fields?: string[],
): Record<string, unknown> {
  const all: Record<string, unknown> = {
    uuid: pg.uuid,
    created_at: pg.created_at,
    updated_at: pg.updated_at,
    address: pg.address,
    extra: pg.extra ?? {},
    internal_info: pg.internal_info ?? {},
    mode: pg.mode,
    name: pg.name,
    properties: pg.properties ?? {},
    standalone_ports_supported: pg.standalone_ports_supported,
    node_uuid: nodeUuid,
    physical_network: pg.physical_network ?? null,
    category: pg.category ?? null,
    dynamic_portgroup: pg.dynamic_portgroup ?? false,
    links: linkPair(base, 'portgroups', pg.uuid),
    ports: linkPair(base, 'portgroups', `${pg.uuid}/ports`),
  };
  // Ironic shows mode and properties at every version (only `fields=` and writes are gated at 1.26); the 1.102+
  // fields are hidden below their version
  for (const f of ['physical_network', 'category', 'dynamic_portgroup']) if (PORTGROUP_FIELDS[f] > minor) delete all[f];
  return pick(all, fields);
}
