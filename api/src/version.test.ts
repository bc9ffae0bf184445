import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseVersionHeader, settingMaxMinor, versionErrors } from './version.ts';

test('version header parsing', () => {
  assert.deepEqual(parseVersionHeader('latest'), { kind: 'latest' });
  assert.deepEqual(parseVersionHeader(' LaTeSt '), { kind: 'latest' });
  assert.deepEqual(parseVersionHeader('1.46'), { kind: 'version', major: 1, minor: 46 });
  assert.deepEqual(parseVersionHeader('2.0'), { kind: 'version', major: 2, minor: 0 });
  for (const bad of ['1', '1.', '1.x', 'v1.2', '1.2.3', '']) assert.deepEqual(parseVersionHeader(bad), { kind: 'invalid' }, bad);
});

test('api_max_version setting', () => {
  assert.equal(settingMaxMinor(undefined), undefined);
  assert.equal(settingMaxMinor(''), undefined);
  assert.equal(settingMaxMinor('1.82'), 82);
  assert.throws(() => settingMaxMinor('2.1'), /api_max_version/);
  assert.throws(() => settingMaxMinor('1.0'), /api_max_version/);
});

test("Ironic's 406 texts", () => {
  const e = versionErrors(1, 82);
  assert.equal(e.minor('1.99'), 'Version 1.99 was requested but the minor version is not supported by this service. The supported version range is: [1.1, 1.82].');
  assert.equal(e.major('2.1'), 'Mutually exclusive versions requested. Version 2.1 requested but not supported by this service. The supported version range is: [1.1, 1.82].');
  assert.equal(e.invalid, 'Invalid value for X-OpenStack-Ironic-API-Version header');
});
