/**
 * The bad-input table: each case is one request that must fail with an exact status and Ironic's error body
 * (fault = {faultcode, faultstring, debuginfo}; framework = {code, title, description}), and must not write.
 * `F` = fixture ids filled in by the test (see bad-input.test.ts).
 */
export interface Fixture {
  node: string; // uuid of node "fixture" (enroll, in chassis, 1 port, portgroup bond-a)
  nodeName: string;
  other: string; // uuid of node "other" (portgroup bond-b)
  busy: string; // uuid of an active node with an instance
  locked: string; // uuid of a node reserved by conductor "other-conductor"
  lockedPort: string; // a port of that node
  port: string;
  portMac: string;
  otherPortMac: string;
  portgroupOther: string; // uuid of bond-b (belongs to "other")
  chassis: string;
}

export interface BadCase {
  name: string;
  method: string;
  path: (f: Fixture) => string;
  body?: (f: Fixture) => unknown;
  /** Raw text body (sent as is with Content-Type application/json). */
  raw?: string;
  version?: string | null;
  status: number;
  kind: 'fault' | 'framework';
  message: RegExp;
}

const UNKNOWN = '8f6d4a46-0c62-4c8e-9e5b-0f3f1b7f1a11';
const node = (f: Fixture) => `/v1/nodes/${f.node}`;

