import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseReadVersion, chooseWriteVersion } from './microversion.ts';

test('reads use min(1.76, server max) like openstacksdk', () => {
  assert.equal(chooseReadVersion('1.1', '1.82'), '1.76');
  assert.equal(chooseReadVersion('1.1', '1.60'), '1.60');
  assert.equal(chooseReadVersion('1.80', '1.90'), null, 'server minimum above 1.76 → no header');
  assert.equal(chooseReadVersion(null, null), null, 'no max advertised → no header');
});

test('writes take the highest of 1.46/1.38 the server supports like ironicclient', () => {
  assert.equal(chooseWriteVersion('1.1', '1.82'), '1.46');
  assert.equal(chooseWriteVersion('1.1', '1.45'), '1.38');
  assert.equal(chooseWriteVersion('1.1', '1.37'), null);
  assert.equal(chooseWriteVersion('1.50', '1.82'), null);
});
