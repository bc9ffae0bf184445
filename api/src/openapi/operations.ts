/**
 * What the router alone cannot tell about each operation (pure data): its success status, the request body's
 * validator (the same joi object the handler calls, converted by joi-schema.ts), its query parameters and the
 * resource it answers with. Keys are "METHOD /koa/path". Anything not listed gets the defaults of document.ts.
 */
import type Joi from 'joi';
import { ALLOCATION_CREATE_SCHEMA } from '../validate/allocation.ts';
import { DEPLOY_TEMPLATE_SCHEMA } from '../validate/deploy-template.ts';
import { NODE_CREATE_SCHEMA } from '../validate/node.ts';
import { PORT_SCHEMA, PORTGROUP_SCHEMA } from '../validate/port.ts';
import { CHASSIS_SCHEMA } from '../routes/chassis.ts';
import { EVENTS_SCHEMA } from '../routes/events.ts';
import { TRAITS_BODY } from '../routes/node-traits.ts';
import { VIF_SCHEMA } from '../routes/node-vifs.ts';
import { KINDS } from '../routes/volume.ts';
import { FILTER_KEYS, FILTER_SINCE } from '../nodes/list.ts';
import { PAGING_KEYS } from '../query.ts';

export type ResourceName =
  | 'node' | 'port' | 'portgroup' | 'chassis' | 'allocation' | 'deploy_template' | 'connector' | 'target' | 'conductor';

export interface OperationInfo {
  status?: number;
  /** joi validator of the body, or 'patch' (JSON-Patch, patch.ts), or 'object' (checked in code). */
  body?: Joi.Schema | 'patch' | 'object';
  bodyRequired?: boolean;
  query?: readonly string[];
  /** query parameter → minor that introduced it */
  querySince?: Record<string, number>;
  /** the answer: one resource, or a collection of it under its plural key */
  answers?: { resource: ResourceName; collection?: string };
  /** Server-Sent Events, not JSON */
  stream?: boolean;
  summary?: string;
  /** a success body that is not JSON (its media type) */
  mediaType?: string;
  /** the success body's schema when it is not a resource */
  schema?: Record<string, unknown>;
  /** a 503 that answers with this body rather than Ironic's error */
  unavailable?: Record<string, unknown>;
}

const READINESS = {
  type: 'object',
  required: ['status', 'checks'],
  properties: { status: { enum: ['ok', 'not ready'] }, checks: { type: 'object', additionalProperties: { type: 'string' } } },
};

/** Operations beside the Ironic API answered by middleware (middleware/ops.ts), not by the router. */
export const MIDDLEWARE_OPERATIONS: Record<string, OperationInfo> = {
  'GET /healthz': { summary: 'alive (no auth)', schema: { type: 'object', required: ['status'], properties: { status: { const: 'ok' } } } },
  'GET /readyz': { summary: 'ready: database, conductors, RPC (no auth)', schema: READINESS, unavailable: READINESS },
  'GET /metrics': { summary: 'Prometheus metrics', mediaType: 'text/plain' },
};

const [CONNECTOR_SCHEMA, TARGET_SCHEMA] = [KINDS[0].schema, KINDS[1].schema];
const LIST = [...PAGING_KEYS, 'fields', 'detail'];
const nodeList = { query: [...FILTER_KEYS, ...LIST], querySince: FILTER_SINCE };
const detailList = (q: readonly string[]) => q.filter((k) => k !== 'fields' && k !== 'detail');
const coll = (resource: ResourceName, collection: string) => ({ answers: { resource, collection } });
const one = (resource: ResourceName) => ({ answers: { resource } });
const VOLUME_LIST = [...PAGING_KEYS, 'node', 'fields', 'detail'];

