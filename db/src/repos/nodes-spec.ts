/** The nodes table: columns, JSON/boolean/date columns, and the list filters of NodeRepo. */
import type { TableSpec } from '../codec.ts';
import { boolEq, contains, eq, type FilterMap } from '../list.ts';
import { toDbDate } from '../codec.ts';

const INTERFACES = ['bios', 'boot', 'console', 'deploy', 'firmware', 'inspect', 'management', 'network', 'power', 'raid', 'rescue', 'storage', 'vendor'].map(
  (i) => `${i}_interface`,
);

export const NODE_SPEC: TableSpec = {
  table: 'nodes',
  label: 'Node',
  hidden: ['reserved_at'], // read by NodeRepo.lockInfo only
  columns: [
    'uuid', 'name', 'driver', 'driver_info', 'driver_internal_info', 'properties', 'instance_info', 'instance_uuid', 'extra',
    'chassis_id', 'power_state', 'target_power_state', 'provision_state', 'target_provision_state', 'provision_updated_at',
    'maintenance', 'maintenance_reason', 'last_error', 'reservation', 'console_enabled', 'inspection_started_at',
    'inspection_finished_at', 'clean_step', 'deploy_step', 'raid_config', 'target_raid_config', 'resource_class',
    ...INTERFACES, 'fault', 'conductor_group', 'conductor_affinity', 'automated_clean', 'protected', 'protected_reason',
    'owner', 'lessee', 'description', 'allocation_id', 'retired', 'retired_reason', 'network_data', 'boot_mode',
    'secure_boot', 'shard', 'parent_node', 'disable_power_off', 'instance_name', 'health', 'service_step', 'created_at',
    'updated_at',
  ],
  json: {
    driver_info: 'object', driver_internal_info: 'object', properties: 'object', instance_info: 'object', extra: 'object',
    clean_step: 'object', deploy_step: 'object', service_step: 'object', raid_config: 'object', target_raid_config: 'object', network_data: 'object',
  },
  bools: ['maintenance', 'console_enabled', 'automated_clean', 'protected', 'retired', 'secure_boot', 'disable_power_off'],
  dates: ['provision_updated_at', 'inspection_started_at', 'inspection_finished_at', 'created_at', 'updated_at'],
  derived: ['chassis_uuid', 'traits'],
};

export const NODE_DEFAULTS = () => ({
  provision_state: 'enroll',
  maintenance: false,
  console_enabled: false,
  protected: false,
  retired: false,
  conductor_group: '',
  disable_power_off: false,
});

const n = (c: string) => `nodes.${c}`;

export const NODE_FILTERS: FilterMap = {
  provision_state: eq(n('provision_state')),
  maintenance: boolEq(n('maintenance')),
  associated: (qb, v) => (v ? qb.whereNotNull(n('instance_uuid')) : qb.whereNull(n('instance_uuid'))),
  driver: eq(n('driver')),
  resource_class: eq(n('resource_class')),
  instance_uuid: eq(n('instance_uuid')),
  conductor_group: eq(n('conductor_group')),
  fault: eq(n('fault')),
  owner: eq(n('owner')),
  lessee: eq(n('lessee')),
  project: (qb, v) => qb.where((w) => w.where(n('owner'), v).orWhere(n('lessee'), v)),
  chassis_id: eq(n('chassis_id')),
  retired: boolEq(n('retired')),
  description_contains: contains(n('description')),
  shard: eq(n('shard')),
  sharded: (qb, v) => (v ? qb.whereNotNull(n('shard')) : qb.whereNull(n('shard'))),
  reserved_by: eq(n('reservation')),
  reserved: (qb, v) => (v ? qb.whereNotNull(n('reservation')) : qb.whereNull(n('reservation'))),
  uuid_in: (qb, v: string[]) => qb.whereIn(n('uuid'), v),
  provisioned_before: (qb, v) => qb.where(n('provision_updated_at'), '<', toDbDate(v)),
  console_enabled: boolEq(n('console_enabled')),
  power_state: eq(n('power_state')),
  allocation_id: eq(n('allocation_id')),
  protected: boolEq(n('protected')),
  parent_node: eq(n('parent_node')),
  instance_name: eq(n('instance_name')),
  /** include_children=false (1.83): only nodes without a parent. */
  is_child: (qb, v) => (v ? qb.whereNotNull(n('parent_node')) : qb.whereNull(n('parent_node'))),
};
