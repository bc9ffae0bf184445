import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromDbDate, fromRow, isUuidLike, sortable, type TableSpec, toDbDate, toRow } from './codec.ts';
import { parseUniqueViolation, uniqueIndexName } from './errors.ts';
import { maskUrl, parseMysqlUrl } from './dialect/mysql.ts';

const SPEC: TableSpec = {
  table: 'things',
  label: 'Thing',
  columns: ['name', 'info', 'tags', 'maybe', 'on', 'at'],
  json: { info: 'object', tags: 'array', maybe: 'nullable' },
  bools: ['on'],
  dates: ['at'],
  derived: ['thing_uuid'],
};

test('dates: any input → DB UTC seconds → Ironic ISO with +00:00', () => {
  assert.equal(toDbDate(new Date('2026-11-26T03:20:54.999Z')), '2026-11-26 03:20:54');
  assert.equal(toDbDate('2026-11-26T05:20:54+02:00'), '2026-11-26 03:20:54');
  assert.equal(toDbDate('2026-11-26 03:20:54'), '2026-11-26 03:20:54');
  assert.equal(toDbDate(null), null);
  assert.throws(() => toDbDate('yesterday'), { code: 'InvalidParameterValue' });
  assert.equal(fromDbDate('2026-11-26 03:20:54'), '2026-11-26T03:20:54+00:00');
  assert.equal(fromDbDate(null), null);
});

test('rows: JSON, booleans, dates, derived and unknown keys', () => {
  const row = toRow(SPEC, { name: 'a', info: { x: [1] }, tags: ['t'], maybe: null, on: true, at: '2026-01-01T00:00:00Z', thing_uuid: 'dropped' });
  assert.deepEqual(row, { name: 'a', info: '{"x":[1]}', tags: '["t"]', maybe: null, on: 1, at: '2026-01-01 00:00:00' });
  assert.throws(() => toRow(SPEC, { nope: 1 }), { code: 'InvalidParameterValue', message: "Thing has no field 'nope'." });
  assert.throws(() => toRow(SPEC, { info: [1] }), { code: 'InvalidParameterValue' });
  assert.throws(() => toRow(SPEC, { tags: {} }), { code: 'InvalidParameterValue' });
  assert.deepEqual(toRow(SPEC, { info: null, tags: null }), { info: '{}', tags: '[]' });
  const rec = fromRow<Record<string, unknown>>(SPEC, { id: 3, name: 'a', info: null, tags: null, maybe: null, on: 0, at: '2026-01-01 00:00:00' });
  assert.deepEqual(rec, { id: 3, name: 'a', info: {}, tags: [], maybe: null, on: false, at: '2026-01-01T00:00:00+00:00' });
  assert.deepEqual(sortable(SPEC), ['id', 'name', 'on', 'at']);
});

test('unique violations from both engines reduce to (table, columns)', () => {
  const sqlite = Object.assign(new Error('insert into ... - UNIQUE constraint failed: node_traits.node_id, node_traits.trait'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
  assert.deepEqual(parseUniqueViolation(sqlite), { table: 'node_traits', columns: ['node_id', 'trait'] });
  const maria = Object.assign(new Error("insert ... - Duplicate entry 'n1' for key 'uniq_nodes0name'"), { code: 'ER_DUP_ENTRY', errno: 1062 });
  assert.deepEqual(parseUniqueViolation(maria), { table: 'nodes', columns: ['name'] });
  const mysql8 = Object.assign(new Error("Duplicate entry 'x-1' for key 'volume_connectors.uniq_volume_connectors0type0connector_id'"), { errno: 1062 });
  assert.deepEqual(parseUniqueViolation(mysql8), { table: 'volume_connectors', columns: ['type', 'connector_id'] });
  assert.equal(parseUniqueViolation(new Error('boom')), null);
  assert.equal(uniqueIndexName('nodes', ['instance_uuid']), 'uniq_nodes0instance_uuid');
});

test('mysql URLs: parsed, validated, masked', () => {
  assert.deepEqual(parseMysqlUrl('mysql://u:p%40ss@db.example:3307/anvil'), { host: 'db.example', port: 3307, user: 'u', password: 'p@ss', database: 'anvil' });
  assert.equal(parseMysqlUrl('mysql+pymysql://u:p@h/anvil').port, 3306);
  assert.throws(() => parseMysqlUrl('mysql://u:p@h/'), { code: 'InvalidParameterValue' });
  assert.throws(() => parseMysqlUrl('postgres://u:p@h/x'), { code: 'InvalidParameterValue' });
  assert.equal(maskUrl('mysql://anvil:s3cret@127.0.0.1:3306/anvil'), 'mysql://anvil:***@127.0.0.1:3306/anvil');
});

test('uuid-like detection (ident lookups)', () => {
  assert.equal(isUuidLike('1be26c0b-03f2-4d2e-ae87-c02d7f33c123'), true);
  assert.equal(isUuidLike('1be26c0b03f24d2eae87c02d7f33c123'), true);
  assert.equal(isUuidLike('node-0'), false);
});
