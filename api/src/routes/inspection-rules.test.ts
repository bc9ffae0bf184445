/** /v1/inspection_rules (1.96) as Ironic 39 answers it: gates, CRUD, default list fields, sensitive rules, 400s. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testEngines } from '@anvil/db/testing';
import { startTestApi, type TestApi } from '../testing.ts';

const [sqlite] = testEngines();
let api: TestApi;
const fault = (r: { error: any }) => r.error?.faultstring ?? r.error?.description;

before(async () => {
  api = await startTestApi(sqlite, {}, 96);
});
after(() => api?.close());

const RULE = {
  description: 'gpu nodes',
  priority: 20,
  conditions: [{ op: 'contains', args: { value: '{inventory[cpu][model_name]}', regex: 'Xeon' } }],
  actions: [{ op: 'add-trait', args: { name: 'CUSTOM_XEON' } }],
};

test('below 1.96: GET 404, other methods 405', async () => {
  for (const [m, s] of [['GET', 404], ['POST', 405], ['PATCH', 405], ['DELETE', 405]] as const) {
    const path = m === 'PATCH' || m === 'DELETE' ? '/v1/inspection_rules/1be26c0b-03f2-4d2e-ae87-c02d7f33c123' : '/v1/inspection_rules';
    const r = await api.call(m, path, m === 'GET' || m === 'DELETE' ? undefined : m === 'PATCH' ? [] : {}, '1.95');
    assert.equal(r.status, s, m);
    assert.match(JSON.stringify(r.body), /The API version does not allow inspection rules/);
  }
});

test('create, show, list (default fields, detail, fields), patch, delete', async () => {
  const c = await api.call('POST', '/v1/inspection_rules', RULE);
  assert.equal(c.status, 201);
  const uuid = c.body.uuid;
  assert.equal(c.headers.get('location'), `${api.url}/v1/inspection_rules/${uuid}`);
  assert.deepEqual(Object.keys(c.body).sort(), ['actions', 'conditions', 'created_at', 'description', 'links', 'phase', 'priority', 'sensitive', 'updated_at', 'uuid']);
  assert.deepEqual(c.body.actions, [{ op: 'add-trait', args: { name: 'CUSTOM_XEON' } }]);
  assert.equal(c.body.phase, 'main');
  assert.equal(c.body.sensitive, false);
  assert.equal(c.body.links[0].href, `${api.url}/v1/inspection/${uuid}`);
  const list = await api.call('GET', '/v1/inspection_rules');
  assert.deepEqual(Object.keys(list.body.inspection_rules[0]).sort(), ['description', 'links', 'phase', 'priority', 'uuid']);
  assert.ok((await api.call('GET', '/v1/inspection_rules?detail=true')).body.inspection_rules[0].actions);
  assert.deepEqual(Object.keys((await api.call('GET', '/v1/inspection_rules?fields=uuid,priority')).body.inspection_rules[0]).sort(), ['links', 'priority', 'uuid']);
  const p = await api.call('PATCH', `/v1/inspection_rules/${uuid}`, [{ op: 'replace', path: '/priority', value: 30 }, { op: 'replace', path: '/sensitive', value: true }]);
  assert.equal(p.status, 200);
  assert.equal(p.body.priority, 30);
  assert.equal(p.body.conditions, null); // sensitive rules hide conditions and actions
  assert.equal(p.body.actions, null);
  const unset = await api.call('PATCH', `/v1/inspection_rules/${uuid}`, [{ op: 'replace', path: '/sensitive', value: false }]);
  assert.equal(unset.status, 400);
  assert.match(fault(unset), /cannot have the sensitive flag unset/);
  assert.equal((await api.call('DELETE', `/v1/inspection_rules/${uuid}`)).status, 204);
  assert.equal((await api.call('GET', `/v1/inspection_rules/${uuid}`)).status, 404);
});

test('invalid rules → 400 with Ironic-style messages', async () => {
  const cases: [unknown, RegExp][] = [
    [{ actions: [{ op: 'nope', args: {} }] }, /'nope' is not one of/],
    [{ ...RULE, priority: -1 }, /^Schema error: -1 is less than the minimum of 0$/],
    [{ ...RULE, phase: 'early' }, /Invalid phase: early/],
    [{ ...RULE, actions: [{ op: 'add-trait', args: { nam: 'X' } }] }, /missing required argument\(s\): name; unexpected argument\(s\): nam/],
    [{ conditions: [] }, /'actions' is a required property/],
    [{ ...RULE, bogus: 1 }, /Additional properties are not allowed/],
  ];
  for (const [body, re] of cases) {
    const r = await api.call('POST', '/v1/inspection_rules', body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.match(fault(r), re);
  }
  assert.equal((await api.call('GET', '/v1/inspection_rules/not-a-uuid')).status, 400);
});
