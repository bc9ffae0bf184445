/**
 * The contract table for Ironic 1.83–1.115 (what Ironic 39.0.0 answers one version below each boundary and at it,
 * compared request by request with scripts/services/ironic39.sh). Same Row shape as cases.ts; run by
 * contract-115.test.ts on an API whose maximum is raised to 1.115 for the test.
 */
import assert from 'node:assert/strict';
import type { Row } from './cases.ts';
import { fresh } from './fixture.ts';

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
  // 1.109 health (read-only)
  { name: 'node health field', method: 'GET', path: () => '/v1/nodes/ct-enroll?fields=health', since: 109, below: 406, at: 200,
    check: (r) => assert.equal(r.body.health, null) },
];
