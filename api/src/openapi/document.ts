/**
 * The OpenAPI 3.1 document of the running API (pure): every route the Koa router holds (so a route cannot be
 * missed), request bodies from the joi validators the handlers call (joi-schema.ts), resource fields from the
 * render field tables with the microversion that introduced each (`x-openstack-ironic-since`) and the JSON type
 * their create validator gives them, and Ironic's error bodies; plus /healthz, /readyz and /metrics (middleware). Built once per (router, max microversion).
 */
import type Router from '@koa/router';
import type Joi from 'joi';
import { ALLOCATION_CREATE_SCHEMA } from '../validate/allocation.ts';
import { DEPLOY_TEMPLATE_SCHEMA } from '../validate/deploy-template.ts';
import { NODE_CREATE_SCHEMA } from '../validate/node.ts';
import { PORT_SCHEMA, PORTGROUP_SCHEMA } from '../validate/port.ts';
import { CHASSIS_SCHEMA } from '../routes/chassis.ts';
import { KINDS } from '../routes/volume.ts';
import { ALLOCATION_FIELDS } from '../render/allocation.ts';
import { CHASSIS_FIELDS } from '../render/chassis.ts';
import { DEPLOY_TEMPLATE_FIELDS } from '../render/deploy-template.ts';
import type { FieldTable } from '../render/fields.ts';
import { NODE_API_FIELDS, NODE_FIELDS } from '../render/node.ts';
import { PORT_FIELDS } from '../render/port.ts';
import { PORTGROUP_FIELDS } from '../render/portgroup.ts';
import { CONNECTOR_FIELDS, TARGET_FIELDS } from '../render/volume.ts';
import { CONDUCTOR_FIELDS } from '../routes/conductors.ts';
import { OPS, PATH_RE } from '../patch.ts';
import { fmt, MIN_MINOR } from '../version.ts';
import { joiToJsonSchema, type JsonSchema } from './joi-schema.ts';
import { MIDDLEWARE_OPERATIONS, OPERATIONS, type OperationInfo, type ResourceName } from './operations.ts';

/** The methods a route registered with router.all() is documented with. */
export const ALL_METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const VERBS = new Set(ALL_METHODS);

const since = (n: number): JsonSchema => ({ 'x-openstack-ironic-since': fmt(n), description: `since API ${fmt(n)}` });
const withSince = (table: FieldTable, extra: FieldTable = {}): Record<string, JsonSchema> =>
  Object.fromEntries(Object.entries({ ...table, ...extra }).map(([k, n]) => [k, since(n)]));

const STAMPS = { created_at: 1, updated_at: 1, links: 1 };
const RESOURCE_FIELDS: Record<ResourceName, FieldTable> = {
  node: { ...NODE_FIELDS, ...NODE_API_FIELDS, uuid: 1, ...STAMPS, ports: 1, states: 14, portgroups: 24, volume: 32 },
  port: { ...PORT_FIELDS, ...STAMPS },
  portgroup: { ...PORTGROUP_FIELDS, ...STAMPS, ports: 23 },
  chassis: { ...CHASSIS_FIELDS, ...STAMPS },
  allocation: ALLOCATION_FIELDS,
  deploy_template: DEPLOY_TEMPLATE_FIELDS,
  connector: { ...CONNECTOR_FIELDS, ...STAMPS },
  target: { ...TARGET_FIELDS, ...STAMPS },
  conductor: Object.fromEntries(CONDUCTOR_FIELDS.map((f) => [f, 49])),
};

/** The create validators per resource: a shown field they also accept gets their JSON type (or null). */
const RESOURCE_VALIDATORS: Partial<Record<ResourceName, Joi.Schema>> = {
  node: NODE_CREATE_SCHEMA,
  port: PORT_SCHEMA,
  portgroup: PORTGROUP_SCHEMA,
  chassis: CHASSIS_SCHEMA,
  allocation: ALLOCATION_CREATE_SCHEMA,
  deploy_template: DEPLOY_TEMPLATE_SCHEMA,
  connector: KINDS[0].schema,
  target: KINDS[1].schema,
};
const JSON_TYPES: Record<string, string> = { string: 'string', boolean: 'boolean', object: 'object', array: 'array', number: 'number' };

/** field → its JSON type from the validator (null allowed: Ironic shows unset fields as null). */
export function validatorTypes(schema: Joi.Schema): Record<string, JsonSchema> {
  const keys = (schema.describe() as { keys?: Record<string, { type: string; rules?: { name: string }[] }> }).keys ?? {};
  const out: Record<string, JsonSchema> = {};
  for (const [k, d] of Object.entries(keys)) {
    const t = d.type === 'number' && d.rules?.some((r) => r.name === 'integer') ? 'integer' : JSON_TYPES[d.type];
    if (t) out[k] = { type: [t, 'null'] };
  }
  return out;
}

function resourceSchema(name: ResourceName, table: FieldTable): JsonSchema {
  const validator = RESOURCE_VALIDATORS[name];
  const types = validator ? validatorTypes(validator) : {};
  const props = withSince(table);
  for (const k of Object.keys(props)) if (types[k]) props[k] = { ...types[k], ...props[k] };
  return { type: 'object', additionalProperties: false, properties: props };
}

