/**
 * The contract table for Ironic 1.83–1.115 (what Ironic 39.0.0 answers one version below each boundary and at it,
 * compared request by request with scripts/services/ironic39.sh). Same Row shape as cases.ts; run by
 * contract-115.test.ts on an API whose maximum is raised to 1.115 for the test.
 */
import assert from 'node:assert/strict';
import type { Row } from './cases.ts';
import { fresh, type RowWorld } from './fixture.ts';

let macs = 0;
const freshRunbook = async (w: RowWorld) =>
  (await w.ok('POST', '/v1/runbooks', { name: `CUSTOM_RB${w.fresh()}`, steps: [{ interface: 'bios', step: 'factory_reset', order: 0 }] })).uuid;
const mac = () => `52:54:00:11:${((++macs >> 8) & 0xff).toString(16).padStart(2, '0')}:${(macs & 0xff).toString(16).padStart(2, '0')}`;

/** A fresh node put in `state` (with its target); returns its provision path. `held.last` remembers it per world. */
const held = Object.assign(
  async (w: RowWorld, state: string) => {
    const n = await w.ok('POST', '/v1/nodes', { driver: 'fake-hardware', name: `ct-held-${fresh()}` });
    await w.db.setNode(n.uuid, { provision_state: state, target_provision_state: state === 'clean hold' ? 'manageable' : 'active', power_state: 'power on' });
    const path = `/v1/nodes/${n.uuid}/states/provision`;
    held.last.set(w, state === 'wait call-back' ? path : `/v1/nodes/${n.uuid}`);
    return path;
  },
  { last: new WeakMap<RowWorld, string>() },
);
/** A fresh active fake-hardware node; returns its provision path (`activeNode.last`: its uuid). */
const activeNode = Object.assign(
  async (w: RowWorld) => {
    const n = await w.ok('POST', '/v1/nodes', { driver: 'fake-hardware', name: `ct-active-${fresh()}` });
    await w.db.setNode(n.uuid, { provision_state: 'active', power_state: 'power on' });
    activeNode.last.set(w, n.uuid);
    return `/v1/nodes/${n.uuid}/states/provision`;
  },
  { last: new WeakMap<RowWorld, string>() },
);

