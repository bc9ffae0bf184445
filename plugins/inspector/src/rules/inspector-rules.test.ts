/** ironic-inspector's rule format over the shared ops (pure): JSON paths, coercion, multiple/invert, scope, checks. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InspectionData, JsonObject } from '@anvil/sdk';
import { applyInspectorRules, findPath, type InspectorRule, validateInspectorRule } from './inspector-rules.ts';

const d0 = (): InspectionData => ({
  inventory: { cpu: { count: 4, architecture: 'x86_64' }, interfaces: [{ name: 'eth0', mac_address: 'aa:00', ipv4_address: '10.0.0.5' }, { name: 'eth1', mac_address: 'aa:01', ipv4_address: null }] },
  plugin_data: { all_interfaces: { eth0: { ip: '10.0.0.5' }, eth1: { ip: null } }, memory_mb: '8192' },
  node: { uuid: 'n-1', name: 'n', driver: 'ipmi', properties: { inspection_scope: 'rack-1' }, driver_info: {}, extra: {}, instance_info: {}, traits: [] },
  ports: [],
  log: [],
});
let n = 0;
const rule = (conditions: unknown[], actions: unknown[], scope: string | null = null): InspectorRule => {
  const v = validateInspectorRule({ conditions: conditions as JsonObject[], actions: actions as JsonObject[], scope });
  if ('error' in v) throw new Error(v.error);
  return { uuid: `r-${++n}`, ...v.rule };
};
const trait = (name: string) => ({ action: 'add-trait', name });
const traits = (rules: InspectorRule[]) => {
  const r = applyInspectorRules(d0(), rules);
  if (r.failure) throw r.failure;
  return r.data.node.traits;
};

test('JSON paths: keys, indexes, [*] and .* over lists and dicts', () => {
  const data = { inventory: d0().inventory, ...d0().plugin_data };
  assert.deepEqual(findPath(data, 'inventory.cpu.count'), [4]);
  assert.deepEqual(findPath(data, '$.inventory.interfaces[1].name'), ['eth1']);
  assert.deepEqual(findPath(data, 'inventory.interfaces[*].mac_address'), ['aa:00', 'aa:01']);
  assert.deepEqual(findPath(data, 'all_interfaces.*.ip'), ['10.0.0.5', null]);
  assert.deepEqual(findPath(data, 'inventory.nope'), []);
});

test('conditions: coercion to the value type, multiple any/all/first, invert, is-empty on a missing field, scope', () => {
  assert.deepEqual(traits([rule([{ op: 'ge', field: 'memory_mb', value: 8192 }], [trait('CUSTOM_A')])]), ['CUSTOM_A']);
  assert.deepEqual(traits([rule([{ op: 'eq', field: 'data://inventory.interfaces[*].name', value: 'eth1' }], [trait('CUSTOM_ANY')])]), ['CUSTOM_ANY']);
  assert.deepEqual(traits([rule([{ op: 'eq', field: 'inventory.interfaces[*].name', value: 'eth1', multiple: 'all' }], [trait('CUSTOM_ALL')])]), []);
  assert.deepEqual(traits([rule([{ op: 'eq', field: 'inventory.interfaces[*].name', value: 'eth1', multiple: 'first' }], [trait('CUSTOM_FIRST')])]), []);
  assert.deepEqual(traits([rule([{ op: 'eq', field: 'node://driver', value: 'redfish', invert: true }], [trait('CUSTOM_INV')])]), ['CUSTOM_INV']);
  assert.deepEqual(traits([rule([{ op: 'is-empty', field: 'inventory.missing' }], [trait('CUSTOM_EMPTY')])]), ['CUSTOM_EMPTY']);
  assert.deepEqual(traits([rule([{ op: 'eq', field: 'inventory.missing', value: 1 }], [trait('CUSTOM_NO')])]), []);
  assert.deepEqual(traits([rule([{ op: 'in-net', field: 'inventory.interfaces[0].ipv4_address', value: '10.0.0.0/24' }], [trait('CUSTOM_NET')])]), ['CUSTOM_NET']);
  assert.deepEqual(traits([rule([{ op: 'matches', field: 'inventory.cpu.architecture', value: 'x86' }], [trait('CUSTOM_M')]), rule([{ op: 'contains', field: 'inventory.cpu.architecture', value: '86' }], [trait('CUSTOM_C')])]), ['CUSTOM_C']);
  assert.deepEqual(traits([rule([], [trait('CUSTOM_R1')], 'rack-1'), rule([], [trait('CUSTOM_R2')], 'rack-2')]), ['CUSTOM_R1']);
});

test('actions: set-attribute with {data[...]} formatting, extend-attribute unique, set-capability; fail stops with its message', () => {
  const r = applyInspectorRules(d0(), [
    rule([], [
      { action: 'set-attribute', path: '/properties/cpu_label', value: '{data[inventory][cpu][architecture]}-{data[inventory][cpu][count]}' },
      { action: 'extend-attribute', path: '/extra/tags', value: 'a', unique: true },
      { action: 'extend-attribute', path: '/extra/tags', value: 'a', unique: true },
      { action: 'set-capability', name: 'boot_mode', value: 'uefi' },
    ]),
    rule([{ op: 'lt', field: 'inventory.cpu.count', value: 8 }], [{ action: 'fail', message: 'needs 8 CPUs' }]),
  ]);
  assert.equal(r.data.node.properties.cpu_label, 'x86_64-4');
  assert.deepEqual(r.data.node.extra.tags, ['a']);
  assert.equal(r.data.node.properties.capabilities, 'boot_mode:uefi');
  assert.equal(r.failure?.message, 'Failed to inspect hardware. Reason: needs 8 CPUs');
});

test("validation: Inspector's texts", () => {
  const err = (body: JsonObject) => ('error' in validateInspectorRule(body) ? (validateInspectorRule(body) as { error: string }).error : null);
  assert.equal(err({ actions: [trait('X')] }), null);
  assert.equal(err({ conditions: [{ field: 'x' }], actions: [trait('X')] }), "Validation failed for conditions: 'op' is a required property");
  assert.equal(err({ conditions: [{ op: 'nope', field: 'x' }], actions: [trait('X')] }), "Validation failed for conditions: 'nope' is not one of ['contains', 'eq', 'ge', 'gt', 'in-net', 'is-empty', 'le', 'lt', 'matches', 'ne']");
  assert.equal(err({ conditions: [{ op: 'eq', field: 'x', value: 1, extra: 2 }], actions: [trait('X')] }), 'Invalid parameters for operator eq: unexpected parameter(s): extra');
  assert.match(err({ conditions: [{ op: 'matches', field: 'x', value: '(' }], actions: [trait('X')] }) ?? '', /^Invalid parameters for operator matches: invalid regular expression/);
  assert.equal(err({ actions: [{ action: 'api-call', url: 'x' }] }), "Validation failed for actions: 'api-call' is not one of ['add-trait', 'example', 'extend-attribute', 'fail', 'remove-trait', 'set-attribute', 'set-capability']");
  assert.equal(err({ actions: [{ action: 'add-trait' }] }), 'Invalid parameters for action add-trait: missing required parameter(s): name');
});
