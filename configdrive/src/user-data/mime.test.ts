import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { buildMimeMultipart, checkUserDataSize, detectPartType, gzipUserData } from './mime.ts';

test('detectPartType from the first line', () => {
  assert.equal(detectPartType('#cloud-config\n'), 'cloud-config');
  assert.equal(detectPartType('#!/bin/sh\n'), 'x-shellscript');
  assert.equal(detectPartType('#include\nhttp://x\n'), 'x-include-url');
  assert.equal(detectPartType('#cloud-boothook\n'), 'cloud-boothook');
  assert.equal(detectPartType('#part-handler\n'), 'part-handler');
  assert.equal(detectPartType('#upstart-job\n'), 'upstart-job');
  assert.equal(detectPartType('#cloud-config-archive\n'), 'cloud-config-archive');
  assert.equal(detectPartType('hello'), null);
});

test('buildMimeMultipart: headers, boundary, 7bit and base64 parts', () => {
  const out = buildMimeMultipart([{ content: '#cloud-config\nhostname: a\n' }, { content: '#!/bin/sh\necho é\n', filename: 'run.sh' }], { boundary: 'BOUND' }).toString('latin1');
  assert.ok(out.startsWith('Content-Type: multipart/mixed; boundary="BOUND"\nMIME-Version: 1.0\n\n--BOUND\n'));
  assert.match(out, /Content-Type: text\/cloud-config; charset="us-ascii"\nMIME-Version: 1.0\nContent-Transfer-Encoding: 7bit\nContent-Disposition: attachment; filename="part-001"\n\n#cloud-config\nhostname: a\n--BOUND\n/);
  assert.match(out, /Content-Type: text\/x-shellscript; charset="utf-8"\n.*\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="run.sh"\n\n/);
  assert.ok(out.includes(Buffer.from('#!/bin/sh\necho é\n').toString('base64')));
  assert.ok(out.endsWith('--BOUND--\n'));
  assert.throws(() => buildMimeMultipart([{ content: 'no marker' }]), /no known type/);
  assert.throws(() => buildMimeMultipart([]), /at least one part/);
  const a = buildMimeMultipart([{ content: '#cloud-config\n' }]);
  assert.deepEqual(a, buildMimeMultipart([{ content: '#cloud-config\n' }]), 'default boundary is deterministic');
});

test('gzip and size checks', () => {
  assert.equal(gunzipSync(gzipUserData('#cloud-config\n')).toString(), '#cloud-config\n');
  checkUserDataSize(Buffer.alloc(49149), { novaLimit: true });
  assert.throws(() => checkUserDataSize(Buffer.alloc(49152), { novaLimit: true }), /Nova's limit of 65535/);
  assert.throws(() => checkUserDataSize(Buffer.alloc(11), { limit: 10 }), /over the limit of 10/);
});
