/** The rules engine (pure): Ironic's operators, actions, argument forms, interpolation, ordering and failures. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HardwareInspectionFailure, type InspectionData, type JsonObject } from '@anvil/sdk';
import { chassisId, portId } from '../lldp.ts';
import { parseBuiltInRules } from './built-in.ts';
import { applyRules, type InspectionRule, RuleFailure, validateRule } from './engine.ts';
import { interpolate } from './format.ts';

const d0 = (): InspectionData => ({
  inventory: { cpu: { count: 4, architecture: 'x86_64' }, memory: { physical_mb: 8192 }, bmc_address: '10.1.0.7', interfaces: [{ name: 'eth0', ipv4_address: '10.0.0.5' }], password: 'pw' },
  plugin_data: { macs: ['52:54:00:00:00:01'] },
  node: { uuid: 'n-1', name: 'n', driver: 'ipmi', properties: {}, driver_info: { ipmi_password: 'x' }, extra: {}, instance_info: {}, traits: ['CUSTOM_OLD'] },
  ports: [{ uuid: 'p-1', address: '52:54:00:00:00:01', pxe_enabled: true, extra: {}, local_link_connection: {}, physical_network: null }],
  log: [],
});
let n = 0;
const rule = (conditions: unknown[], actions: unknown[], priority = 0, extra: Partial<InspectionRule> = {}): InspectionRule => ({
  uuid: `r-${++n}`, priority, sensitive: false, phase: 'main', conditions: conditions as JsonObject[], actions: actions as JsonObject[], ...extra,
});
const apply = (rules: InspectionRule[], d = d0()) => {
  const r = applyRules(d, rules);
  if (r.failure) throw r.failure;
  return r.data;
};

test('interpolation is Python str.format: strings out, missing fields leave the value as it was', () => {
  const ctx = { inventory: d0().inventory, node: d0().node, plugin_data: {} };
  assert.equal(interpolate('{inventory[cpu][count]}', ctx), '4');
  assert.equal(interpolate('{node.driver_info[ipmi_password]}-{inventory[interfaces][0][name]}', ctx), 'x-eth0');
  assert.equal(interpolate('{inventory[nope]}', ctx), '{inventory[nope]}');
  assert.deepEqual(interpolate({ '{inventory[cpu][architecture]}': ['{inventory[memory]}'] }, ctx), { x86_64: ["{'physical_mb': 8192}"] });
  assert.equal(interpolate('{{literal}}', ctx), '{literal}');
});

test('a matching rule sets a trait, a driver_info value, a capability (interpolated) and plugin data', () => {
  const d = apply([
    rule(
      [{ op: 'eq', args: { values: ['{inventory[cpu][architecture]}', 'x86_64'] } }, { op: 'in-net', args: { address: '{inventory[bmc_address]}', subnet: '10.1.0.0/16' } }, { op: '!is-empty', args: ['{inventory[cpu][count]}'] }],
      [
        { op: 'add-trait', args: { name: 'CUSTOM_X86' } },
        { op: 'set-attribute', args: { path: '/driver_info/ipmi_address', value: '{inventory[bmc_address]}' } },
        { op: 'set-capability', args: ['cpus', '{inventory[cpu][count]}'] },
        { op: 'set-plugin-data', args: { path: 'rack.name', value: 'r1' } },
        { op: 'extend-attribute', args: { path: 'extra.tags', value: 'a', unique: true } },
        { op: 'extend-attribute', args: { path: 'extra.tags', value: 'a', unique: true } },
        { op: 'remove-trait', args: { name: 'CUSTOM_OLD' } },
        { op: 'set-port-attribute', args: { port_id: 'p-1', path: 'extra/switch', value: 's1' } },
      ],
    ),
  ]);
  assert.deepEqual(d.node.traits, ['CUSTOM_X86']);
  assert.equal(d.node.driver_info.ipmi_address, '10.1.0.7');
  assert.equal(d.node.properties.capabilities, 'cpus:4');
  assert.deepEqual(d.plugin_data.rack, { name: 'r1' });
  assert.deepEqual(d.node.extra.tags, ['a']);
  assert.deepEqual(d.ports[0].extra, { switch: 's1' });
});

test('conditions: operators, negation, interpolated values are strings, loop + multiple', () => {
  const hit = (cond: unknown) => apply([rule([cond], [{ op: 'add-trait', args: ['CUSTOM_HIT'] }])]).node.traits.includes('CUSTOM_HIT');
  assert.equal(hit({ op: 'eq', args: { values: ['{inventory[memory][physical_mb]}', 8192] } }), false);
  assert.equal(hit({ op: 'eq', args: { values: ['{inventory[memory][physical_mb]}', '8192'] } }), true);
  assert.equal(hit({ op: 'gt', args: [[16, 8, 4]] }), true);
  assert.equal(hit({ op: 'lt', args: [[1, 2, 2]] }), false);
  assert.equal(hit({ op: 'matches', args: ['{inventory[cpu][architecture]}', 'x86'] }), false);
  assert.equal(hit({ op: 'matches', args: ['{inventory[cpu][architecture]}', 'x86.*'] }), true);
  assert.equal(hit({ op: 'contains', args: ['{inventory[cpu][architecture]}', '86'] }), true);
  assert.equal(hit({ op: 'one-of', args: { value: '{inventory[cpu][architecture]}', values: ['aarch64', 'x86_64'] } }), true);
  assert.equal(hit({ op: 'is-none', args: [null] }), true);
  assert.equal(hit({ op: 'is-true', args: ['Yes'] }), true);
  assert.equal(hit({ op: 'is-false', args: [0] }), true);
  assert.equal(hit({ op: '! is-false', args: [0] }), false);
  assert.equal(hit({ op: 'eq', args: { values: ['{item}', 2] }, loop: [1, 2, 3], multiple: 'any' }), true);
  assert.equal(hit({ op: 'eq', args: { values: ['{item}', 2] }, loop: [1, 2, 3], multiple: 'all' }), false);
  assert.equal(hit({ op: 'eq', args: { values: ['{item}', 3] }, loop: [1, 2, 3], multiple: 'last' }), true);
});

test('priority order; fail stops later rules and keeps earlier effects; the list form of eq fails like Ironic 39', () => {
  const r = applyRules(d0(), [rule([], [{ op: 'add-trait', args: ['CUSTOM_LOW'] }], 1), rule([], [{ op: 'fail', args: { msg: 'no GPUs' } }], 50), rule([], [{ op: 'add-trait', args: ['CUSTOM_HIGH'] }], 90)]);
  assert.ok(r.failure instanceof HardwareInspectionFailure);
  assert.equal(r.failure.message, 'Failed to inspect hardware. Reason: no GPUs');
  assert.deepEqual(r.data.node.traits, ['CUSTOM_OLD', 'CUSTOM_HIGH']);
  const bad = applyRules(d0(), [rule([{ op: 'eq', args: ['{inventory[cpu][architecture]}', 'x86_64'] }], [{ op: 'log', args: ['x'] }])]);
  assert.ok(bad.failure instanceof RuleFailure);
  assert.equal(bad.failure.message, "Inspection rule condition check failed. Reason: Failed to check condition: 'eq' on values: x86_64: Expected list for 'values', got: str");
});

test('secrets are masked in interpolation unless mask_secrets allows it', () => {
  const act = [{ op: 'set-attribute', args: { path: 'extra.p', value: '{inventory[password]}' } }];
  assert.equal(apply([rule([], act)]).node.extra.p, '***');
  assert.equal(applyRules(d0(), [rule([], act, 0, { sensitive: true })], { maskSecrets: 'sensitive' }).data.node.extra.p, 'pw');
});

test('validation as the API answers it', () => {
  assert.equal(validateRule({ actions: [{ op: 'add-trait', args: { name: 'X' } }] }), null);
  assert.match(String(validateRule({ actions: [{ op: 'nope', args: {} }] })), /^Schema error: 'nope' is not one of \['fail', 'log'/);
  assert.equal(validateRule({ priority: -1, actions: [{ op: 'log', args: ['x'] }] }), 'Schema error: -1 is less than the minimum of 0');
  assert.equal(validateRule({ bogus: 1, actions: [{ op: 'log', args: ['x'] }] }), "Schema error: Additional properties are not allowed ('bogus' was unexpected)");
  assert.equal(validateRule({ phase: 'early', actions: [{ op: 'log', args: ['x'] }] }), 'Invalid phase: early. Valid phases are: main');
  assert.equal(validateRule({ actions: [{ op: 'add-trait', args: { nam: 'X' } }] }), 'Invalid parameters for action operator add-trait: missing required argument(s): name; unexpected argument(s): nam');
  assert.equal(validateRule({ conditions: [] }), "Schema error: 'actions' is a required property");
  assert.equal(validateRule({ priority: -5, actions: [{ op: 'log', args: ['x'] }] }, true), null);
});

test('built-in rules from YAML: synthetic uuids, validated', () => {
  const rules = parseBuiltInRules('- description: gpu\n  priority: 10\n  actions:\n    - op: add-trait\n      args: {name: CUSTOM_B}\n- uuid: 11111111-2222-3333-4444-555555555555\n  actions: [{op: log, args: [hi]}]\n');
  assert.deepEqual(rules.map((r) => [r.uuid, r.priority, r.built_in]), [['00000000-0000-0000-0000-000000000000', 10, true], ['11111111-2222-3333-4444-555555555555', 0, true]]);
  assert.throws(() => parseBuiltInRules('a: 1'), /should contain a list of rules/);
  assert.throws(() => parseBuiltInRules('- actions: [{op: bogus, args: {}}]'), /Error parsing built-in rule/);
});

test('LLDP ids: network address and MAC subtypes', () => {
  assert.deepEqual(chassisId(Buffer.from('05010a000001', 'hex')), { subtype: 5, value: '10.0.0.1' });
  assert.deepEqual(chassisId(Buffer.from('050220010db8000000000000000000000001', 'hex')), { subtype: 5, value: '2001:db8::1' });
  assert.deepEqual(portId(Buffer.from('03aabbccddeeff', 'hex')), { subtype: 3, value: 'aa:bb:cc:dd:ee:ff' });
  assert.deepEqual(portId(Buffer.from('0401c0000201', 'hex')), { subtype: 4, value: '192.0.2.1' });
  assert.equal(portId(Buffer.from('09ff', 'hex')), null);
});