export const OPERATIONS: Record<string, OperationInfo> = {
  'GET /v1/anvil/events': { stream: true, summary: 'Node state changes as Server-Sent Events (Anvil)' },
  'POST /v1/heartbeat/:ident': { status: 202, body: 'object' },
  'GET /v1/nodes': { ...nodeList, ...coll('node', 'nodes') },
  'GET /v1/nodes/detail': { ...nodeList, query: detailList(nodeList.query), ...coll('node', 'nodes') },
  'POST /v1/nodes': { status: 201, body: NODE_CREATE_SCHEMA, bodyRequired: true, ...one('node') },
  'GET /v1/nodes/:ident': { query: ['fields'], ...one('node') },
  'PATCH /v1/nodes/:ident': { body: 'patch', bodyRequired: true, query: ['reset_interfaces'], ...one('node') },
  'DELETE /v1/nodes/:ident': { status: 204 },
  'GET /v1/chassis/:chassis/nodes': { ...nodeList, ...coll('node', 'nodes') },
  'GET /v1/chassis/:chassis/nodes/detail': { ...nodeList, query: detailList(nodeList.query), ...coll('node', 'nodes') },
  'PUT /v1/nodes/:ident/states/provision': { status: 202, body: 'object', bodyRequired: true },
  'PUT /v1/nodes/:ident/states/power': { status: 202, body: 'object', bodyRequired: true },
  'PUT /v1/nodes/:ident/management/boot_device': { status: 204, body: 'object', bodyRequired: true },
  'PUT /v1/nodes/:ident/maintenance': { status: 202, body: 'object', query: ['reason'] },
  'DELETE /v1/nodes/:ident/maintenance': { status: 202 },
  'GET /v1/conductors': { query: LIST, ...coll('conductor', 'conductors') },
  'GET /v1/conductors/:hostname': { query: ['fields'], ...one('conductor') },
  'PUT /v1/nodes/:ident/traits': { status: 204, body: TRAITS_BODY, bodyRequired: true },
  'PUT /v1/nodes/:ident/traits/:trait': { status: 204 },
  'DELETE /v1/nodes/:ident/traits': { status: 204 },
  'DELETE /v1/nodes/:ident/traits/:trait': { status: 204 },
  'GET /v1/ports': { query: ['node', 'node_uuid', 'address', 'portgroup', 'shard', 'conductor_groups', 'description_contains', ...LIST], ...coll('port', 'ports') },
  'GET /v1/ports/detail': { query: ['node', 'node_uuid', 'address', 'portgroup', 'shard', 'conductor_groups', 'description_contains', ...PAGING_KEYS], ...coll('port', 'ports') },
  'POST /v1/ports': { status: 201, body: PORT_SCHEMA, bodyRequired: true, ...one('port') },
  'GET /v1/ports/:ident': { query: ['fields'], ...one('port') },
  'PATCH /v1/ports/:ident': { body: 'patch', bodyRequired: true, ...one('port') },
  'DELETE /v1/ports/:ident': { status: 204 },
  'GET /v1/nodes/:node/ports': { query: LIST, ...coll('port', 'ports') },
  'GET /v1/nodes/:node/ports/detail': { query: [...PAGING_KEYS], ...coll('port', 'ports') },
  'GET /v1/portgroups/:pg/ports': { query: LIST, ...coll('port', 'ports') },
  'GET /v1/portgroups/:pg/ports/detail': { query: [...PAGING_KEYS], ...coll('port', 'ports') },
  'GET /v1/portgroups': { query: ['node', 'address', 'shard', 'conductor_groups', ...LIST], ...coll('portgroup', 'portgroups') },
  'GET /v1/portgroups/detail': { query: ['node', 'address', 'shard', 'conductor_groups', ...PAGING_KEYS], ...coll('portgroup', 'portgroups') },
  'GET /v1/nodes/:node/portgroups': { query: LIST, ...coll('portgroup', 'portgroups') },
  'GET /v1/nodes/:node/portgroups/detail': { query: [...PAGING_KEYS], ...coll('portgroup', 'portgroups') },
  'GET /v1/portgroups/:ident': { query: ['fields'], ...one('portgroup') },
  'POST /v1/portgroups': { status: 201, body: PORTGROUP_SCHEMA, bodyRequired: true, ...one('portgroup') },
  'PATCH /v1/portgroups/:ident': { body: 'patch', bodyRequired: true, ...one('portgroup') },
  'DELETE /v1/portgroups/:ident': { status: 204 },
  'GET /v1/chassis': { query: LIST, ...coll('chassis', 'chassis') },
  'GET /v1/chassis/detail': { query: [...PAGING_KEYS], ...coll('chassis', 'chassis') },
  'GET /v1/chassis/:ident': { query: ['fields'], ...one('chassis') },
  'POST /v1/chassis': { status: 201, body: CHASSIS_SCHEMA, bodyRequired: true, ...one('chassis') },
  'PATCH /v1/chassis/:ident': { body: 'patch', bodyRequired: true, ...one('chassis') },
  'DELETE /v1/chassis/:ident': { status: 204 },
  'GET /v1/allocations': { query: ['node', 'resource_class', 'state', 'owner', 'fields', ...PAGING_KEYS], ...coll('allocation', 'allocations') },
  'POST /v1/allocations': { status: 201, body: ALLOCATION_CREATE_SCHEMA, bodyRequired: true, ...one('allocation') },
  'GET /v1/allocations/:ident': { query: ['fields'], ...one('allocation') },
  'PATCH /v1/allocations/:ident': { body: 'patch', bodyRequired: true, ...one('allocation') },
  'DELETE /v1/allocations/:ident': { status: 204 },
  'GET /v1/nodes/:ident/allocation': { query: ['fields'], ...one('allocation') },
  'DELETE /v1/nodes/:ident/allocation': { status: 204 },
  'GET /v1/deploy_templates': { query: [...PAGING_KEYS, 'fields', 'detail'], ...coll('deploy_template', 'deploy_templates') },
  'GET /v1/deploy_templates/:ident': { query: ['fields'], ...one('deploy_template') },
  'POST /v1/deploy_templates': { status: 201, body: DEPLOY_TEMPLATE_SCHEMA, bodyRequired: true, ...one('deploy_template') },
  'PATCH /v1/deploy_templates/:ident': { body: 'patch', bodyRequired: true, ...one('deploy_template') },
  'DELETE /v1/deploy_templates/:ident': { status: 204 },
  'GET /v1/runbooks': { query: [...PAGING_KEYS, 'fields', 'detail', 'project'] },
  'GET /v1/runbooks/:ident': { query: ['fields'] },
  'DELETE /v1/runbooks/:ident': { status: 204 },
  'DELETE /v1/runbooks/:ident/traits': { status: 204 },
  'GET /v1/nodes/:ident/firmware': { query: ['fields', 'detail'] },
  'POST /v1/nodes/:ident/vmedia': { status: 204, body: 'object', bodyRequired: true },
  'DELETE /v1/nodes/:ident/vmedia': { status: 204, query: ['device_types'] },
  'GET /v1/volume/connectors': { query: VOLUME_LIST, ...coll('connector', 'connectors') },
  'GET /v1/volume/connectors/detail': { query: detailList(VOLUME_LIST), ...coll('connector', 'connectors') },
  'GET /v1/nodes/:node/volume/connectors': { query: LIST, ...coll('connector', 'connectors') },
  'GET /v1/nodes/:node/volume/connectors/:ident': { query: ['fields'], ...one('connector') },
  'POST /v1/nodes/:node/volume/connectors': { status: 201, body: CONNECTOR_SCHEMA, bodyRequired: true, ...one('connector') },
  'PATCH /v1/nodes/:node/volume/connectors/:ident': { body: 'patch', bodyRequired: true, ...one('connector') },
  'DELETE /v1/nodes/:node/volume/connectors/:ident': { status: 204 },
  'GET /v1/volume/connectors/:ident': { query: ['fields'], ...one('connector') },
  'POST /v1/volume/connectors': { status: 201, body: CONNECTOR_SCHEMA, bodyRequired: true, ...one('connector') },
  'PATCH /v1/volume/connectors/:ident': { body: 'patch', bodyRequired: true, ...one('connector') },
  'DELETE /v1/volume/connectors/:ident': { status: 204 },
  'GET /v1/volume/targets': { query: VOLUME_LIST, ...coll('target', 'targets') },
  'GET /v1/volume/targets/detail': { query: detailList(VOLUME_LIST), ...coll('target', 'targets') },
  'GET /v1/nodes/:node/volume/targets': { query: LIST, ...coll('target', 'targets') },
  'GET /v1/nodes/:node/volume/targets/:ident': { query: ['fields'], ...one('target') },
  'POST /v1/nodes/:node/volume/targets': { status: 201, body: TARGET_SCHEMA, bodyRequired: true, ...one('target') },
  'PATCH /v1/nodes/:node/volume/targets/:ident': { body: 'patch', bodyRequired: true, ...one('target') },
  'DELETE /v1/nodes/:node/volume/targets/:ident': { status: 204 },
  'GET /v1/volume/targets/:ident': { query: ['fields'], ...one('target') },
  'POST /v1/volume/targets': { status: 201, body: TARGET_SCHEMA, bodyRequired: true, ...one('target') },
  'PATCH /v1/volume/targets/:ident': { body: 'patch', bodyRequired: true, ...one('target') },
  'DELETE /v1/volume/targets/:ident': { status: 204 },
  'GET /v1/nodes/:ident/history': { query: ['detail', 'marker', 'limit'] },
  'GET /v1/nodes/:ident/bios': { query: ['detail', 'fields'] },
  'GET /v1/drivers': { query: ['type', 'detail', 'fields'] },
  'GET /v1/drivers/:name': { query: ['fields'] },
  'GET /v1/nodes/validate': { query: ['node', 'node_uuid'] },
  'GET /v1/anvil/nodes/:ident/history': { query: ['limit'] },
  'GET /v1/anvil/bmc-incidents': { query: ['state', 'limit'] },
  'POST /v1/events': { status: 204, body: EVENTS_SCHEMA, bodyRequired: true },
  'POST /v1/nodes/:ident/vifs': { status: 204, body: VIF_SCHEMA, bodyRequired: true },
  'DELETE /v1/nodes/:ident/vifs/:vif': { status: 204 },
  'PUT /v1/nodes/:ident/states/console': { status: 202, body: 'object', bodyRequired: true },
  'PUT /v1/nodes/:ident/states/raid': { status: 204, body: 'object', bodyRequired: true },
  'PUT /v1/nodes/:ident/management/inject_nmi': { status: 204, body: 'object' },
  'PUT /v1/nodes/:ident/management/indicators/:indicator': { status: 204, body: 'object', bodyRequired: true },
  'PUT /v1/nodes/:ident/states/boot_mode': { status: 202, body: 'object', bodyRequired: true },
  'PUT /v1/nodes/:ident/states/secure_boot': { status: 202, body: 'object', bodyRequired: true },
  'GET /v1/lookup': { query: ['addresses', 'node_uuid'] },
  'POST /v1/continue_inspection': { status: 202, body: 'object', bodyRequired: true },
  'POST /v1/inspection_rules': { status: 201, body: 'object', bodyRequired: true },
  'PATCH /v1/inspection_rules/:uuid': { body: 'patch', bodyRequired: true },
  'POST /v1/runbooks': { status: 201, body: 'object', bodyRequired: true },
  'PATCH /v1/runbooks/:ident': { body: 'patch', bodyRequired: true },
  'PUT /v1/runbooks/:ident/traits': { status: 204, body: 'object' },
  'PUT /v1/runbooks/:ident/traits/:trait': { status: 204 },
  'DELETE /v1/runbooks/:ident/traits/:trait': { status: 204 },
};
