/**
 * The policy table (pure): Ironic 21.4's default rule for each action Anvil enforces, and whether the deprecated
 * pre-RBAC rule OR-ed in when enforce_new_defaults is off is the admin one or the observer (read) one.
 */
import * as k from './checks.ts';
import type { Check } from './checks.ts';

export interface Rule {
  check: Check;
  /** The deprecated rule: 'admin' (rule:is_admin), 'observer' (is_admin or is_observer), 'none' (no deprecated rule). */
  legacy: 'admin' | 'observer' | 'none';
}

const r = (check: Check, legacy: Rule['legacy'] = 'admin'): Rule => ({ check, legacy });
const read = (check: Check): Rule => r(check, 'observer');

const NODE: Record<string, Rule> = {
  'baremetal:node:create': r(k.or(k.SYSTEM_ADMIN, k.SYSTEM_SERVICE)),
  'baremetal:node:create:self_owned_node': r(k.PROJECT_ADMIN_ANY),
  'baremetal:node:list': read(k.API_READER),
  'baremetal:node:list_all': read(k.SYSTEM_READER),
  'baremetal:node:get': read(k.SYSTEM_OR_PROJECT_READER),
  'baremetal:node:get:filter_threshold': read(k.SYSTEM_READER),
  'baremetal:node:get:last_error': read(k.SYSTEM_OR_OWNER_READER),
  'baremetal:node:get:reservation': read(k.SYSTEM_OR_OWNER_READER),
  'baremetal:node:get:driver_internal_info': read(k.SYSTEM_OR_OWNER_READER),
  'baremetal:node:get:driver_info': read(k.SYSTEM_OR_OWNER_READER),
  'baremetal:node:update:driver_info': r(k.SYSTEM_MEMBER_OR_OWNER_MEMBER),
  'baremetal:node:update:properties': r(k.SYSTEM_MEMBER_OR_OWNER_MEMBER),
  'baremetal:node:update:chassis_uuid': r(k.SYSTEM_ADMIN),
  'baremetal:node:update:instance_uuid': r(k.SYSTEM_MEMBER_OR_OWNER_MEMBER),
  'baremetal:node:update:lessee': r(k.SYSTEM_MEMBER_OR_OWNER_MEMBER),
  'baremetal:node:update:owner': r(k.SYSTEM_MEMBER),
  'baremetal:node:update:driver_interfaces': r(k.SYSTEM_MEMBER_OR_OWNER_ADMIN),
  'baremetal:node:update:network_data': r(k.SYSTEM_MEMBER_OR_OWNER_MEMBER),
  'baremetal:node:update:conductor_group': r(k.SYSTEM_MEMBER),
  'baremetal:node:update:name': r(k.SYSTEM_MEMBER_OR_OWNER_MEMBER),
  'baremetal:node:update:retired': r(k.SYSTEM_MEMBER_OR_OWNER_MEMBER),
  'baremetal:node:update:shard': r(k.SYSTEM_ADMIN),
  'baremetal:node:update:parent_node': r(k.SYSTEM_MEMBER), // Ironic 39 (1.83)
  'baremetal:node:update:disable_power_off': r(k.SYSTEM_ADMIN), // Ironic 39 (1.95)
  'baremetal:node:update': r(k.SYSTEM_OR_PROJECT_MEMBER),
  'baremetal:node:update_extra': r(k.SYSTEM_OR_PROJECT_MEMBER),
  'baremetal:node:update_instance_info': r(k.SYSTEM_OR_OWNER_MEMBER_AND_LESSEE_ADMIN),
  'baremetal:node:update_owner_provisioned': r(k.SYSTEM_ADMIN),
  'baremetal:node:delete': r(k.SYSTEM_ADMIN),
  'baremetal:node:delete:self_owned_node': r(k.PROJECT_ADMIN),
  'baremetal:node:validate': r(k.SYSTEM_OR_OWNER_MEMBER_AND_LESSEE_ADMIN),
  'baremetal:node:set_maintenance': r(k.SYSTEM_OR_OWNER_MEMBER_AND_LESSEE_ADMIN),
  'baremetal:node:clear_maintenance': r(k.SYSTEM_OR_OWNER_MEMBER_AND_LESSEE_ADMIN),
  'baremetal:node:get_boot_device': r(k.SYSTEM_MEMBER_OR_OWNER_ADMIN),
  'baremetal:node:set_boot_device': r(k.SYSTEM_MEMBER_OR_OWNER_ADMIN),
  'baremetal:node:get_indicator_state': read(k.SYSTEM_OR_PROJECT_READER),
  'baremetal:node:set_indicator_state': r(k.SYSTEM_MEMBER_OR_OWNER_MEMBER),
  'baremetal:node:inject_nmi': r(k.SYSTEM_MEMBER_OR_OWNER_ADMIN),
  'baremetal:node:get_states': read(k.SYSTEM_OR_PROJECT_READER),
  'baremetal:node:set_power_state': r(k.SYSTEM_OR_PROJECT_MEMBER),
  'baremetal:node:set_boot_mode': r(k.SYSTEM_OR_PROJECT_MEMBER),
  'baremetal:node:set_secure_boot': r(k.SYSTEM_OR_PROJECT_MEMBER),
  'baremetal:node:set_provision_state': r(k.SYSTEM_OR_OWNER_MEMBER_AND_LESSEE_ADMIN),
  'baremetal:node:set_raid_state': r(k.SYSTEM_MEMBER_OR_OWNER_MEMBER),
  'baremetal:node:get_console': r(k.SYSTEM_MEMBER_OR_OWNER_MEMBER),
  'baremetal:node:set_console_state': r(k.SYSTEM_MEMBER_OR_OWNER_MEMBER),
  'baremetal:node:vif:list': read(k.SYSTEM_OR_PROJECT_READER),
  'baremetal:node:vif:attach': r(k.SYSTEM_OR_OWNER_MEMBER_AND_LESSEE_ADMIN),
  'baremetal:node:vif:detach': r(k.SYSTEM_OR_OWNER_MEMBER_AND_LESSEE_ADMIN),
  'baremetal:node:traits:list': read(k.SYSTEM_OR_PROJECT_READER),
  'baremetal:node:traits:set': r(k.SYSTEM_MEMBER_OR_OWNER_ADMIN),
  'baremetal:node:traits:delete': r(k.SYSTEM_MEMBER_OR_OWNER_ADMIN),
  'baremetal:node:bios:get': read(k.SYSTEM_OR_PROJECT_READER),
  'baremetal:node:vendor_passthru': r(k.SYSTEM_ADMIN),
  'baremetal:node:history:get': read(k.SYSTEM_OR_OWNER_READER),
  'baremetal:node:inventory:get': read(k.SYSTEM_OR_OWNER_READER),
  'baremetal:node:disable_cleaning': r(k.SYSTEM_ADMIN),
  // Ironic 39: node firmware (1.86) and virtual media (1.89/1.93)
  'baremetal:node:firmware:get': r(k.SYSTEM_OR_PROJECT_READER, 'none'),
  'baremetal:node:vmedia:attach': r(k.SYSTEM_OR_PROJECT_MEMBER, 'none'),
  'baremetal:node:vmedia:detach': r(k.SYSTEM_OR_PROJECT_MEMBER, 'none'),
  'baremetal:node:vmedia:get': r(k.SYSTEM_OR_PROJECT_READER, 'none'),
};