const ERROR_BODY: JsonSchema = {
  description: "Ironic's error body: error_message holds a JSON string (faultstring, or code/title/description)",
  anyOf: [
    { type: 'object', required: ['error_message'], properties: { error_message: { type: 'string' } } },
    { type: 'object', required: ['error'], properties: { error: { type: 'object' } } }, // http_basic 401
  ],
};

const PATCH_BODY: JsonSchema = {
  description: 'JSON-Patch (RFC 6902) as Ironic accepts it: add, replace, remove',
  type: 'array',
  items: {
    type: 'object',
    required: ['op', 'path'],
    additionalProperties: false,
    properties: { op: { enum: OPS }, path: { type: 'string', pattern: PATH_RE.source }, value: {} },
  },
};

const jsonContent = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function successSchema(info: OperationInfo): JsonSchema {
  const a = info.answers;
  if (!a) return {};
  if (!a.collection) return ref(a.resource);
  return {
    type: 'object',
    required: [a.collection],
    properties: { [a.collection]: { type: 'array', items: ref(a.resource) }, next: { type: 'string' } },
  };
}

function defaultStatus(method: string): number {
  return method === 'post' ? 201 : method === 'delete' ? 204 : 200;
}

function operation(method: string, path: string, info: OperationInfo): JsonSchema {
  const params: JsonSchema[] = [];
  for (const m of path.matchAll(/:(\w+)/g))
    params.push({ name: m[1], in: 'path', required: true, schema: { type: 'string', minLength: 1 } });
  for (const q of info.query ?? []) {
    const n = info.querySince?.[q];
    params.push({ name: q, in: 'query', required: false, schema: { type: 'string' }, ...(n ? since(n) : {}) });
  }
  params.push({ $ref: '#/components/parameters/microversion' });
  const status = info.status ?? defaultStatus(method);
  const ok: JsonSchema = { description: 'success' };
  if (info.stream) ok.content = { 'text/event-stream': { schema: { type: 'string' } } };
  else if (info.mediaType) ok.content = { [info.mediaType]: { schema: { type: 'string' } } };
  else if (status !== 204 && status !== 202) ok.content = jsonContent(info.schema ?? successSchema(info));
  const op: JsonSchema = {
    operationId: `${method}${path.replace(/:/g, 'by_').replace(/[^\w]/g, '_')}`,
    summary: info.summary ?? `${method.toUpperCase()} ${path.replace(/:(\w+)/g, '{$1}')}`,
    parameters: params,
    responses: {
      [String(status)]: ok,
      '4XX': { $ref: '#/components/responses/error' },
      '503': info.unavailable ? { description: 'not ready', content: jsonContent(info.unavailable) } : { $ref: '#/components/responses/error' },
    },
  };
  if (info.body) {
    const schema = info.body === 'patch' ? PATCH_BODY : info.body === 'object' ? { type: 'object' } : joiToJsonSchema(info.body);
    op.requestBody = { required: Boolean(info.bodyRequired), content: jsonContent(schema) };
  }
  return op;
}

interface Layer {
  path: string | RegExp;
  methods: string[];
}

/** Routes as the router holds them: [method, koa path] (HEAD left out; router.all() routes → ALL_METHODS). */
export function routesOf(router: Router<any>): [string, string][] {
  const out: [string, string][] = [];
  for (const l of router.stack as unknown as Layer[]) {
    if (typeof l.path !== 'string') continue;
    const methods = l.methods.map((m) => m.toLowerCase()).filter((m) => m !== 'head');
    const all = methods.length > 10;
    for (const m of all ? ALL_METHODS : methods.filter((x) => VERBS.has(x))) out.push([m, l.path]);
  }
  return out;
}

export function buildOpenApi(router: Router<any>, maxMinor: number): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const [method, path] of routesOf(router)) {
    const oaPath = path.replace(/:(\w+)/g, '{$1}');
    paths[oaPath] ??= {};
    paths[oaPath][method] ??= operation(method, path, OPERATIONS[`${method.toUpperCase()} ${path}`] ?? {});
  }
  for (const [key, info] of Object.entries(MIDDLEWARE_OPERATIONS)) {
    const [method, path] = key.split(' ');
    paths[path] = { [method.toLowerCase()]: operation(method.toLowerCase(), path, info) };
  }
  const schemas: Record<string, JsonSchema> = {};
  for (const [name, table] of Object.entries(RESOURCE_FIELDS)) schemas[name] = resourceSchema(name as ResourceName, table);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Anvil — OpenStack Ironic v1 baremetal API',
      version: fmt(maxMinor),
      description:
        `Microversions ${fmt(MIN_MINOR)}–${fmt(maxMinor)} (header X-OpenStack-Ironic-API-Version). Fields, query ` +
        'parameters and routes newer than the requested version are omitted or refused; each field names the ' +
        'version that introduced it in x-openstack-ironic-since. Request bodies are the validators the API runs.',
    },
    paths,
    components: {
      schemas,
      parameters: {
        microversion: {
          name: 'X-OpenStack-Ironic-API-Version',
          in: 'header',
          required: false,
          schema: { enum: ['latest', ...Array.from({ length: maxMinor - MIN_MINOR + 1 }, (_, i) => fmt(MIN_MINOR + i))] },
          description: `"1.N" (${fmt(MIN_MINOR)}–${fmt(maxMinor)}) or "latest"; absent means ${fmt(MIN_MINOR)}`,
        },
      },
      responses: { error: { description: 'an Ironic error', content: jsonContent(ERROR_BODY) } },
    },
  };
}
