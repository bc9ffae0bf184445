/** A port as Ironic shows it (pure). node_uuid / portgroup_uuid are resolved by the caller. */
import type { PortRecord } from '@anvil/sdk';
import { linkPair } from '../links.ts';
import { OVN_VTEP_KEYS, ovnVtepAllowed } from '../validate/port.ts';
import { checkFieldsAllowed, checkFieldsKnown, type FieldTable, pick } from './fields.ts';

export const PORT_FIELDS: FieldTable = {
  uuid: 1, created_at: 1, updated_at: 1, address: 1, extra: 1, internal_info: 18, is_smartnic: 53,
  local_link_connection: 19, physical_network: 34, pxe_enabled: 19, node_uuid: 1, name: 88, description: 97, vendor: 100,
  category: 101, available_for_dynamic_portgroup: 111, links: 1, portgroup_uuid: 24,
};
export const PORT_DEFAULT_LIST_FIELDS = ['uuid', 'address'];

export function checkPortFields(fields: string[] | undefined, minor: number): void {
  checkFieldsAllowed(fields, minor, PORT_FIELDS);
  checkFieldsKnown(fields, Object.keys(PORT_FIELDS));
}

export function renderPort(
  port: PortRecord,
  refs: { nodeUuid: string | null; portgroupUuid: string | null },
  minor: number,
  base: string,
  fields?: string[],
): Record<string, unknown> {
  const all: Record<string, unknown> = {
    uuid: port.uuid,
    created_at: port.created_at,
    updated_at: port.updated_at,
    address: port.address,
    extra: port.extra ?? {},
    internal_info: port.internal_info ?? {},
    is_smartnic: port.is_smartnic ?? false,
    // Ironic 39: a connection with OVN VTEP keys shows as {} outside 1.90–1.104
    local_link_connection: OVN_VTEP_KEYS.some((k) => k in (port.local_link_connection ?? {})) && !ovnVtepAllowed(minor) ? {} : (port.local_link_connection ?? {}),
    physical_network: port.physical_network ?? null,
    pxe_enabled: port.pxe_enabled,
    node_uuid: refs.nodeUuid,
    name: port.name ?? null,
    description: port.description ?? null,
    vendor: port.vendor ?? null,
    category: port.category ?? null,
    available_for_dynamic_portgroup: port.available_for_dynamic_portgroup ?? true,
    links: linkPair(base, 'ports', port.uuid),
    portgroup_uuid: refs.portgroupUuid,
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(all)) if ((PORT_FIELDS[k] ?? 1) <= minor) out[k] = v;
  return pick(out, fields);
}
