/**
 * The contract table: every endpoint, parameter and field with a microversion boundary in the reference
 * (../shared/reference/ironic-api.md), with what Ironic 21.4 answers one version below the boundary and at it.
 * `below` statuses follow Ironic's controllers: GET of a newer collection → framework 404, other methods 405
 * (pecan _route); node sub-resources and volume → framework 404 for every method (pecan.abort); inject_nmi,
 * boot_mode, events → a faultstring 404 (exception.NotFound); newer fields/filters → 406.
 */
import assert from 'node:assert/strict';
import type { Reply, RowWorld as World } from './fixture.ts';

export interface Row {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Evaluated for every request (rows that delete or create get fresh objects). */
  path: (w: World) => string | Promise<string>;
  body?: (w: World) => unknown;
  /** The boundary 1.N; the row is sent at 1.(N-1) and at 1.N. */
  since: number;
  below: number;
  belowKind?: 'fault' | 'framework';
  at: number;
  check?: (r: Reply, w: World) => void | Promise<void>;
  /** Node whose task must finish after the call (202 actions). */
  settle?: (w: World) => string;
  /** Puts back what the row changed (run after the check; the differential replay runs it without the check). */
  after?: (w: World) => Promise<void>;
}

const freshAllocation = async (w: World) => (await w.ok('POST', '/v1/allocations', { resource_class: 'none', name: `ct-a-${w.fresh()}` })).uuid;
const freshTemplate = async (w: World) =>
  (await w.ok('POST', '/v1/deploy_templates', { name: `CUSTOM_T${w.fresh()}`, steps: [{ interface: 'deploy', step: 'x', args: {}, priority: 1 }] })).uuid;
const freshConnector = async (w: World) =>
  (await w.ok('POST', '/v1/volume/connectors', { node_uuid: w.f.main, type: 'iqn', connector_id: `iqn.ct.${w.fresh()}` })).uuid;
const freshTarget = async (w: World) =>
  (await w.ok('POST', '/v1/volume/targets', { node_uuid: w.f.main, volume_type: 'iscsi', volume_id: `v${w.fresh()}`, boot_index: nextBootIndex(w) })).uuid;
const freshVif = async (w: World) => {
  const id = `vif-${w.fresh()}`;
  await w.ok('POST', `/v1/nodes/${w.f.main}/vifs`, { id });
  return id;
};
const freshNodeAllocation = async (w: World) => {
  const n = await w.ok('POST', '/v1/nodes', { driver: 'fake-hardware', name: `ct-na-${w.fresh()}`, resource_class: `rc${w.fresh()}` });
  await w.db.setNode(n.uuid, { provision_state: 'available', power_state: 'power off' });
  const a = await w.ok('POST', '/v1/allocations', { resource_class: n.resource_class, candidate_nodes: [n.uuid] });
  assert.equal((await w.allocated(a.uuid)).node_uuid, n.uuid);
  return n.uuid as string;
};
const bootIndexes = new WeakMap<World, number>();
/** boot indexes count per world (both servers of the differential replay get the same ones) */
const nextBootIndex = (w: World) => {
  const i = (bootIndexes.get(w) ?? 0) + 1;
  bootIndexes.set(w, i);
  return i;
};
const keys = (r: Reply) => Object.keys(r.body).sort();

