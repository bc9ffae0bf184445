import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPublicRoute } from '../middleware/auth-public.ts';
import { nodePatchRules, routeRule } from './routes.ts';

test('public routes: /, /v1, lookup, continue_inspection, heartbeat with a lower-case uuid-ish id (optional .json), nothing else', () => {
  for (const p of ['/', '/v1', '/v1/', '/v1.json', '/v1/lookup', '/v1/lookup.json', '/v1/heartbeat/1be26c0b-03f2-4d2e-ae87-c02d7f33c123', '/v1/heartbeat/node-1', '/v1/continue_inspection'])
    assert.equal(isPublicRoute(p), true, p);
  for (const p of ['/v1/nodes', '/v1/heartbeat/Node_1', '/v1/heartbeat/ABC', '/v1/heartbeat/', '/v1/lookup/x', '/v2', '/v1/drivers'])
    assert.equal(isPublicRoute(p), false, p);
});

test('node PATCH: one rule per top-level field, the generic rule for unlisted fields or an empty patch', () => {
  assert.deepEqual(nodePatchRules([{ op: 'add', path: '/driver_info/ipmi_address' }, { op: 'replace', path: '/name' }]), [
    'baremetal:node:update:driver_info',
    'baremetal:node:update:name',
  ]);
  assert.deepEqual(nodePatchRules([{ op: 'replace', path: '/deploy_interface' }, { op: 'replace', path: '/driver' }]), ['baremetal:node:update:driver_interfaces']);
  assert.deepEqual(nodePatchRules([{ op: 'replace', path: '/instance_info/image_source' }]), ['baremetal:node:update_instance_info']);
  assert.deepEqual(nodePatchRules([{ op: 'replace', path: '/extra/a' }]), ['baremetal:node:update_extra']);
  assert.deepEqual(nodePatchRules([{ op: 'replace', path: '/description' }, { op: 'replace', path: '/owner' }]), [
    'baremetal:node:update:owner',
    'baremetal:node:update',
  ]);
  assert.deepEqual(nodePatchRules([]), ['baremetal:node:update']);
  assert.deepEqual(nodePatchRules('junk'), ['baremetal:node:update']);
});

test('routes map to Ironic rule names and the node/allocation target', () => {
  const n = '1be26c0b-03f2-4d2e-ae87-c02d7f33c123';
  const cases: [string, string, string[], string?][] = [
    ['GET', '/v1/nodes', ['baremetal:node:list']],
    ['GET', '/v1/nodes/detail', ['baremetal:node:list']],
    ['GET', `/v1/nodes/${n}`, ['baremetal:node:get'], 'node'],
    ['PUT', `/v1/nodes/${n}/states/provision`, ['baremetal:node:set_provision_state'], 'node'],
    ['PUT', `/v1/nodes/${n}/states/power`, ['baremetal:node:set_power_state'], 'node'],
    ['PUT', `/v1/nodes/${n}/maintenance`, ['baremetal:node:set_maintenance'], 'node'],
    ['DELETE', `/v1/nodes/${n}/maintenance`, ['baremetal:node:clear_maintenance'], 'node'],
    ['GET', `/v1/nodes/${n}/vifs`, ['baremetal:node:vif:list'], 'node'],
    ['POST', `/v1/nodes/${n}/vifs`, ['baremetal:node:vif:attach'], 'node'],
    ['DELETE', `/v1/nodes/${n}/vifs/abc`, ['baremetal:node:vif:detach'], 'node'],
    ['PUT', `/v1/nodes/${n}/traits/CUSTOM_A`, ['baremetal:node:traits:set'], 'node'],
    ['GET', `/v1/nodes/${n}/validate`, ['baremetal:node:validate'], 'node'],
    ['PUT', `/v1/nodes/${n}/management/inject_nmi`, ['baremetal:node:inject_nmi'], 'node'],
    ['GET', '/v1/ports', ['baremetal:port:list']],
    ['POST', '/v1/ports', ['baremetal:port:create']],
    ['PATCH', `/v1/portgroups/${n}`, ['baremetal:portgroup:update']],
    ['DELETE', `/v1/chassis/${n}`, ['baremetal:chassis:delete']],
    ['POST', '/v1/deploy_templates', ['baremetal:deploy_template:create']],
    ['GET', '/v1/drivers/ipmi/properties', ['baremetal:driver:get_properties']],
    ['GET', '/v1/conductors', ['baremetal:conductor:get']],
    ['POST', '/v1/events', ['baremetal:events:post']],
    ['GET', '/v1/allocations', ['baremetal:allocation:list']],
    ['DELETE', `/v1/allocations/${n}`, ['baremetal:allocation:delete'], 'allocation'],
    ['GET', `/v1/nodes/${n}/firmware`, ['baremetal:node:firmware:get'], 'node'],
    ['POST', `/v1/nodes/${n}/vmedia`, ['baremetal:node:vmedia:attach'], 'node'],
    ['GET', `/v1/nodes/${n}/vmedia`, ['baremetal:node:vmedia:get'], 'node'],
    ['DELETE', `/v1/nodes/${n}/vmedia`, ['baremetal:node:vmedia:detach'], 'node'],
    ['GET', '/v1/runbooks', ['baremetal:runbook:list']],
    ['POST', '/v1/runbooks', ['baremetal:runbook:create']],
    ['GET', '/v1/runbooks/rb-1', ['baremetal:runbook:get'], 'runbook'],
    ['DELETE', '/v1/runbooks/rb-1', ['baremetal:runbook:delete'], 'runbook'],
    ['GET', '/v1/runbooks/rb-1/traits', ['baremetal:runbook:get'], 'runbook'],
    ['PUT', '/v1/runbooks/rb-1/traits/CUSTOM_A', ['baremetal:runbook:update'], 'runbook'],
  ];
  for (const [m, p, rules, kind = 'none'] of cases) {
    const rr = routeRule(m, p);
    assert.ok(rr, `${m} ${p}`);
    assert.deepEqual(rr.rules, rules, `${m} ${p}`);
    assert.equal(rr.kind, kind, `${m} ${p}`);
  }
  assert.equal(routeRule('POST', '/v1/lookup'), null);
  assert.equal(routeRule('POST', `/v1/heartbeat/${n}`), null);
  assert.equal(routeRule('GET', '/'), null);
  assert.equal(routeRule('GET', '/v1'), null);
  assert.equal(routeRule('POST', '/v1/nodes')?.special, 'node_create');
  assert.equal(routeRule('DELETE', `/v1/nodes/${n}`)?.special, 'node_delete');
});

