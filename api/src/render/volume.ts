/** Volume connectors and targets as Ironic shows them (pure). Target properties are key-masked (auth secrets). */
import type { VolumeConnectorRecord, VolumeTargetRecord } from '@anvil/sdk';
import { linkPair } from '../links.ts';
import { checkFieldsAllowed, checkFieldsKnown, type FieldTable, pick } from './fields.ts';

export const CONNECTOR_FIELDS: FieldTable = {
  connector_id: 32, created_at: 32, extra: 32, links: 32, node_uuid: 32, type: 32, updated_at: 32, uuid: 32,
};
export const TARGET_FIELDS: FieldTable = {
  boot_index: 32, created_at: 32, extra: 32, links: 32, node_uuid: 32, properties: 32, updated_at: 32, uuid: 32, volume_id: 32, volume_type: 32,
};
export const CONNECTOR_DEFAULT_LIST_FIELDS = ['uuid', 'node_uuid', 'type', 'connector_id'];
export const TARGET_DEFAULT_LIST_FIELDS = ['uuid', 'node_uuid', 'volume_type', 'boot_index', 'volume_id'];

export function checkVolumeFields(fields: string[] | undefined, minor: number, table: FieldTable): void {
  checkFieldsAllowed(fields, minor, table);
  checkFieldsKnown(fields, Object.keys(table));
}

export function renderConnector(c: VolumeConnectorRecord, nodeUuid: string | null, base: string, fields?: string[]) {
  return pick(
    {
      connector_id: c.connector_id,
      created_at: c.created_at,
      extra: c.extra ?? {},
      links: linkPair(base, 'volume/connectors', c.uuid),
      node_uuid: nodeUuid,
      type: c.type,
      updated_at: c.updated_at,
      uuid: c.uuid,
    },
    fields,
  );
}

/** Ironic's placeholder when the caller may not see target properties (only enforced with keystone auth). */
export const REDACTED = '** Value redacted: Requires permission baremetal:volume:view_target_properties access. Permission denied. **';

export function renderTarget(t: VolumeTargetRecord, nodeUuid: string | null, base: string, fields?: string[], redact = false) {
  return pick(
    {
      boot_index: t.boot_index,
      created_at: t.created_at,
      extra: t.extra ?? {},
      links: linkPair(base, 'volume/targets', t.uuid),
      node_uuid: nodeUuid,
      properties: redact ? { redacted_contents: REDACTED } : (t.properties ?? {}),
      updated_at: t.updated_at,
      uuid: t.uuid,
      volume_id: t.volume_id,
      volume_type: t.volume_type,
    },
    fields,
  );
}