export const ROWS: Row[] = [
  // allocations (1.52; PATCH 1.57; backfill 1.58; owner 1.60)
  { name: 'list allocations', method: 'GET', path: () => '/v1/allocations', since: 52, below: 404, belowKind: 'framework', at: 200, check: (r) => assert.ok(r.body.allocations.length >= 1) },
  { name: 'show allocation', method: 'GET', path: (w) => `/v1/allocations/${w.f.allocation}`, since: 52, below: 404, belowKind: 'framework', at: 200, check: (r) => assert.equal(r.body.owner, undefined) },
  { name: 'show allocation by name', method: 'GET', path: () => '/v1/allocations/ct-allocation', since: 52, below: 404, belowKind: 'framework', at: 200 },
  { name: 'create allocation', method: 'POST', path: () => '/v1/allocations', body: () => ({ resource_class: 'nothing-here' }), since: 52, below: 405, belowKind: 'framework', at: 201,
    check: async (r, w) => {
      assert.equal(r.body.state, 'allocating');
      assert.match((await w.allocated(r.body.uuid)).last_error, /no available nodes match the resource class nothing-here/);
    },
  },
  { name: 'delete allocation', method: 'DELETE', path: async (w) => `/v1/allocations/${await freshAllocation(w)}`, since: 52, below: 405, belowKind: 'framework', at: 204 },
  { name: 'patch allocation', method: 'PATCH', path: (w) => `/v1/allocations/${w.f.allocation}`, body: () => [{ op: 'add', path: '/extra/k', value: 'v' }], since: 57, below: 405, belowKind: 'fault', at: 200 },
  { name: 'backfill allocation with node', method: 'POST', path: () => '/v1/allocations', body: () => ({ node: 'ct-main' }), since: 58, below: 400, belowKind: 'fault', at: 400, check: (r) => assert.match(String(r.error), /Node must be in the "active" state/) },
  { name: 'allocation owner filter', method: 'GET', path: () => '/v1/allocations?owner=p1', since: 60, below: 406, at: 200 },
  { name: 'allocation owner field', method: 'GET', path: (w) => `/v1/allocations/${w.f.allocation}?fields=uuid,owner`, since: 60, below: 406, at: 200, check: (r) => assert.deepEqual(keys(r), ['links', 'owner', 'uuid']) },
  { name: 'allocation owner on create', method: 'POST', path: () => '/v1/allocations', body: () => ({ resource_class: 'nothing-here', owner: 'p1' }), since: 60, below: 406, at: 201 },
  { name: 'node allocation', method: 'GET', path: () => '/v1/nodes/ct-alloc/allocation', since: 52, below: 404, belowKind: 'framework', at: 200, check: (r, w) => assert.equal(r.body.uuid, w.f.allocation) },
  { name: 'delete node allocation', method: 'DELETE', path: async (w) => `/v1/nodes/${await freshNodeAllocation(w)}/allocation`, since: 52, below: 404, belowKind: 'framework', at: 204 },
  { name: 'node allocation_uuid field', method: 'GET', path: () => '/v1/nodes/ct-alloc?fields=allocation_uuid', since: 52, below: 406, at: 200, check: (r, w) => assert.equal(r.body.allocation_uuid, w.f.allocation) },

  // deploy templates (1.55)
  { name: 'list deploy templates', method: 'GET', path: () => '/v1/deploy_templates', since: 55, below: 404, belowKind: 'framework', at: 200, check: (r) => assert.deepEqual(Object.keys(r.body.deploy_templates[0]).sort(), ['links', 'name', 'uuid']) },
  { name: 'deploy templates detail', method: 'GET', path: () => '/v1/deploy_templates?detail=True', since: 55, below: 404, belowKind: 'framework', at: 200, check: (r) => assert.ok(Array.isArray(r.body.deploy_templates[0].steps)) },
  { name: 'show deploy template by name', method: 'GET', path: () => '/v1/deploy_templates/CUSTOM_CT', since: 55, below: 404, belowKind: 'framework', at: 200 },
  { name: 'create deploy template', method: 'POST', path: () => '/v1/deploy_templates', body: (w) => ({ name: `CUSTOM_C${w.fresh()}`, steps: [{ interface: 'raid', step: 'create_configuration', args: {}, priority: '5' }] }), since: 55, below: 405, belowKind: 'framework', at: 201, check: (r) => assert.equal(r.body.steps[0].priority, 5) },
  { name: 'patch deploy template', method: 'PATCH', path: (w) => `/v1/deploy_templates/${w.f.template}`, body: () => [{ op: 'replace', path: '/steps/0/priority', value: 20 }], since: 55, below: 405, belowKind: 'framework', at: 200 },
  { name: 'delete deploy template', method: 'DELETE', path: async (w) => `/v1/deploy_templates/${await freshTemplate(w)}`, since: 55, below: 405, belowKind: 'framework', at: 204 },

  // volume (1.32)
  { name: 'volume root', method: 'GET', path: () => '/v1/volume', since: 32, below: 404, belowKind: 'fault', at: 200, check: (r) => assert.deepEqual(keys(r), ['connectors', 'links', 'targets']) },
  { name: 'list volume connectors', method: 'GET', path: () => '/v1/volume/connectors', since: 32, below: 404, belowKind: 'framework', at: 200, check: (r) => assert.deepEqual(Object.keys(r.body.connectors[0]).sort(), ['connector_id', 'links', 'node_uuid', 'type', 'uuid']) },
  { name: 'volume connectors by node', method: 'GET', path: () => '/v1/volume/connectors?node=ct-main&detail=True', since: 32, below: 404, belowKind: 'framework', at: 200, check: (r) => assert.ok('extra' in r.body.connectors[0]) },
  { name: 'show volume connector', method: 'GET', path: (w) => `/v1/volume/connectors/${w.f.connector}`, since: 32, below: 404, belowKind: 'framework', at: 200 },
  { name: 'create volume connector', method: 'POST', path: () => '/v1/volume/connectors', body: (w) => ({ node_uuid: w.f.main, type: 'wwpn', connector_id: `wwpn-${w.fresh()}` }), since: 32, below: 404, belowKind: 'framework', at: 201 },
  { name: 'patch volume connector', method: 'PATCH', path: (w) => `/v1/volume/connectors/${w.f.connector}`, body: () => [{ op: 'add', path: '/extra/a', value: 1 }], since: 32, below: 404, belowKind: 'framework', at: 200 },
  { name: 'delete volume connector', method: 'DELETE', path: async (w) => `/v1/volume/connectors/${await freshConnector(w)}`, since: 32, below: 404, belowKind: 'framework', at: 204 },
  { name: 'list volume targets', method: 'GET', path: () => '/v1/volume/targets', since: 32, below: 404, belowKind: 'framework', at: 200, check: (r) => assert.deepEqual(Object.keys(r.body.targets[0]).sort(), ['boot_index', 'links', 'node_uuid', 'uuid', 'volume_id', 'volume_type']) },
  { name: 'show volume target', method: 'GET', path: (w) => `/v1/volume/targets/${w.f.target}`, since: 32, below: 404, belowKind: 'framework', at: 200 },
  { name: 'create volume target', method: 'POST', path: () => '/v1/volume/targets', body: (w) => ({ node_uuid: w.f.main, volume_type: 'iscsi', volume_id: `v-${w.fresh()}`, boot_index: nextBootIndex(w), properties: { target_lun: 0 } }), since: 32, below: 404, belowKind: 'framework', at: 201 },
  { name: 'patch volume target', method: 'PATCH', path: (w) => `/v1/volume/targets/${w.f.target}`, body: () => [{ op: 'add', path: '/properties/target_lun', value: 1 }], since: 32, below: 404, belowKind: 'framework', at: 200 },
  { name: 'delete volume target', method: 'DELETE', path: async (w) => `/v1/volume/targets/${await freshTarget(w)}`, since: 32, below: 404, belowKind: 'framework', at: 204 },
  { name: 'node volume root', method: 'GET', path: () => '/v1/nodes/ct-main/volume', since: 32, below: 404, belowKind: 'fault', at: 200 },
  { name: 'node volume connectors', method: 'GET', path: (w) => `/v1/nodes/${w.f.main}/volume/connectors`, since: 32, below: 404, belowKind: 'framework', at: 200 },
  { name: 'node volume targets', method: 'GET', path: (w) => `/v1/nodes/${w.f.main}/volume/targets`, since: 32, below: 404, belowKind: 'framework', at: 200, check: (r) => assert.ok(r.body.targets.length >= 1) },
  // below the node volume root, Ironic finds the node by UUID only
  { name: 'node volume targets by name', method: 'GET', path: () => '/v1/nodes/ct-main/volume/targets', since: 32, below: 404, belowKind: 'framework', at: 404, check: (r) => assert.equal(r.error, 'Node ct-main could not be found.') },
  { name: 'create under node volume', method: 'POST', path: () => '/v1/nodes/ct-main/volume/targets', body: (w) => ({ node_uuid: w.f.main, volume_type: 'iscsi', volume_id: 'v-x', boot_index: 99 }), since: 32, below: 404, belowKind: 'framework', at: 403 },
  { name: 'invalid create under node volume', method: 'POST', path: () => '/v1/nodes/ct-main/volume/targets', body: () => ({}), since: 32, below: 404, belowKind: 'framework', at: 400, check: (r) => assert.equal(r.error, "Schema error for target: 'boot_index' is a required property") },
  { name: 'events body checked before the version', method: 'POST', path: () => '/v1/events', body: () => ({}), since: 54, below: 400, belowKind: 'fault', at: 400, check: (r) => assert.equal(r.error, "Schema error for evts: 'events' is a required property") },
  { name: 'one shard', method: 'GET', path: () => '/v1/shards/x', since: 82, below: 404, belowKind: 'framework', at: 404, check: (r) => assert.equal(r.error, 'The resource could not be found.') },
  { name: 'indicators (no version check in Ironic)', method: 'GET', path: (w) => `/v1/nodes/${w.f.main}/management/indicators`, since: 1, below: 200, at: 200, check: (r) => assert.deepEqual(r.body.indicators.map((i: { name: string }) => i.name).sort(), ['led-0@chassis', 'led@system']) },
  { name: 'indicator state', method: 'GET', path: (w) => `/v1/nodes/${w.f.main}/management/indicators/led@system`, since: 1, below: 200, at: 200, check: (r) => assert.deepEqual(r.body, { state: 'on' }) },

  // node sub-resources
  { name: 'node history', method: 'GET', path: () => '/v1/nodes/ct-main/history', since: 78, below: 404, belowKind: 'framework', at: 200, check: (r) => assert.deepEqual(Object.keys(r.body.history[0]).sort(), ['created_at', 'event', 'links', 'severity', 'uuid']) },
  { name: 'node history detail', method: 'GET', path: () => '/v1/nodes/ct-main/history?detail=True', since: 78, below: 404, belowKind: 'framework', at: 200, check: (r) => assert.ok('event_type' in r.body.history[0]) },
  { name: 'node history entry', method: 'GET', path: (w) => `/v1/nodes/ct-main/history/${w.f.history}`, since: 78, below: 404, belowKind: 'framework', at: 200 },
  { name: 'node inventory', method: 'GET', path: () => '/v1/nodes/ct-main/inventory', since: 81, below: 404, belowKind: 'framework', at: 200, check: (r) => assert.deepEqual(r.body, { inventory: { cpu: { count: 2 } }, plugin_data: { plugin: true } }) },
  { name: 'node bios', method: 'GET', path: () => '/v1/nodes/ct-main/bios', since: 40, below: 404, belowKind: 'framework', at: 200, check: (r) => assert.deepEqual(Object.keys(r.body.bios[0]).sort(), ['created_at', 'links', 'name', 'updated_at', 'value']) },
  { name: 'node bios list at 1.74', method: 'GET', path: () => '/v1/nodes/ct-main/bios', since: 74, below: 200, at: 200, check: (r) => assert.deepEqual(Object.keys(r.body.bios[0]).sort(), ['created_at', 'links', 'name', 'updated_at', 'value']) },
  { name: 'node bios setting', method: 'GET', path: () => '/v1/nodes/ct-main/bios/hyperthreading', since: 40, below: 404, belowKind: 'framework', at: 200, check: (r) => assert.equal(r.body.hyperthreading.value, 'Enabled') },
  { name: 'node bios detail (registry)', method: 'GET', path: () => '/v1/nodes/ct-main/bios?detail=True', since: 74, below: 400, belowKind: 'fault', at: 200, check: (r) => assert.deepEqual(r.body.bios[0].allowable_values, ['Enabled', 'Disabled']) },
  { name: 'list vifs', method: 'GET', path: () => '/v1/nodes/ct-main/vifs', since: 28, below: 404, belowKind: 'framework', at: 200 },
  {
    name: 'attach vif', method: 'POST', path: () => '/v1/nodes/ct-main/vifs', body: () => ({ id: 'vif-attach-row' }), since: 28, below: 404, belowKind: 'framework', at: 204,
    check: async (_r, w) => assert.deepEqual((await w.ok('GET', '/v1/nodes/ct-main/vifs')).vifs, [{ id: 'vif-attach-row' }]),
    after: async (w) => void (await w.call('DELETE', '/v1/nodes/ct-main/vifs/vif-attach-row')),
  },
  { name: 'detach vif', method: 'DELETE', path: async (w) => `/v1/nodes/ct-main/vifs/${await freshVif(w)}`, since: 28, below: 404, belowKind: 'framework', at: 204 },
  { name: 'inject nmi', method: 'PUT', path: () => '/v1/nodes/ct-main/management/inject_nmi', body: () => ({}), since: 29, below: 404, belowKind: 'fault', at: 400, check: (r) => assert.match(String(r.error), /does not support inject_nmi/) },
  { name: 'raid config', method: 'PUT', path: () => '/v1/nodes/ct-main/states/raid', body: () => ({ logical_disks: [{ size_gb: 'MAX', raid_level: '0' }] }), since: 12, below: 406, at: 204 },
  { name: 'node states raid fields', method: 'GET', path: () => '/v1/nodes/ct-main/states', since: 12, below: 200, at: 200, check: (r) => assert.ok('target_raid_config' in r.body) },
  { name: 'boot mode', method: 'PUT', path: () => '/v1/nodes/ct-boot/states/boot_mode', body: () => ({ target: 'uefi' }), since: 76, below: 404, belowKind: 'fault', at: 202, settle: (w) => w.f.boot },
  { name: 'secure boot', method: 'PUT', path: () => '/v1/nodes/ct-boot/states/secure_boot', body: () => ({ target: false }), since: 76, below: 404, belowKind: 'fault', at: 202, settle: (w) => w.f.boot },
  { name: 'console', method: 'PUT', path: (w) => `/v1/nodes/${w.f.boot}/states/console`, body: () => ({ enabled: true }), since: 1, below: 202, at: 202, settle: (w) => w.f.boot },

  // events, shards
  { name: 'events', method: 'POST', path: () => '/v1/events', body: () => ({ events: [{ event: 'network.bind_port', port_id: '7d8a5c7a-9b0f-4a0c-8c1e-3d5b7f2a9e10', mac_address: '52:54:00:c0:00:01', status: 'ACTIVE' }] }), since: 54, below: 404, belowKind: 'fault', at: 204 },
  { name: 'shards', method: 'GET', path: () => '/v1/shards', since: 82, below: 404, belowKind: 'framework', at: 200, check: (r) => assert.ok(r.body.shards.some((s: { name: unknown; count: number }) => s.name === 'None' && s.count >= 3)) },
  { name: 'nodes by shard', method: 'GET', path: () => '/v1/nodes?shard=none-here', since: 82, below: 406, at: 200, check: (r) => assert.deepEqual(r.body.nodes, []) },
  { name: 'ports by shard', method: 'GET', path: () => '/v1/ports?shard=none-here', since: 82, below: 406, at: 200 },
  { name: 'node shard field', method: 'GET', path: () => '/v1/nodes/ct-main?fields=shard', since: 82, below: 406, at: 200 },

  // node fields and filters by version
  { name: 'node description field', method: 'GET', path: () => '/v1/nodes/ct-main?fields=description', since: 51, below: 406, at: 200 },
  { name: 'node owner filter', method: 'GET', path: () => '/v1/nodes?owner=p1', since: 50, below: 406, at: 200 },
  { name: 'node lessee filter', method: 'GET', path: () => '/v1/nodes?lessee=p1', since: 65, below: 406, at: 200 },
  { name: 'node retired field', method: 'GET', path: () => '/v1/nodes/ct-main?fields=retired', since: 61, below: 406, at: 200 },
  { name: 'node network_data field', method: 'GET', path: () => '/v1/nodes/ct-main?fields=network_data', since: 66, below: 406, at: 200 },
  { name: 'node boot_mode field', method: 'GET', path: () => '/v1/nodes/ct-main?fields=boot_mode,secure_boot', since: 75, below: 406, at: 200 },
  { name: 'node automated_clean field', method: 'GET', path: () => '/v1/nodes/ct-main?fields=automated_clean', since: 47, below: 406, at: 200 },
  { name: 'node protected field', method: 'GET', path: () => '/v1/nodes/ct-main?fields=protected', since: 48, below: 406, at: 200 },
  { name: 'node conductor field', method: 'GET', path: () => '/v1/nodes/ct-main?fields=conductor', since: 49, below: 406, at: 200 },
  { name: 'conductors', method: 'GET', path: () => '/v1/conductors', since: 49, below: 404, belowKind: 'fault', at: 200 },
  { name: 'driver fields', method: 'GET', path: () => '/v1/drivers?fields=name', since: 77, below: 406, at: 200 },

  // provision and power verbs, node identifiers, node list parameters (the foundation's boundaries)
  ...(
    [
      ['manage', 4], ['inspect', 6], ['abort', 13], ['clean', 15], ['adopt', 17], ['rescue', 38], ['deploy', 73], ['undeploy', 73],
    ] as const
  ).map(([target, since]): Row => ({
    name: `provision ${target}`, method: 'PUT', path: (w) => `/v1/nodes/${w.f.enroll}/states/provision`,
    body: () => (target === 'rescue' ? { target, rescue_password: 'pw' } : { target }),
    // undeploy has no version gate in Ironic 21.4 (its MIN_VERB_VERSIONS key is the verb 'delete'): state error below too
    since, below: target === 'undeploy' ? 400 : 406, belowKind: 'fault', at: target === 'manage' ? 202 : 400,
    settle: (w) => w.f.enroll,
    check: (r) => {
      if (target !== 'manage') assert.match(String(r.error), /can not be performed on node/);
    },
    after: async (w) => {
      if (target !== 'manage') return;
      await w.settle(w.f.enroll);
      await w.db.setNode(w.f.enroll, { provision_state: 'enroll' });
    },
  })),
  { name: 'soft power off', method: 'PUT', path: (w) => `/v1/nodes/${w.f.boot}/states/power`, body: () => ({ target: 'soft power off' }), since: 27, below: 406, at: 202, settle: (w) => w.f.boot },
  // an available node and an invalid step: 406 below, the step's schema error (400) at the boundary — no deployment
  { name: 'deploy_steps', method: 'PUT', path: (w) => `/v1/nodes/${w.f.alloc}/states/provision`, body: () => ({ target: 'active', deploy_steps: [{ interface: 'bogus', step: 'x', args: {}, priority: 1 }] }), since: 69, below: 406, at: 400, check: (r) => assert.match(String(r.error), /bogus/) },
  { name: 'node by name', method: 'GET', path: () => '/v1/nodes/ct-enroll', since: 5, below: 404, belowKind: 'fault', at: 200 },
  { name: 'node fields', method: 'GET', path: () => '/v1/nodes/ct-enroll?fields=uuid', since: 8, below: 406, at: 200 },
  { name: 'nodes by provision_state', method: 'GET', path: () => '/v1/nodes?provision_state=enroll', since: 9, below: 406, at: 200 },
  { name: 'nodes by driver', method: 'GET', path: () => '/v1/nodes?driver=fake-hardware', since: 16, below: 406, at: 200 },
  { name: 'nodes by resource_class', method: 'GET', path: () => '/v1/nodes?resource_class=ct', since: 21, below: 406, at: 200 },
  { name: 'nodes by fault', method: 'GET', path: () => '/v1/nodes?fault=power%20failure', since: 42, below: 406, at: 200 },
  { name: 'nodes detail=True', method: 'GET', path: () => '/v1/nodes?detail=True', since: 43, below: 400, at: 200 },
  { name: 'nodes by conductor_group', method: 'GET', path: () => '/v1/nodes?conductor_group=x', since: 46, below: 406, at: 200 },
  { name: 'reset_interfaces', method: 'PATCH', path: () => '/v1/nodes/ct-enroll?reset_interfaces=true', body: () => [{ op: 'add', path: '/extra/a', value: 1 }], since: 45, below: 406, at: 400 },
  { name: 'node traits', method: 'GET', path: () => '/v1/nodes/ct-enroll/traits', since: 37, below: 406, at: 200 },
  { name: 'add node trait', method: 'PUT', path: () => '/v1/nodes/ct-enroll/traits/CUSTOM_CT', since: 37, below: 405, belowKind: 'framework', at: 204 },
  { name: 'driver raid properties', method: 'GET', path: () => '/v1/drivers/fake-hardware/raid/logical_disk_properties', since: 12, below: 406, at: 200 },
  { name: 'drivers by type', method: 'GET', path: () => '/v1/drivers?type=dynamic', since: 30, below: 406, at: 200 },
  { name: 'lookup', method: 'GET', path: () => '/v1/lookup', since: 22, below: 404, belowKind: 'fault', at: 400, check: (r) => assert.equal(r.error, "At least one of 'addresses' and 'node_uuid' parameters is required") },
  { name: 'heartbeat', method: 'POST', path: (w) => `/v1/heartbeat/${w.f.enroll}`, body: () => ({ callback_url: 'http://127.0.0.1:9999' }), since: 22, below: 404, belowKind: 'fault', at: 400 },
  // the node named in the body instead of the path (the newest ironic-tempest-plugin's microversion test sends this)
  { name: 'heartbeat with node_ident', method: 'POST', path: () => '/v1/heartbeat', body: (w) => ({ node_ident: w.f.enroll, callback_url: 'http://127.0.0.1:9999' }), since: 22, below: 404, belowKind: 'fault', at: 400,
    check: (r) => assert.equal(r.error, 'Agent token is required for heartbeat processing.') },

  // ports and portgroups
  { name: 'port is_smartnic field', method: 'GET', path: (w) => `/v1/ports/${w.f.port}?fields=is_smartnic`, since: 53, below: 406, at: 200 },
  { name: 'port physical_network field', method: 'GET', path: (w) => `/v1/ports/${w.f.port}?fields=physical_network`, since: 34, below: 406, at: 200 },
  { name: 'port local_link_connection field', method: 'GET', path: (w) => `/v1/ports/${w.f.port}?fields=local_link_connection,pxe_enabled`, since: 19, below: 406, at: 200 },
  // a PATCH of the whole local_link_connection is not gated (Ironic checks only the /local_link_connection/network_type path)
  { name: 'port network_type unmanaged', method: 'PATCH', path: (w) => `/v1/ports/${w.f.port}`, body: () => [{ op: 'replace', path: '/local_link_connection', value: { network_type: 'unmanaged' } }], since: 64, below: 200, at: 200 },
  { name: 'port network_type path', method: 'PATCH', path: (w) => `/v1/ports/${w.f.port}`, body: () => [{ op: 'add', path: '/local_link_connection/network_type', value: 'unmanaged' }], since: 64, below: 406, at: 200 },
  { name: 'portgroups', method: 'GET', path: () => '/v1/portgroups', since: 23, below: 404, at: 200 },
  { name: 'node portgroups', method: 'GET', path: () => '/v1/nodes/ct-main/portgroups', since: 24, below: 404, at: 200 },
];