test('runbook PATCH: /owner and /public by their own rules, anything else by the generic one', () => {
  const rules = (body: unknown) => routeRule('PATCH', '/v1/runbooks/rb-1', body)?.rules;
  assert.deepEqual(rules([{ op: 'replace', path: '/owner', value: 'p' }]), ['baremetal:runbook:update:owner']);
  assert.deepEqual(rules([{ op: 'replace', path: '/public', value: true }, { op: 'add', path: '/extra/a', value: 1 }]), [
    'baremetal:runbook:update',
    'baremetal:runbook:update:public',
  ]);
  assert.deepEqual(rules([]), ['baremetal:runbook:update']);
  assert.equal(routeRule('GET', '/v1/runbooks')?.special, 'runbook_list');
});

test('Anvil explanations: a node\'s why reads like the node, a MAC\'s boot trace is for system readers', () => {
  const n = '1be26c0b-03f2-4d2e-ae87-c02d7f33c123';
  assert.deepEqual(routeRule('GET', `/v1/anvil/nodes/${n}/why`), { rules: ['baremetal:node:get'], kind: 'node', ident: n });
  assert.deepEqual(routeRule('GET', '/v1/anvil/boot-trace/52:54:00:00:00:01'), { rules: ['baremetal:conductor:get'], kind: 'none' });
  assert.equal(routeRule('GET', '/v1/anvil/events'), null);
  assert.deepEqual(routeRule('GET', '/v1/anvil/bmc-incidents'), { rules: ['baremetal:conductor:get'], kind: 'none' });
});

test("node sub-resources carry Ironic's version gate, so a version below it is the router's 404 before any policy check", () => {
  const n = '1be26c0b-03f2-4d2e-ae87-c02d7f33c123';
  for (const [sub, since] of [['vifs', 28], ['bios', 40], ['allocation', 52], ['history', 78], ['inventory', 81], ['firmware', 86], ['vmedia', 89]] as const)
    assert.equal(routeRule('GET', `/v1/nodes/${n}/${sub}`)?.since, since, sub);
  assert.equal(routeRule('GET', `/v1/nodes/${n}/bios/ProcVirtualization`)?.since, 40);
  assert.equal(routeRule('GET', `/v1/nodes/${n}`)?.since, undefined);
  assert.equal(routeRule('GET', `/v1/nodes/${n}/traits`)?.since, undefined);
  // a state Ironic has not: its router's 405 comes before any policy
  assert.equal(routeRule('PUT', `/v1/nodes/${n}/states/target_raid_config`), null);
});