export const ROWS_115: Row[] = [
  // 1.83 child nodes: children below → framework 404 (Ironic 39 answers an empty 500 there: deliberate difference)
  { name: 'node children', method: 'GET', path: () => '/v1/nodes/ct-main/children', since: 83, below: 404, belowKind: 'framework', at: 200,
    check: (r) => assert.deepEqual(Object.keys(r.body), ['children', 'links']) },
  { name: 'nodes include_children', method: 'GET', path: () => '/v1/nodes?include_children=true', since: 83, below: 406, at: 200 },
  { name: 'nodes by parent_node', method: 'GET', path: (w) => `/v1/nodes?parent_node=${w.f.main}`, since: 83, below: 406, at: 200 },
  { name: 'node parent_node field', method: 'GET', path: () => '/v1/nodes/ct-enroll?fields=parent_node', since: 83, below: 406, at: 200 },
  { name: 'create child node', method: 'POST', path: () => '/v1/nodes', body: () => ({ driver: 'fake-hardware', name: `ct-child-${fresh()}`, parent_node: 'ct-main' }), since: 83, below: 406, at: 201,
    check: (r, w) => assert.equal(r.body.parent_node, w.f.main) },
  // 1.95 disable_power_off
  { name: 'node disable_power_off field', method: 'GET', path: () => '/v1/nodes/ct-enroll?fields=disable_power_off', since: 95, below: 406, at: 200,
    check: (r) => assert.equal(r.body.disable_power_off, false) },
  { name: 'patch disable_power_off', method: 'PATCH', path: () => '/v1/nodes/ct-enroll', body: () => [{ op: 'replace', path: '/disable_power_off', value: false }], since: 95, below: 406, at: 200 },
  // 1.104 instance_name
  { name: 'node instance_name field', method: 'GET', path: () => '/v1/nodes/ct-enroll?fields=instance_name', since: 104, below: 406, at: 200 },
  { name: 'nodes by instance_name', method: 'GET', path: () => '/v1/nodes?instance_name=vm-x', since: 104, below: 406, at: 200,
    check: (r) => assert.deepEqual(r.body.nodes, []) },
  // ports: name 1.88, node_ident 1.94, description 1.97, vendor 1.100, category 1.101, dynamic portgroups 1.111
  { name: 'port name field', method: 'GET', path: (w) => `/v1/ports/${w.f.port}?fields=name`, since: 88, below: 406, at: 200 },
  { name: 'create port with name', method: 'POST', path: () => '/v1/ports', body: (w) => ({ node_uuid: w.f.main, address: mac(), name: `ct-port-${fresh()}` }), since: 88, below: 406, at: 201 },
  { name: 'create port with node_ident', method: 'POST', path: () => '/v1/ports', body: () => ({ node_ident: 'ct-main', address: mac() }), since: 94, below: 406, at: 201,
    check: (r, w) => assert.equal(r.body.node_uuid, w.f.main) },
  { name: 'port description field', method: 'GET', path: (w) => `/v1/ports/${w.f.port}?fields=description`, since: 97, below: 406, at: 200 },
  { name: 'create port with description', method: 'POST', path: () => '/v1/ports', body: (w) => ({ node_uuid: w.f.main, address: mac(), description: 'd' }), since: 97, below: 406, at: 201 },
  { name: 'port vendor field', method: 'GET', path: (w) => `/v1/ports/${w.f.port}?fields=vendor`, since: 100, below: 406, at: 200 },
  { name: 'port category field', method: 'GET', path: (w) => `/v1/ports/${w.f.port}?fields=category`, since: 101, below: 406, at: 200 },
  { name: 'port available_for_dynamic_portgroup field', method: 'GET', path: (w) => `/v1/ports/${w.f.port}?fields=available_for_dynamic_portgroup`, since: 111, below: 406, at: 200,
    check: (r) => assert.equal(r.body.available_for_dynamic_portgroup, true) },
  // portgroups: physical_network 1.102 / category 1.103 shown from their version (fields= is not refused below it),
  // shard filter 1.106, dynamic_portgroup 1.111
  { name: 'portgroup physical_network shown', method: 'GET', path: () => '/v1/portgroups/detail', since: 102, below: 200, at: 200,
    check: (r) => assert.ok(r.body.portgroups.every((p: Record<string, unknown>) => 'physical_network' in p && !('category' in p))) },
  { name: 'portgroup category shown', method: 'GET', path: () => '/v1/portgroups/detail', since: 103, below: 200, at: 200,
    check: (r) => assert.ok(r.body.portgroups.every((p: Record<string, unknown>) => 'category' in p)) },
  { name: 'portgroups by shard', method: 'GET', path: () => '/v1/portgroups?shard=ct', since: 106, below: 406, at: 200 },
  { name: 'portgroup dynamic_portgroup field', method: 'GET', path: () => '/v1/portgroups?fields=dynamic_portgroup', since: 111, below: 406, at: 200 },
  // 1.90 OVN VTEP keys in local_link_connection, removed again at 1.105; 1.91 ".json" is part of the name
  { name: 'port with OVN VTEP connection', method: 'POST', path: () => '/v1/ports', since: 90, below: 406, at: 201,
    body: (w) => ({ node_uuid: w.f.main, address: mac(), local_link_connection: { 'vtep-logical-switch': 'ls', 'vtep-physical-switch': 'ps', port_id: 'p1' } }) },
  { name: 'port with OVN VTEP connection after removal', method: 'POST', path: () => '/v1/ports', since: 105, below: 201, at: 406,
    body: (w) => ({ node_uuid: w.f.main, address: mac(), local_link_connection: { 'vtep-logical-switch': 'ls', 'vtep-physical-switch': 'ps', port_id: 'p1' } }) },
  { name: '.json suffix is part of the node name', method: 'GET', path: () => '/v1/nodes/ct-enroll.json?fields=name', since: 91, below: 200, at: 404, belowKind: undefined,
    check: (r) => assert.equal(r.error, 'Node ct-enroll.json could not be found.') },
  // 1.96 inspection rules (the rest against the real Ironic 39 in inspection-115.test.ts)
  { name: 'inspection rules list', method: 'GET', path: () => '/v1/inspection_rules', since: 96, below: 404, at: 200,
    check: (r) => assert.ok(Array.isArray(r.body.inspection_rules)) },
  { name: 'create inspection rule', method: 'POST', path: () => '/v1/inspection_rules', body: () => ({ actions: [{ op: 'log', args: { msg: 'x' } }] }), since: 96, below: 405, at: 201,
    check: (r) => assert.equal(r.body.phase, 'main') },
  // 1.85 unhold: a hold state → its wait state; the version is checked after the state (Ironic 39's order)
  ...(['clean hold', 'deploy hold'] as const).map((state): Row => ({
    name: `unhold from ${state}`, method: 'PUT', path: (w) => held(w, state), body: () => ({ target: 'unhold' }), since: 85, below: 406, belowKind: 'fault', at: 202,
    check: async (r, w) => assert.equal((await w.ok('GET', held.last.get(w)!)).provision_state, state === 'clean hold' ? 'clean wait' : 'wait call-back'),
  })),
  { name: 'unhold outside a hold state', method: 'PUT', path: (w) => `/v1/nodes/${w.f.enroll}/states/provision`, body: () => ({ target: 'unhold' }), since: 85, below: 400, belowKind: 'fault', at: 400,
    check: (r) => assert.match(String(r.error), /"unhold" can not be performed on node .* "enroll"/) },
  // 1.87 servicing on fake-hardware (vendor.log_passthrough runs without a ramdisk); service_step field
  { name: 'service verb', method: 'PUT', path: (w) => activeNode(w), body: () => ({ target: 'service', service_steps: [{ interface: 'vendor', step: 'log_passthrough' }] }), since: 87, below: 406, belowKind: 'fault', at: 202,
    settle: (w) => activeNode.last.get(w)!,
    check: async (r, w) => {
      const uuid = activeNode.last.get(w)!;
      await w.settle(uuid);
      assert.equal((await w.ok('GET', `/v1/nodes/${uuid}`)).provision_state, 'active');
      const events = (await w.ok('GET', `/v1/nodes/${uuid}/history?detail=true`)).history.map((h: { event: string }) => h.event);
      assert.ok(events.includes("Starting servicing with steps=[{'interface': 'vendor', 'step': 'log_passthrough', 'abortable': False, 'priority': 0}]"), events.join('\n'));
      assert.ok(events.includes('Servicing completed successfully with steps=[]'), events.join('\n'));
    } },
  { name: 'service outside active', method: 'PUT', path: (w) => `/v1/nodes/${w.f.enroll}/states/provision`, body: () => ({ target: 'service', service_steps: [{ interface: 'vendor', step: 'log_passthrough' }] }), since: 87, below: 400, belowKind: 'fault', at: 400,
    check: (r) => assert.match(String(r.error), /"service" can not be performed on node .* "enroll"/) },
  { name: 'node service_step field', method: 'GET', path: () => '/v1/nodes/ct-enroll?fields=service_step', since: 87, below: 406, at: 200,
    check: (r) => assert.deepEqual(r.body.service_step, {}) },
  // 1.108 disable_ramdisk for servicing
  { name: 'service with disable_ramdisk', method: 'PUT', path: (w) => activeNode(w), since: 108, below: 406, belowKind: 'fault', at: 202,
    body: () => ({ target: 'service', service_steps: [{ interface: 'vendor', step: 'log_passthrough' }], disable_ramdisk: true }), settle: (w) => activeNode.last.get(w)!,
    check: async (r, w) => {
      await w.settle(activeNode.last.get(w)!);
      assert.equal((await w.ok('GET', `/v1/nodes/${activeNode.last.get(w)}`)).provision_state, 'active');
    } },
  // 1.110 abort in wait call-back → deploy failed
  { name: 'abort in wait call-back', method: 'PUT', path: (w) => held(w, 'wait call-back'), body: () => ({ target: 'abort' }), since: 110, below: 406, belowKind: 'fault', at: 202,
    check: async (r, w) => {
      const uuid = held.last.get(w)!.split('/')[3];
      let n = await w.ok('GET', `/v1/nodes/${uuid}`);
      // deploy failed keeps its target (active): wait for the clean-up worker to let go of the node
      for (let i = 0; i < 500 && (n.reservation !== null || n.last_error === null); i++) {
        await new Promise((res) => setTimeout(res, 20));
        n = await w.ok('GET', `/v1/nodes/${uuid}`);
      }
      assert.equal(n.provision_state, 'deploy failed');
      assert.equal(n.last_error, 'By request, the deploy operation was aborted');
    } },
  // 1.113 history project; 1.115 state, target_provision_state, duration_seconds
  { name: 'history project', method: 'GET', path: () => '/v1/nodes/ct-main/history?detail=true', since: 113, below: 200, at: 200,
    check: (r) => assert.deepEqual(Object.keys(r.body.history[0]), ['uuid', 'created_at', 'severity', 'event_type', 'event', 'conductor', 'user', 'project', 'links']) },
  { name: 'history state fields', method: 'GET', path: () => '/v1/nodes/ct-main/history?detail=true', since: 115, below: 200, at: 200,
    check: (r) => assert.deepEqual(Object.keys(r.body.history[0]).slice(7, 11), ['project', 'state', 'target_provision_state', 'duration_seconds']) },
  // 1.109 health (read-only)
  { name: 'node health field', method: 'GET', path: () => '/v1/nodes/ct-enroll?fields=health', since: 109, below: 406, at: 200,
    check: (r) => assert.equal(r.body.health, null) },
  // 1.92 runbooks (below: GET 404 / others 405 with Ironic's framework description), 1.112 description and traits
  { name: 'runbooks list', method: 'GET', path: () => '/v1/runbooks', since: 92, below: 404, belowKind: 'framework', at: 200,
    check: (r) => assert.ok(Array.isArray(r.body.runbooks)) },
  { name: 'create runbook', method: 'POST', path: () => '/v1/runbooks', since: 92, below: 405, belowKind: 'framework', at: 201,
    body: () => ({ name: `CUSTOM_RB${fresh()}`, steps: [{ interface: 'bios', step: 'factory_reset', args: {}, order: 0 }] }),
    check: (r) => assert.deepEqual(r.body.steps, [{ interface: 'bios', step: 'factory_reset', args: {}, order: 0 }]) },
  { name: 'delete runbook', method: 'DELETE', path: async (w) => `/v1/runbooks/${await freshRunbook(w)}`, since: 92, below: 405, belowKind: 'framework', at: 204 },
  { name: 'clean with a runbook', method: 'PUT', path: () => '/v1/nodes/ct-main/states/provision', since: 92, below: 406, at: 404,
    body: () => ({ target: 'clean', runbook: 'no-such-runbook' }) },
  { name: 'runbook description field', method: 'GET', path: async (w) => `/v1/runbooks/${await freshRunbook(w)}?fields=description`, since: 112, below: 400, at: 200,
    check: (r) => assert.equal(r.body.description, null) },
  { name: 'runbook traits', method: 'GET', path: async (w) => `/v1/runbooks/${await freshRunbook(w)}/traits`, since: 112, below: 404, belowKind: 'framework', at: 200,
    check: (r) => assert.deepEqual(r.body, { traits: [] }) },
  { name: 'create runbook with a non-trait name', method: 'POST', path: () => '/v1/runbooks', since: 112, below: 400, at: 201,
    body: () => ({ name: `rb-${fresh()}`, steps: [{ interface: 'bios', step: 'factory_reset', order: 0 }] }) },
  // 1.86 firmware_interface and /firmware; 1.114 component identity fields
  { name: 'node firmware_interface field', method: 'GET', path: () => '/v1/nodes/ct-enroll?fields=firmware_interface', since: 86, below: 406, at: 200,
    check: (r) => assert.equal(r.body.firmware_interface, 'fake') },
  { name: 'create node with firmware_interface', method: 'POST', path: () => '/v1/nodes', body: () => ({ driver: 'fake-hardware', firmware_interface: 'no-firmware' }), since: 86, below: 406, at: 201,
    check: (r) => assert.equal(r.body.firmware_interface, 'no-firmware') },
  { name: 'node firmware', method: 'GET', path: () => '/v1/nodes/ct-main/firmware', since: 86, below: 404, belowKind: 'framework', at: 200,
    check: (r) => assert.deepEqual(r.body, { firmware: [] }) },
  { name: 'node firmware identity fields', method: 'GET', path: () => '/v1/nodes/ct-main/firmware?fields=vendor,model', since: 114, below: 400, at: 200 },
  // 1.89 vmedia attach/detach (204, the work after the answer), 1.93 GET (fake-hardware cannot list: 400)
  { name: 'attach vmedia', method: 'POST', path: () => '/v1/nodes/ct-enroll/vmedia', body: () => ({ device_type: 'cdrom', image_url: 'http://127.0.0.1:9/x.iso' }), since: 89, below: 404, belowKind: 'framework', at: 204, settle: () => 'ct-enroll' },
  { name: 'detach vmedia', method: 'DELETE', path: () => '/v1/nodes/ct-enroll/vmedia?device_types=cdrom', since: 89, below: 404, belowKind: 'framework', at: 204, settle: () => 'ct-enroll' },
  { name: 'get vmedia', method: 'GET', path: () => '/v1/nodes/ct-enroll/vmedia', since: 93, below: 404, belowKind: 'fault', at: 400,
    check: (r) => assert.equal(r.error, 'Driver fake-hardware does not support get_virtual_media (disabled or not implemented).') },
];
