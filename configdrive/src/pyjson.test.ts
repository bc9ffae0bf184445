import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJson, pyJsonDumps } from './pyjson.ts';

test('Python json.dumps formatting: separators and ASCII escapes', () => {
  assert.equal(pyJsonDumps({ a: 1, b: [true, null, 'x'], c: {} }), '{"a": 1, "b": [true, null, "x"], "c": {}}');
  assert.equal(pyJsonDumps('é\u2028"\\\n\u0001\u007f'), '"\\u00e9\\u2028\\"\\\\\\n\\u0001\\u007f"');
  assert.equal(pyJsonDumps('😀'), '"\\ud83d\\ude00"');
  assert.equal(pyJsonDumps(1.5), '1.5');
  assert.equal(pyJsonDumps(1e-7), '1e-07');
  assert.equal(pyJsonDumps([]), '[]');
});

test('parseJson names what was invalid', () => {
  assert.deepEqual(parseJson('{"a": 1}', 'meta_data'), { a: 1 });
  assert.throws(() => parseJson('{"a": ', 'meta_data'), /meta_data is not valid JSON/);
  assert.throws(
    () => parseJson('{"admin_pass": "hunter2" x}', 'meta_data'),
    (e: Error) => /meta_data is not valid JSON/.test(e.message) && !e.message.includes('hunter2'),
  );
});
