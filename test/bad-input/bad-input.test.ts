/**
 * Bad input, table-driven (cases.ts), on BOTH engines: SQLite and MariaDB (ANVIL_TEST_MYSQL_URL from
 * scripts/services/mariadb.sh). Every case: exact status, Ironic's error body, and no write (the whole visible
 * state is identical before and after).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '@anvil/db/testing';
import { startTestApi, type TestApi } from '@anvil/api/testing';
import { CASES, type Fixture } from './cases.ts';
import { setupBadInput, snapshot } from './fixture.ts';

assert.ok(CASES.length >= 30, 'the table has at least 30 cases');

for (const engine of testEngines()) {
  describe(`bad input on ${engine.engine}`, () => {
    let api: TestApi;
    let fixture: Fixture;
    let state: string;
    before(async () => {
      api = await startTestApi(engine, { max_body_bytes: 1024 * 1024 }, 82);
      const call = (m: string, p: string, b?: unknown) => api.call(m, p, b);
      fixture = await setupBadInput(call, {
        setNode: async (uuid, values) => void (await api.db.nodes.update(uuid, values as never)),
        reserve: async (uuid, host) => void (await api.db.nodes.reserve(uuid, host)),
      });
      state = await snapshot(call, fixture);
    });
    after(() => api?.close());

    for (const c of CASES) {
      test(`${c.method} ${c.name} → ${c.status}`, async () => {
        const body = c.raw ?? (c.body ? c.body(fixture) : undefined);
        const r = await api.call(c.method, c.path(fixture), body, c.version === undefined ? 'latest' : c.version);
        assert.equal(r.status, c.status, `status; body ${JSON.stringify(r.body)}`);
        assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
        assert.deepEqual(Object.keys(r.body), ['error_message']);
        assert.equal(typeof r.body.error_message, 'string');
        if (c.kind === 'fault') {
          assert.deepEqual(Object.keys(r.error).sort(), ['debuginfo', 'faultcode', 'faultstring']);
          assert.equal(r.error.faultcode, 'Client');
          assert.equal(r.error.debuginfo, null);
          assert.match(r.error.faultstring, c.message);
        } else {
          assert.deepEqual(Object.keys(r.error).sort(), ['code', 'description', 'title']);
          assert.equal(r.error.code, c.status);
          assert.match(r.error.description, c.message);
        }
        assert.match(r.headers.get('openstack-request-id') ?? '', /^req-/);
        assert.equal(await snapshot((m, p, b) => api.call(m, p, b), fixture), state, 'no partial write');
      });
    }
  });
}
