import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_MINOR, VersionNotAcceptable, parseMicroversion, versionHeaders } from './microversion.ts';

test('compute microversions as Nova negotiates them', () => {
  assert.deepEqual(parseMicroversion({}), { minor: 1 }, 'absent → 2.1');
  assert.deepEqual(parseMicroversion({ 'openstack-api-version': 'compute 2.26' }), { minor: 26 });
  assert.deepEqual(parseMicroversion({ 'x-openstack-nova-api-version': '2.9' }), { minor: 9 }, 'legacy header');
  assert.deepEqual(parseMicroversion({ 'openstack-api-version': 'volume 3.5, compute latest' }), { minor: MAX_MINOR });
  assert.throws(() => parseMicroversion({ 'openstack-api-version': 'compute 2.99' }), VersionNotAcceptable);
  assert.throws(() => parseMicroversion({ 'x-openstack-nova-api-version': '3.0' }), /Invalid API version request string/);
  assert.deepEqual(versionHeaders({ minor: 47 }), {
    'OpenStack-API-Version': 'compute 2.47',
    'X-OpenStack-Nova-API-Version': '2.47',
    Vary: 'OpenStack-API-Version, X-OpenStack-Nova-API-Version',
  });
});
