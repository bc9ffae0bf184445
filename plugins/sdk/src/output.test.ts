/** The output formatter against what cliff (openstackclient) prints for the same data. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { type OutputOptions, formatList, formatObject, formatOne, splitOutputArgs } from './output.ts';

const o = (over: Partial<OutputOptions> = {}): OutputOptions => ({ format: 'table', columns: [], noindent: false, maxWidth: 0, printEmpty: false, ...over });
const names = ['UUID', 'Name', 'CPUs', 'Maintenance'];
const rows = [
  ['a1', 'node-0', 8, false],
  ['b2', null, 16, true],
];

test('table: prettytable layout, numbers right-aligned, None for null; an empty list prints nothing unless --print-empty', () => {
  assert.equal(
    formatList(names, rows, o()),
    ['+------+--------+------+-------------+', '| UUID | Name   | CPUs | Maintenance |', '+------+--------+------+-------------+', '| a1   | node-0 |    8 | False       |', '| b2   | None   |   16 | True        |', '+------+--------+------+-------------+'].join('\n'),
  );
  assert.equal(formatList(names, [], o()), '');
  assert.equal(formatList(['A'], [], o({ printEmpty: true })), ['+---+', '| A |', '+---+', '+---+'].join('\n'));
  assert.equal(formatOne(['name', 'extra'], ['n', { k: 'v' }], o()), ['+-------+------------+', '| Field | Value      |', '+-------+------------+', '| name  | n          |', "| extra | {'k': 'v'} |", '+-------+------------+'].join('\n'));
});

test('table --max-width wraps the wide columns, narrow ones keep their width', () => {
  const out = formatList(['id', 'text'], [[1, 'alpha beta gamma delta epsilon']], o({ maxWidth: 20 }));
  for (const line of out.split('\n')) assert.ok(line.length <= 20, line);
  assert.match(out, /\| {1,2}1 \| alpha beta/);
  assert.ok(out.includes('epsilon'));
});

test('value: one line per row, values separated by a space (a show: one value per line), as Python str()', () => {
  assert.equal(formatList(names, rows, o({ format: 'value' })), 'a1 node-0 8 False\nb2 None 16 True');
  assert.equal(formatOne(['a', 'b', 'c'], ['x', null, ['p', 1]], o({ format: 'value' })), "x\nNone\n['p', 1]");
});

test('json: a list of objects or one object; --noindent is Python json.dumps spacing', () => {
  assert.deepEqual(JSON.parse(formatList(names, rows, o({ format: 'json' }))), [
    { UUID: 'a1', Name: 'node-0', CPUs: 8, Maintenance: false },
    { UUID: 'b2', Name: null, CPUs: 16, Maintenance: true },
  ]);
  assert.equal(formatList(names, [], o({ format: 'json' })), '[]');
  assert.equal(formatObject({ a: 1, b: { c: [1, 'x'] } }, o({ format: 'json', noindent: true })), '{"a": 1, "b": {"c": [1, "x"]}}');
  assert.equal(formatObject({ a: 1 }, o({ format: 'json' })), '{\n  "a": 1\n}');
});

test('yaml: safe_dump block style with sorted keys', () => {
  assert.equal(formatObject({ b: 1, a: 'x' }, o({ format: 'yaml' })), 'a: x\nb: 1');
  assert.deepEqual(parseYaml(formatList(names, rows, o({ format: 'yaml' }))), [
    { UUID: 'a1', Name: 'node-0', CPUs: 8, Maintenance: false },
    { UUID: 'b2', Name: null, CPUs: 16, Maintenance: true },
  ]);
  assert.equal(formatList(names, [], o({ format: 'yaml' })), '[]');
});

test('-c: the command order, unknown names ignored, none recognised is an error naming the recognised ones', () => {
  assert.equal(formatList(names, rows, o({ format: 'value', columns: ['Name', 'UUID', 'nope'] })), 'a1 node-0\nb2 None');
  assert.throws(() => formatList(names, rows, o({ columns: ['nope'] })), {
    message: "No recognized column names in ['nope']. Recognized columns are ['UUID', 'Name', 'CPUs', 'Maintenance'].",
  });
  assert.equal(formatObject({ a: 1, b: 2 }, o({ format: 'json', columns: ['b'], noindent: true })), '{"b": 2}');
  assert.equal(formatObject({ a: 1 }, o(), () => 'custom'), 'custom');
  assert.match(formatObject({ a: 1 }, o({ columns: ['a'] }), () => 'custom'), /\| a {5}\| 1 {5}\|/);
});

test('splitOutputArgs takes every spelling out of argv and refuses a bad format like argparse', () => {
  const { output, rest } = splitOutputArgs(['list', '-f', 'json', '-c', 'UUID', '--column=Name', '--noindent', '--max-width', '80', 'x', '--print-empty'], {});
  assert.deepEqual(output, { format: 'json', columns: ['UUID', 'Name'], noindent: true, maxWidth: 80, printEmpty: true });
  assert.deepEqual(rest, ['list', 'x']);
  assert.equal(splitOutputArgs(['-fvalue']).output.format, 'value');
  assert.equal(splitOutputArgs(['--format=yaml']).output.format, 'yaml');
  assert.equal(splitOutputArgs([], { CLIFF_MAX_TERM_WIDTH: '100' }).output.maxWidth, 100);
  assert.throws(() => splitOutputArgs(['-f', 'csvx']), { message: "argument -f/--format: invalid choice: 'csvx' (choose from 'table', 'json', 'yaml', 'value')", status: 400 } as object);
  assert.throws(() => splitOutputArgs(['-c']), /option -c needs a value/);
});