/** Ironic 39's runbook rules (1.92); new rules, so no deprecated rule is OR-ed in. */
const RUNBOOK: Record<string, Rule> = {
  'baremetal:runbook:get': r(k.RUNBOOK_READER, 'none'),
  'baremetal:runbook:list': r(k.API_READER, 'none'),
  'baremetal:runbook:list_all': r(k.SYSTEM_READER, 'none'),
  'baremetal:runbook:create': r(k.RUNBOOK_CREATOR, 'none'),
  'baremetal:runbook:delete': r(k.RUNBOOK_ADMIN, 'none'),
  'baremetal:runbook:update': r(k.RUNBOOK_ADMIN, 'none'),
  'baremetal:runbook:update:public': r(k.SYSTEM_MEMBER, 'none'),
  'baremetal:runbook:update:owner': r(k.SYSTEM_MEMBER, 'none'),
  'baremetal:runbook:use': r(k.RUNBOOK_ADMIN, 'none'),
};

/** System-scoped resources: read by system readers, changed by members, created/deleted by admins as in Ironic. */
function systemResource(name: string, create: k.Check, update: k.Check, del: k.Check): Record<string, Rule> {
  return {
    [`baremetal:${name}:get`]: read(k.SYSTEM_READER),
    [`baremetal:${name}:list`]: read(k.SYSTEM_READER),
    [`baremetal:${name}:list_all`]: read(k.SYSTEM_READER),
    [`baremetal:${name}:create`]: r(create),
    [`baremetal:${name}:update`]: r(update),
    [`baremetal:${name}:delete`]: r(del),
  };
}