export const CASES: BadCase[] = [
  // --- bodies that are not what the endpoint takes ---
  { name: 'malformed JSON', method: 'POST', path: () => '/v1/nodes', raw: '{"driver": "fake-hardware",', status: 400, kind: 'fault', message: /JSON/ },
  { name: 'JSON array where an object is expected', method: 'POST', path: () => '/v1/nodes', body: () => [], status: 400, kind: 'fault', message: /not of type 'object'/ },
  { name: 'node without driver', method: 'POST', path: () => '/v1/nodes', body: () => ({ name: 'x' }), status: 400, kind: 'fault', message: /'driver' is a required property/ },
  { name: 'unknown node field', method: 'POST', path: () => '/v1/nodes', body: () => ({ driver: 'fake-hardware', bogus: 1 }), status: 400, kind: 'fault', message: /'bogus' was unexpected/ },
  { name: 'driver of the wrong type', method: 'POST', path: () => '/v1/nodes', body: () => ({ driver: 1 }), status: 400, kind: 'fault', message: /not of type 'string'/ },
  { name: 'properties of the wrong type', method: 'POST', path: () => '/v1/nodes', body: () => ({ driver: 'fake-hardware', properties: 'cpus=1' }), status: 400, kind: 'fault', message: /not of type 'object'/ },
  { name: 'unknown driver', method: 'POST', path: () => '/v1/nodes', body: () => ({ driver: 'no-such-driver' }), status: 400, kind: 'fault', message: /no-such-driver/ },
  { name: 'unsupported interface', method: 'POST', path: () => '/v1/nodes', body: () => ({ driver: 'fake-hardware', deploy_interface: 'bogus' }), status: 400, kind: 'fault', message: /bogus/ },
  { name: 'bad boolean', method: 'POST', path: () => '/v1/nodes', body: () => ({ driver: 'fake-hardware', maintenance: 'maybe' }), status: 400, kind: 'fault', message: /Unrecognized value 'maybe'/ },
  { name: 'node uuid not a UUID', method: 'POST', path: () => '/v1/nodes', body: () => ({ driver: 'fake-hardware', uuid: 'not-a-uuid' }), status: 400, kind: 'fault', message: /^Expected UUID for uuid: not-a-uuid$/ },
  { name: 'invalid node name', method: 'POST', path: () => '/v1/nodes', body: () => ({ driver: 'fake-hardware', name: 'bad name' }), status: 400, kind: 'fault', message: /invalid name 'bad name'/ },
  { name: 'reserved node name', method: 'POST', path: () => '/v1/nodes', body: () => ({ driver: 'fake-hardware', name: 'detail' }), status: 400, kind: 'fault', message: /reserved/ },
  { name: 'over-long resource_class', method: 'POST', path: () => '/v1/nodes', body: () => ({ driver: 'fake-hardware', resource_class: 'x'.repeat(81) }), status: 400, kind: 'fault', message: /too long/ },
  { name: 'over-long description', method: 'POST', path: () => '/v1/nodes', body: () => ({ driver: 'fake-hardware', description: 'd'.repeat(4097) }), status: 400, kind: 'fault', message: /too long/ },
  { name: 'over-long name', method: 'POST', path: () => '/v1/nodes', body: () => ({ driver: 'fake-hardware', name: 'n'.repeat(256) }), status: 400, kind: 'fault', message: /^Cannot create node with invalid name 'n{256}'$/ },
  { name: 'field newer than the requested version', method: 'POST', path: () => '/v1/nodes', version: '1.40', body: () => ({ driver: 'fake-hardware', owner: 'p' }), status: 406, kind: 'fault', message: /not acceptable/ },
  { name: 'duplicate node name', method: 'POST', path: () => '/v1/nodes', body: (f) => ({ driver: 'fake-hardware', name: f.nodeName }), status: 409, kind: 'fault', message: /already exists/ },
  { name: 'duplicate node uuid', method: 'POST', path: () => '/v1/nodes', body: (f) => ({ driver: 'fake-hardware', uuid: f.node }), status: 409, kind: 'fault', message: /already exists/ },
  { name: 'unknown chassis on create', method: 'POST', path: () => '/v1/nodes', body: () => ({ driver: 'fake-hardware', chassis_uuid: UNKNOWN }), status: 400, kind: 'fault', message: /Chassis .* could not be found/ },
  { name: 'huge body', method: 'POST', path: () => '/v1/nodes', body: () => ({ driver: 'fake-hardware', extra: { blob: 'x'.repeat(2 * 1024 * 1024) } }), status: 413, kind: 'framework', message: /too large/ },

  // --- JSON-PATCH ---
  { name: 'patch body not a list', method: 'PATCH', path: node, body: () => ({ op: 'add' }), status: 400, kind: 'fault', message: /not of type 'array'/ },
  { name: 'patch op move', method: 'PATCH', path: node, body: () => [{ op: 'move', from: '/extra/a', path: '/extra/b' }], status: 400, kind: 'fault', message: /Schema error for patch: Additional properties are not allowed \('from' was unexpected\)/ },
  { name: 'patch op test', method: 'PATCH', path: node, body: () => [{ op: 'test', path: '/name', value: 'x' }], status: 400, kind: 'fault', message: /is not one of/ },
  { name: 'patch path with a dot', method: 'PATCH', path: node, body: () => [{ op: 'add', path: '/extra/a.b', value: 1 }], status: 400, kind: 'fault', message: /does not match/ },
  { name: 'patch add without value', method: 'PATCH', path: node, body: () => [{ op: 'add', path: '/extra/a' }], status: 400, kind: 'fault', message: /^Couldn't apply patch '\{'op': 'add', 'path': '\/extra\/a'\}'\. Reason: The operation does not contain a 'value' member$/ },
  { name: 'patch read-only uuid', method: 'PATCH', path: node, body: () => [{ op: 'replace', path: '/uuid', value: UNKNOWN }], status: 400, kind: 'fault', message: /Cannot patch \/uuid/ },
  { name: 'patch read-only provision_state', method: 'PATCH', path: node, body: () => [{ op: 'replace', path: '/provision_state', value: 'active' }], status: 400, kind: 'fault', message: /Cannot patch \/provision_state/ },
  { name: 'patch traits through the node', method: 'PATCH', path: node, body: () => [{ op: 'add', path: '/traits', value: ['CUSTOM_X'] }], status: 400, kind: 'fault', message: /Cannot patch \/traits/ },
  { name: 'patch remove a missing key (after a valid op)', method: 'PATCH', path: node, body: () => [{ op: 'add', path: '/extra/new', value: 1 }, { op: 'remove', path: '/extra/nope' }], status: 400, kind: 'fault', message: /Couldn't apply patch/ },
  { name: 'patch name to a taken name (with an extra change)', method: 'PATCH', path: node, body: () => [{ op: 'add', path: '/extra/x', value: 1 }, { op: 'replace', path: '/name', value: 'other' }], status: 409, kind: 'fault', message: /already exists/ },
  { name: 'patch to an unknown driver', method: 'PATCH', path: node, body: () => [{ op: 'add', path: '/extra/x', value: 1 }, { op: 'replace', path: '/driver', value: 'no-such-driver' }], status: 400, kind: 'fault', message: /no-such-driver/ },
  { name: 'patch driver of an active node', method: 'PATCH', path: (f) => `/v1/nodes/${f.busy}`, body: () => [{ op: 'replace', path: '/rescue_interface', value: 'no-rescue' }], status: 409, kind: 'fault', message: /can not have rescue_interface updated unless it is in one of allowed \(enroll, inspecting, inspect wait, manageable, available\) states or in maintenance mode/ },
  { name: 'patch a node locked by a conductor', method: 'PATCH', path: (f) => `/v1/nodes/${f.locked}`, body: () => [{ op: 'add', path: '/extra/x', value: 1 }], status: 409, kind: 'fault', message: /is locked by host other-conductor/ },
  { name: 'delete a node locked by a conductor', method: 'DELETE', path: (f) => `/v1/nodes/${f.locked}`, status: 409, kind: 'fault', message: /is locked by host other-conductor/ },
  { name: 'patch a port of a locked node', method: 'PATCH', path: (f) => `/v1/ports/${f.lockedPort}`, body: () => [{ op: 'add', path: '/extra/x', value: 1 }], status: 409, kind: 'fault', message: /is locked by host other-conductor/ },
  { name: 'delete a port of a locked node', method: 'DELETE', path: (f) => `/v1/ports/${f.lockedPort}`, status: 409, kind: 'fault', message: /is locked by host other-conductor/ },
  { name: 'patch a field newer than the version', method: 'PATCH', path: node, version: '1.46', body: () => [{ op: 'replace', path: '/owner', value: 'p' }], status: 406, kind: 'fault', message: /not acceptable/ },
  { name: 'patch an unknown node', method: 'PATCH', path: () => `/v1/nodes/${UNKNOWN}`, body: () => [{ op: 'add', path: '/extra/a', value: 1 }], status: 404, kind: 'fault', message: /could not be found/ },
  { name: 'patch value of the wrong type', method: 'PATCH', path: node, body: () => [{ op: 'replace', path: '/extra', value: 'str' }], status: 400, kind: 'fault', message: /not of type 'object'/ },

  // --- lookups, queries and versions ---
  { name: 'unknown node', method: 'GET', path: () => `/v1/nodes/${UNKNOWN}`, status: 404, kind: 'fault', message: /could not be found/ },
  { name: 'malformed node identifier', method: 'GET', path: () => '/v1/nodes/bad%20ident!', status: 400, kind: 'framework', message: /Expected UUID or name/ },
  { name: 'unknown query argument', method: 'GET', path: () => '/v1/nodes?bogus=1&zzz=2', status: 400, kind: 'fault', message: /^Unexpected arguments: bogus, zzz$/ },
  { name: 'limit zero', method: 'GET', path: () => '/v1/nodes?limit=0', status: 400, kind: 'fault', message: /Limit must be positive/ },
  { name: 'limit not a number', method: 'GET', path: () => '/v1/nodes?limit=ten', status: 400, kind: 'fault', message: /integer/ },
  { name: 'bad sort_dir', method: 'GET', path: () => '/v1/nodes?sort_dir=up', status: 400, kind: 'fault', message: /Invalid sort direction/ },
  { name: 'sort by a JSON column', method: 'GET', path: () => '/v1/nodes?sort_key=extra', status: 400, kind: 'fault', message: /invalid field for sorting/ },
  { name: 'unknown field in fields', method: 'GET', path: () => '/v1/nodes?fields=uuid,bogus', status: 400, kind: 'fault', message: /bogus is not a valid field/ },
  { name: 'unknown marker', method: 'GET', path: () => `/v1/nodes?marker=${UNKNOWN}`, status: 404, kind: 'fault', message: /could not be found/ },
  { name: 'unknown provision_state filter', method: 'GET', path: () => '/v1/nodes?provision_state=bogus', status: 400, kind: 'fault', message: /^Provision state "bogus" is not valid$/ },
  { name: 'filter newer than the version', method: 'GET', path: () => '/v1/nodes?owner=x', version: '1.46', status: 406, kind: 'fault', message: /not acceptable/ },
  { name: 'fields on /detail', method: 'GET', path: () => '/v1/nodes/detail?fields=uuid', status: 400, kind: 'fault', message: /Unexpected arguments: fields/ },
  { name: 'unparseable microversion', method: 'GET', path: () => '/v1/nodes', version: 'one.two', status: 406, kind: 'framework', message: /Invalid value for X-OpenStack-Ironic-API-Version/ },
  { name: 'microversion above max', method: 'GET', path: () => '/v1/nodes', version: '1.999', status: 406, kind: 'framework', message: /1\.999 was requested/ },
  { name: 'major version 2', method: 'GET', path: () => '/v1/nodes', version: '2.1', status: 406, kind: 'framework', message: /Mutually exclusive versions/ },
  { name: 'wrong method', method: 'PUT', path: () => '/v1/nodes', body: () => ({}), status: 405, kind: 'framework', message: /^$/ },
  { name: 'unknown route', method: 'GET', path: () => '/v1/nodez', status: 404, kind: 'framework', message: /^$/ },
  { name: 'delete an unknown node', method: 'DELETE', path: () => `/v1/nodes/${UNKNOWN}`, status: 404, kind: 'fault', message: /could not be found/ },
  { name: 'delete an active node', method: 'DELETE', path: (f) => `/v1/nodes/${f.busy}`, status: 409, kind: 'fault', message: /associated with instance/ },

  // --- ports, portgroups, chassis, traits ---
  { name: 'duplicate port MAC (other case)', method: 'POST', path: () => '/v1/ports', body: (f) => ({ node_uuid: f.node, address: f.portMac.toUpperCase() }), status: 409, kind: 'fault', message: /MAC address .* already exists/ },
  { name: 'bad MAC', method: 'POST', path: () => '/v1/ports', body: (f) => ({ node_uuid: f.node, address: '52:54:00:zz:00:01' }), status: 400, kind: 'fault', message: /^Expected valid MAC address for address: 52:54:00:zz:00:01$/ },
  { name: 'port without address', method: 'POST', path: () => '/v1/ports', body: (f) => ({ node_uuid: f.node }), status: 400, kind: 'fault', message: /'address' is a required property/ },
  { name: 'port for an unknown node', method: 'POST', path: () => '/v1/ports', body: () => ({ node_uuid: UNKNOWN, address: '52:54:00:00:0f:01' }), status: 400, kind: 'fault', message: /could not be found/ },
  { name: 'port in a portgroup of another node', method: 'POST', path: () => '/v1/ports', body: (f) => ({ node_uuid: f.node, address: '52:54:00:00:0f:02', portgroup_uuid: f.portgroupOther }), status: 400, kind: 'fault', message: /different node/ },
  { name: 'port with over-long physical_network', method: 'POST', path: () => '/v1/ports', body: (f) => ({ node_uuid: f.node, address: '52:54:00:00:0f:03', physical_network: 'p'.repeat(65) }), status: 400, kind: 'fault', message: /too long/ },
  { name: 'patch port MAC to a taken one', method: 'PATCH', path: (f) => `/v1/ports/${f.port}`, body: (f) => [{ op: 'add', path: '/extra/x', value: 1 }, { op: 'replace', path: '/address', value: f.otherPortMac }], status: 409, kind: 'fault', message: /already exists/ },
  { name: 'unknown port', method: 'GET', path: () => `/v1/ports/${UNKNOWN}`, status: 404, kind: 'fault', message: /Port .* could not be found/ },
  // Ironic 39 looks ports up by UUID, MAC or name (1.88 names): an unknown name is 404
  { name: 'port by name', method: 'GET', path: () => '/v1/ports/some-name', status: 404, kind: 'fault', message: /^Port some-name could not be found\.$/ },
  { name: 'duplicate portgroup name', method: 'POST', path: () => '/v1/portgroups', body: (f) => ({ node_uuid: f.node, name: 'bond-b' }), status: 409, kind: 'fault', message: /already exists/ },
  { name: 'over-long chassis description', method: 'POST', path: () => '/v1/chassis', body: () => ({ description: 'c'.repeat(256) }), status: 400, kind: 'fault', message: /too long/ },
  { name: 'delete a chassis with nodes', method: 'DELETE', path: (f) => `/v1/chassis/${f.chassis}`, status: 400, kind: 'fault', message: /contains nodes/ },
  { name: 'invalid trait', method: 'PUT', path: (f) => `/v1/nodes/${f.node}/traits`, body: () => ({ traits: ['CUSTOM_OK', 'lower_case'] }), status: 400, kind: 'fault', message: /'lower_case' does not match/ },
  { name: 'traits not a list', method: 'PUT', path: (f) => `/v1/nodes/${f.node}/traits`, body: () => ({ traits: 'CUSTOM_A' }), status: 400, kind: 'fault', message: /not of type 'array'/ },
  { name: 'remove a missing trait', method: 'DELETE', path: (f) => `/v1/nodes/${f.node}/traits/CUSTOM_MISSING`, status: 404, kind: 'fault', message: /doesn't have a trait 'CUSTOM_MISSING'/ },
  { name: 'traits below 1.37', method: 'GET', path: (f) => `/v1/nodes/${f.node}/traits`, version: '1.36', status: 406, kind: 'fault', message: /^Request not acceptable\.$/ },
  { name: 'portgroups below 1.23', method: 'POST', path: () => '/v1/portgroups', version: '1.22', body: (f) => ({ node_uuid: f.node }), status: 404, kind: 'fault', message: /^Resource could not be found\.$/ },
  { name: 'driver filter below 1.16', method: 'GET', path: () => '/v1/nodes?driver=fake-hardware', version: '1.15', status: 406, kind: 'fault', message: /minimal required API version should be 1\.16/ },
  { name: 'unknown fault filter', method: 'GET', path: () => '/v1/nodes?fault=bogus', status: 400, kind: 'fault', message: /^Unrecognized fault "bogus" is specified/ },
  { name: 'body on single-trait PUT', method: 'PUT', path: (f) => `/v1/nodes/${f.node}/traits/CUSTOM_X`, body: () => ({ a: 1 }), status: 400, kind: 'fault', message: /^Schema error for body: Additional properties are not allowed \('a' was unexpected\)$/ },
];
