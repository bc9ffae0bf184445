import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskDriverInfo, maskDriverInternalInfo, maskInstanceInfo, maskString } from './mask.ts';

test('driver_info secrets are masked by key, recursively, others kept', () => {
  const out = maskDriverInfo({
    ipmi_address: '10.0.0.1',
    ipmi_password: 'p4ss',
    redfish_password: 'x',
    my_token: 't',
    nested: { SSL_Key_File: 'k', user: 'admin', ssLKey: 'abc' },
    list: ['password=1'],
  });
  assert.deepEqual(out, {
    ipmi_address: '10.0.0.1',
    ipmi_password: '******',
    redfish_password: '******',
    my_token: '******',
    nested: { SSL_Key_File: 'k', user: 'admin', ssLKey: '******' },
    list: ['password=1'],
  });
});

test('instance_info: configdrive and image_url masked when non-empty', () => {
  assert.deepEqual(maskInstanceInfo({ configdrive: { user_data: 'x' }, image_url: 'http://x/y', image_source: 'glance://z', root_gb: 10 }), {
    configdrive: '******',
    image_url: '******',
    image_source: 'glance://z',
    root_gb: 10,
  });
  assert.deepEqual(maskInstanceInfo({ configdrive: '', image_url: '' }), { configdrive: '******', image_url: '' });
});

test('agent_secret_token masked; strings scrubbed', () => {
  assert.deepEqual(maskDriverInternalInfo({ agent_secret_token: 'abc', agent_url: 'u' }), { agent_secret_token: '******', agent_url: 'u' });
  assert.equal(maskString('ipmitool -U admin --password hunter2 -H x'), 'ipmitool -U admin --password ****** -H x');
  assert.equal(maskString('user=a password=hunter2&x=1'), 'user=a password=******&x=1');
  assert.equal(maskString('nothing here'), 'nothing here');
});
