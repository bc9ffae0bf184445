/**
 * Every rule in the policy table, evaluated for a cast of callers (system and project scoped, owner and lessee,
 * each role) with enforce_new_defaults on: the expected callers are written out by hand from Ironic 21.4's
 * defaults, so each rule is checked both where it allows and where it denies.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authorize, check } from './authorize.ts';
import type { Creds, PolicyTarget } from './creds.ts';
import { NOAUTH_CREDS } from './creds.ts';
import { RULES } from './rules.ts';

const ADMIN = ['admin', 'member', 'reader'];
const MANAGER = ['manager', 'member', 'reader'];
const MEMBER = ['member', 'reader'];
const sys = (roles: string[]): Creds => ({ roles, system_scope: 'all' });
const prj = (project_id: string, roles: string[], project_name = project_id): Creds => ({ roles, project_id, project_name });

const CAST: Record<string, Creds> = {
  sa: sys(ADMIN),
  sm: sys(MEMBER),
  sr: sys(['reader']),
  ss: sys(['service']),
  svc: prj('svc-project', ['service'], 'service'),
  oa: prj('P1', ADMIN),
  omgr: prj('P1', MANAGER),
  om: prj('P1', MEMBER),
  or: prj('P1', ['reader']),
  la: prj('P2', ADMIN),
  lmgr: prj('P2', MANAGER),
  lm: prj('P2', MEMBER),
  lr: prj('P2', ['reader']),
  xa: prj('P3', ADMIN),
  xm: prj('P3', MEMBER),
  none: sys([]),
};
const TARGET: PolicyTarget = { node_owner: 'P1', node_lessee: 'P2', allocation_owner: 'P1', runbook_owner: 'P1' };

const SYS_READERS = ['sa', 'sm', 'sr', 'ss', 'svc'];
const OWNER_READERS = ['oa', 'omgr', 'om', 'or'];
const LESSEE_READERS = ['la', 'lmgr', 'lm', 'lr'];
const G = {
  SYSTEM_ADMIN: ['sa'],
  NODE_CREATE: ['sa', 'ss'],
  ADMIN_ANY: ['sa', 'ss', 'svc', 'oa', 'la', 'xa'],
  API_READER: Object.keys(CAST).filter((k) => k !== 'none'),
  SYSTEM_READER: SYS_READERS,
  SYSTEM_OR_PROJECT_READER: [...SYS_READERS, ...OWNER_READERS, ...LESSEE_READERS],
  SYSTEM_OR_OWNER_READER: [...SYS_READERS, ...OWNER_READERS],
  SYSTEM_MEMBER: ['sa', 'sm', 'svc'],
  SYSTEM_MEMBER_OR_OWNER_MEMBER: ['sa', 'sm', 'ss', 'svc', 'oa', 'omgr', 'om'],
  SYSTEM_MEMBER_OR_OWNER_ADMIN: ['sa', 'sm', 'ss', 'svc', 'oa', 'omgr'],
  SYSTEM_OR_PROJECT_MEMBER: ['sa', 'sm', 'ss', 'svc', 'oa', 'omgr', 'om', 'la', 'lmgr', 'lm'],
  OWNER_MEMBER_LESSEE_ADMIN: ['sa', 'sm', 'ss', 'svc', 'oa', 'omgr', 'om', 'la', 'lmgr'],
  PROJECT_ADMIN: ['oa'],
  ALLOCATION_MEMBER: ['sa', 'sm', 'svc', 'oa', 'omgr', 'om'],
  ALLOCATION_READER: [...SYS_READERS, ...OWNER_READERS],
  ALLOCATION_CREATOR: ['sa', 'sm', 'svc', 'oa', 'omgr', 'om', 'la', 'lmgr', 'lm', 'xa', 'xm'],
  EVERYONE: Object.keys(CAST),
  // Ironic 39's runbook checks: the owner's managers (not its admins, who lack the manager role here) and any service
  RUNBOOK_ADMIN: ['sa', 'sm', 'ss', 'svc', 'omgr'],
  RUNBOOK_READER: [...SYS_READERS, ...OWNER_READERS],
  RUNBOOK_CREATOR: ['sa', 'sm', 'ss', 'svc', 'omgr', 'lmgr'],
};

const EXPECT: Record<string, string[]> = {
  'baremetal:node:create': G.NODE_CREATE,
  'baremetal:node:create:self_owned_node': G.ADMIN_ANY,
  'baremetal:node:list': G.API_READER,
  'baremetal:node:list_all': G.SYSTEM_READER,
  'baremetal:node:get': G.SYSTEM_OR_PROJECT_READER,
  'baremetal:node:get:filter_threshold': G.SYSTEM_READER,
  'baremetal:node:get:last_error': G.SYSTEM_OR_OWNER_READER,
  'baremetal:node:get:reservation': G.SYSTEM_OR_OWNER_READER,
  'baremetal:node:get:driver_internal_info': G.SYSTEM_OR_OWNER_READER,
  'baremetal:node:get:driver_info': G.SYSTEM_OR_OWNER_READER,
  'baremetal:node:update:driver_info': G.SYSTEM_MEMBER_OR_OWNER_MEMBER,
  'baremetal:node:update:properties': G.SYSTEM_MEMBER_OR_OWNER_MEMBER,
  'baremetal:node:update:chassis_uuid': G.SYSTEM_ADMIN,
  'baremetal:node:update:instance_uuid': G.SYSTEM_MEMBER_OR_OWNER_MEMBER,
  'baremetal:node:update:lessee': G.SYSTEM_MEMBER_OR_OWNER_MEMBER,
  'baremetal:node:update:owner': G.SYSTEM_MEMBER,
  'baremetal:node:update:driver_interfaces': G.SYSTEM_MEMBER_OR_OWNER_ADMIN,
  'baremetal:node:update:network_data': G.SYSTEM_MEMBER_OR_OWNER_MEMBER,
  'baremetal:node:update:conductor_group': G.SYSTEM_MEMBER,
  'baremetal:node:update:name': G.SYSTEM_MEMBER_OR_OWNER_MEMBER,
  'baremetal:node:update:retired': G.SYSTEM_MEMBER_OR_OWNER_MEMBER,
  'baremetal:node:update:shard': G.SYSTEM_ADMIN,
  'baremetal:node:update:parent_node': G.SYSTEM_MEMBER,
  'baremetal:node:update:disable_power_off': G.SYSTEM_ADMIN,
  'baremetal:node:update': G.SYSTEM_OR_PROJECT_MEMBER,
  'baremetal:node:update_extra': G.SYSTEM_OR_PROJECT_MEMBER,
  'baremetal:node:update_instance_info': G.OWNER_MEMBER_LESSEE_ADMIN,
  'baremetal:node:update_owner_provisioned': G.SYSTEM_ADMIN,
  'baremetal:node:delete': G.SYSTEM_ADMIN,
  'baremetal:node:delete:self_owned_node': G.PROJECT_ADMIN,
  'baremetal:node:validate': G.OWNER_MEMBER_LESSEE_ADMIN,
  'baremetal:node:set_maintenance': G.OWNER_MEMBER_LESSEE_ADMIN,
  'baremetal:node:clear_maintenance': G.OWNER_MEMBER_LESSEE_ADMIN,
  'baremetal:node:get_boot_device': G.SYSTEM_MEMBER_OR_OWNER_ADMIN,
  'baremetal:node:set_boot_device': G.SYSTEM_MEMBER_OR_OWNER_ADMIN,
  'baremetal:node:get_indicator_state': G.SYSTEM_OR_PROJECT_READER,
  'baremetal:node:set_indicator_state': G.SYSTEM_MEMBER_OR_OWNER_MEMBER,
  'baremetal:node:inject_nmi': G.SYSTEM_MEMBER_OR_OWNER_ADMIN,
  'baremetal:node:get_states': G.SYSTEM_OR_PROJECT_READER,
  'baremetal:node:set_power_state': G.SYSTEM_OR_PROJECT_MEMBER,
  'baremetal:node:set_boot_mode': G.SYSTEM_OR_PROJECT_MEMBER,
  'baremetal:node:set_secure_boot': G.SYSTEM_OR_PROJECT_MEMBER,
  'baremetal:node:set_provision_state': G.OWNER_MEMBER_LESSEE_ADMIN,
  'baremetal:node:set_raid_state': G.SYSTEM_MEMBER_OR_OWNER_MEMBER,
  'baremetal:node:get_console': G.SYSTEM_MEMBER_OR_OWNER_MEMBER,
  'baremetal:node:set_console_state': G.SYSTEM_MEMBER_OR_OWNER_MEMBER,
  'baremetal:node:vif:list': G.SYSTEM_OR_PROJECT_READER,
  'baremetal:node:vif:attach': G.OWNER_MEMBER_LESSEE_ADMIN,
  'baremetal:node:vif:detach': G.OWNER_MEMBER_LESSEE_ADMIN,
  'baremetal:node:traits:list': G.SYSTEM_OR_PROJECT_READER,
  'baremetal:node:traits:set': G.SYSTEM_MEMBER_OR_OWNER_ADMIN,
  'baremetal:node:traits:delete': G.SYSTEM_MEMBER_OR_OWNER_ADMIN,
  'baremetal:node:bios:get': G.SYSTEM_OR_PROJECT_READER,
  'baremetal:node:vendor_passthru': G.SYSTEM_ADMIN,
  'baremetal:node:history:get': G.SYSTEM_OR_OWNER_READER,
  'baremetal:node:inventory:get': G.SYSTEM_OR_OWNER_READER,
  'baremetal:node:disable_cleaning': G.SYSTEM_ADMIN,
  'baremetal:node:firmware:get': G.SYSTEM_OR_PROJECT_READER,
  'baremetal:node:vmedia:get': G.SYSTEM_OR_PROJECT_READER,
  'baremetal:node:vmedia:attach': G.SYSTEM_OR_PROJECT_MEMBER,
  'baremetal:node:vmedia:detach': G.SYSTEM_OR_PROJECT_MEMBER,
  'baremetal:runbook:get': G.RUNBOOK_READER,
  'baremetal:runbook:list': G.API_READER,
  'baremetal:runbook:list_all': G.SYSTEM_READER,
  'baremetal:runbook:create': G.RUNBOOK_CREATOR,
  'baremetal:runbook:update': G.RUNBOOK_ADMIN,
  'baremetal:runbook:delete': G.RUNBOOK_ADMIN,
  'baremetal:runbook:update:public': G.SYSTEM_MEMBER,
  'baremetal:runbook:update:owner': G.SYSTEM_MEMBER,
  'baremetal:runbook:use': G.RUNBOOK_ADMIN,
  'baremetal:driver:get': G.SYSTEM_READER,
  'baremetal:driver:get_properties': G.SYSTEM_READER,
  'baremetal:driver:get_raid_logical_disk_properties': G.SYSTEM_READER,
  'baremetal:driver:vendor_passthru': G.SYSTEM_ADMIN,
  'baremetal:conductor:get': G.SYSTEM_READER,
  'baremetal:shards:get': G.SYSTEM_READER,
  'baremetal:events:post': G.SYSTEM_ADMIN,
  'baremetal:allocation:get': G.ALLOCATION_READER,
  'baremetal:allocation:list': G.API_READER,
  'baremetal:allocation:list_all': G.SYSTEM_READER,
  'baremetal:allocation:create': G.ALLOCATION_CREATOR,
  'baremetal:allocation:create_restricted': G.SYSTEM_MEMBER,
  'baremetal:allocation:update': G.ALLOCATION_MEMBER,
  'baremetal:allocation:delete': G.ALLOCATION_MEMBER,
  'baremetal:driver:ipa_lookup': G.EVERYONE,
  'baremetal:node:ipa_heartbeat': G.EVERYONE,
  'baremetal:node:ipa_continue_inspection': G.EVERYONE,
  'baremetal:inspection_rule:get': G.SYSTEM_READER,
  'baremetal:inspection_rule:create': G.SYSTEM_ADMIN,
  'baremetal:inspection_rule:update': G.SYSTEM_ADMIN,
  'baremetal:inspection_rule:delete': G.SYSTEM_ADMIN,
};
for (const res of ['port', 'portgroup', 'chassis']) {
  for (const a of ['get', 'list', 'list_all']) EXPECT[`baremetal:${res}:${a}`] = G.SYSTEM_READER;
  EXPECT[`baremetal:${res}:create`] = G.SYSTEM_ADMIN;
  EXPECT[`baremetal:${res}:update`] = G.SYSTEM_MEMBER;
  EXPECT[`baremetal:${res}:delete`] = G.SYSTEM_ADMIN;
}
for (const a of ['get', 'list', 'list_all']) EXPECT[`baremetal:deploy_template:${a}`] = G.SYSTEM_READER;
for (const a of ['create', 'update', 'delete']) EXPECT[`baremetal:deploy_template:${a}`] = G.SYSTEM_ADMIN;
for (const a of ['get', 'list', 'list_all']) EXPECT[`baremetal:volume:${a}`] = G.SYSTEM_READER;
for (const a of ['create', 'update', 'delete']) EXPECT[`baremetal:volume:${a}`] = G.SYSTEM_MEMBER;
// TARGET_PROPERTIES_READER: a system reader, or role:admin in any project
EXPECT['baremetal:volume:view_target_properties'] = [...SYS_READERS, 'oa', 'la', 'xa'];

test('every rule in the table has a hand-written expectation, and vice versa', () => {
  assert.deepEqual(Object.keys(RULES).sort(), Object.keys(EXPECT).sort());
});

for (const [rule, allowed] of Object.entries(EXPECT)) {
  test(`${rule}: allowed exactly for ${allowed.join(' ')}`, () => {
    for (const [who, creds] of Object.entries(CAST)) {
      assert.equal(check(rule, TARGET, creds, { enforceNewDefaults: true }), allowed.includes(who), `${rule} for ${who}`);
    }
    if (allowed.length < Object.keys(CAST).length) assert.ok(Object.keys(CAST).some((w) => !allowed.includes(w)));
  });
}

test('project rules never match an unowned node (empty owner/lessee)', () => {
  for (const who of ['oa', 'om', 'or', 'la', 'lm', 'lr'])
    assert.equal(check('baremetal:node:get', { node_owner: null, node_lessee: null }, CAST[who], { enforceNewDefaults: true }), false);
});

test('runbook rules never match an unowned runbook for project users', () => {
  for (const who of ['omgr', 'or'])
    for (const rule of ['baremetal:runbook:get', 'baremetal:runbook:update'])
      assert.equal(check(rule, { runbook_owner: null }, CAST[who], { enforceNewDefaults: true }), false, `${rule} ${who}`);
});

test('service_role needs the configured service project name', () => {
  const svc = CAST.svc;
  assert.equal(check('baremetal:node:list_all', {}, svc, { enforceNewDefaults: true }), true);
  assert.equal(check('baremetal:node:list_all', {}, svc, { enforceNewDefaults: true, serviceProjectName: 'services' }), false);
});

test('legacy defaults (enforce_new_defaults off): admin role passes admin rules, baremetal_observer passes reads only', () => {
  const projectAdmin = CAST.xa;
  assert.equal(check('baremetal:node:delete', TARGET, projectAdmin, { enforceNewDefaults: true }), false);
  assert.equal(check('baremetal:node:delete', TARGET, projectAdmin), true);
  const observer = prj('P9', ['baremetal_observer']);
  assert.equal(check('baremetal:node:get', TARGET, observer), true);
  assert.equal(check('baremetal:node:list_all', TARGET, observer), true);
  assert.equal(check('baremetal:node:set_power_state', TARGET, observer), false);
  assert.equal(check('baremetal:node:get', TARGET, CAST.xm), false);
});

test('noauth credentials pass every rule; authorize throws Ironic 403 HTTPForbidden otherwise', () => {
  for (const rule of Object.keys(RULES)) assert.equal(check(rule, {}, NOAUTH_CREDS), true);
  assert.throws(() => authorize('baremetal:node:delete', TARGET, CAST.sm, { enforceNewDefaults: true }), {
    status: 403,
    code: 'Forbidden',
    message: 'Access was denied to the following resource: baremetal:node:delete',
  });
  assert.throws(() => check('baremetal:no:such:rule', {}, CAST.sa), /unknown policy rule/);
});