export const RULES: Readonly<Record<string, Rule>> = {
  ...NODE,
  ...RUNBOOK,
  ...systemResource('port', k.SYSTEM_ADMIN, k.SYSTEM_MEMBER, k.SYSTEM_ADMIN),
  ...systemResource('portgroup', k.SYSTEM_ADMIN, k.SYSTEM_MEMBER, k.SYSTEM_ADMIN),
  ...systemResource('chassis', k.SYSTEM_ADMIN, k.SYSTEM_MEMBER, k.SYSTEM_ADMIN),
  ...systemResource('deploy_template', k.SYSTEM_ADMIN, k.SYSTEM_ADMIN, k.SYSTEM_ADMIN),
  ...systemResource('volume', k.SYSTEM_MEMBER, k.SYSTEM_MEMBER, k.SYSTEM_MEMBER),
  // Ironic's TARGET_PROPERTIES_READER: a system reader or any admin role; deprecated rule: rule:is_admin
  'baremetal:volume:view_target_properties': r(k.or(k.SYSTEM_READER, k.ANY_ADMIN)),
  'baremetal:driver:get': read(k.SYSTEM_READER),
  'baremetal:driver:get_properties': read(k.SYSTEM_READER),
  'baremetal:driver:get_raid_logical_disk_properties': read(k.SYSTEM_READER),
  'baremetal:driver:vendor_passthru': r(k.SYSTEM_ADMIN),
  'baremetal:conductor:get': read(k.SYSTEM_READER),
  'baremetal:shards:get': read(k.SYSTEM_READER),
  'baremetal:events:post': r(k.SYSTEM_ADMIN),
  'baremetal:allocation:get': read(k.ALLOCATION_READER),
  'baremetal:allocation:list': read(k.API_READER),
  'baremetal:allocation:list_all': read(k.SYSTEM_READER),
  'baremetal:allocation:create': r(k.ALLOCATION_CREATOR),
  'baremetal:allocation:create_restricted': r(k.SYSTEM_MEMBER),
  'baremetal:allocation:update': r(k.ALLOCATION_MEMBER),
  'baremetal:allocation:delete': r(k.ALLOCATION_MEMBER),
  'baremetal:driver:ipa_lookup': r(k.ALWAYS, 'none'),
  'baremetal:node:ipa_heartbeat': r(k.ALWAYS, 'none'),
  'baremetal:node:ipa_continue_inspection': r(k.ALWAYS, 'none'),
  'baremetal:inspection_rule:get': read(k.SYSTEM_READER),
  'baremetal:inspection_rule:create': r(k.SYSTEM_ADMIN),
  'baremetal:inspection_rule:update': r(k.SYSTEM_ADMIN),
  'baremetal:inspection_rule:delete': r(k.SYSTEM_ADMIN),
};
