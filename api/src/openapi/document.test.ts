/**
 * /v1/openapi.json over real HTTP (SQLite, real registry): every route the Koa router holds is in the document,
 * bodies are the validators' schemas, fields carry their microversion, and the joi → JSON Schema conversion keeps
 * what joi accepts (checked value by value against the validators).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Router from '@koa/router';
import Joi from 'joi';
import { DEFAULT_SETTINGS } from '@anvil/sdk';
import { testEngines } from '@anvil/db/testing';
import { startTestApi, type TestApi } from '../testing.ts';
import { ROUTE_MODULES } from '../routes/index.ts';
import type { RouteDeps } from '../context.ts';
import { NODE_CREATE_SCHEMA } from '../validate/node.ts';
import { PORT_SCHEMA } from '../validate/port.ts';
import { ALL_METHODS } from './document.ts';
import { MIDDLEWARE_OPERATIONS } from './operations.ts';
import { joiToJsonSchema, regexToPattern } from './joi-schema.ts';

let api: TestApi;
let doc: any;

before(async () => {
  api = await startTestApi(testEngines()[0]);
  const r = await api.call('GET', '/v1/openapi.json');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /application\/json/);
  doc = r.body;
});
after(async () => api?.close());

test('every registered Koa route (each method) is an operation of the document', () => {
  const router = new Router();
  for (const m of ROUTE_MODULES) m.register(router as never, { settings: DEFAULT_SETTINGS, maxMinor: 82 } as unknown as RouteDeps);
  const seen = new Set<string>();
  for (const layer of router.stack) {
    const path = String(layer.path).replace(/:(\w+)/g, '{$1}');
    const methods = layer.methods.filter((m) => m !== 'HEAD').map((m) => m.toLowerCase());
    for (const m of methods.length > 10 ? ALL_METHODS : methods) {
      seen.add(`${m} ${path}`);
      assert.ok(doc.paths[path]?.[m], `${m.toUpperCase()} ${path} is missing from /v1/openapi.json`);
    }
  }
  const n = seen.size;
  assert.ok(n > 150, `only ${n} routes seen`);
  const ops = Object.values(doc.paths).flatMap((p: any) => Object.values(p));
  assert.equal(ops.length, n + Object.keys(MIDDLEWARE_OPERATIONS).length, 'no operation without a route');
  for (const p of ['/healthz', '/readyz', '/metrics']) assert.ok(doc.paths[p].get, `${p} (middleware/ops.ts)`);
  const ids = ops.map((o: any) => o.operationId);
  assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
});

test('3.1 document: path parameters declared, Ironic error responses, microversion header', () => {
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(doc.info.version, '1.115');
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    for (const op of Object.values<any>(item)) {
      const declared = op.parameters.filter((p: any) => p.in === 'path').map((p: any) => p.name);
      assert.deepEqual(declared, names, path);
      assert.ok(op.responses['4XX'] && op.parameters.some((p: any) => p.$ref === '#/components/parameters/microversion'));
    }
  }
  assert.equal(doc.paths['/v1/nodes'].post.responses['201'].content['application/json'].schema.$ref, '#/components/schemas/node');
  assert.equal(doc.paths['/v1/nodes/{ident}'].delete.responses['204'].content, undefined);
});

test('microversion-dependent fields and query parameters name their version', () => {
  const node = doc.components.schemas.node.properties;
  assert.equal(node.owner['x-openstack-ironic-since'], '1.50');
  assert.equal(node.shard['x-openstack-ironic-since'], '1.82');
  assert.equal(node.traits['x-openstack-ironic-since'], '1.37');
  assert.equal(doc.components.schemas.allocation.properties.owner['x-openstack-ironic-since'], '1.60');
  assert.deepEqual(node.maintenance.type, ['boolean', 'null'], 'typed by NODE_CREATE_SCHEMA');
  assert.deepEqual(node.driver_info.type, ['object', 'null']);
  assert.equal(node.provision_state.type, undefined, 'no validator, no type claimed');
  assert.deepEqual(doc.components.schemas.target.properties.boot_index.type, ['integer', 'null']);
  const q = doc.paths['/v1/nodes'].get.parameters.find((p: any) => p.name === 'conductor_group');
  assert.equal(q['x-openstack-ironic-since'], '1.46');
});

test('request bodies are the validators: node create from NODE_CREATE_SCHEMA', () => {
  const body = doc.paths['/v1/nodes'].post.requestBody;
  assert.equal(body.required, true);
  const s = body.content['application/json'].schema;
  assert.deepEqual(s, JSON.parse(JSON.stringify(joiToJsonSchema(NODE_CREATE_SCHEMA))));
  assert.deepEqual(s.required, ['driver']);
  assert.equal(s.additionalProperties, false);
  assert.deepEqual(Object.keys(s.properties).sort(), Object.keys(NODE_CREATE_SCHEMA.describe().keys).sort());
  assert.equal(doc.paths['/v1/nodes/{ident}'].patch.requestBody.content['application/json'].schema.type, 'array');
});

test('joi → JSON Schema accepts what joi accepts (values checked against both)', () => {
  const port = joiToJsonSchema(PORT_SCHEMA) as any;
  const mac = new RegExp(port.properties.address.pattern);
  for (const v of ['52:54:00:AB:cd:01', '52-54-00-ab-cd-01']) {
    assert.equal(PORT_SCHEMA.extract('address').validate(v).error, undefined);
    assert.ok(mac.test(v), v);
  }
  assert.ok(!mac.test('52:54:00:ab:cd'));
  const uuidRe = new RegExp(regexToPattern('/^[0-9a-f]{8}-?[0-9a-f]{4}$/i'));
  assert.ok(uuidRe.test('ABCDEF01-0a0B') && !uuidRe.test('ABCDEG01-0a0B'));
  const bool = (joiToJsonSchema(NODE_CREATE_SCHEMA) as any).properties.maintenance;
  assert.deepEqual(bool.anyOf[2], undefined);
  assert.equal(bool.anyOf[1].type, 'null');
  assert.ok(bool.anyOf[0].anyOf[1].enum.includes('yes'));
  const cg = (joiToJsonSchema(NODE_CREATE_SCHEMA) as any).properties.conductor_group;
  assert.deepEqual(cg.anyOf.map((a: any) => a.type ?? a.enum), ['string', 'null', ['']]);
  const alt = joiToJsonSchema(Joi.alternatives(Joi.number().integer().min(0), Joi.string().pattern(/^\d+$/)));
  assert.deepEqual(alt, { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', minLength: 1, pattern: '^\\d+$' }] });
});

test('public in every auth mode, and answered at 1.1 and with the .json kept (≥ 1.91 paths)', async () => {
  const r = await api.call('GET', '/v1/openapi.json', undefined, null);
  assert.equal(r.status, 200);
  assert.equal(r.body.openapi, '3.1.0');
  const raw = await fetch(`${api.url}/v1/openapi`);
  assert.equal(raw.status, 200);
});
