import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { buildConfigDriveFromDict, configDriveForInstanceInfo, configDriveImage, decodeFromApi, dictDriveFiles, encodeForApi, validateApiConfigDrive } from './api-form.ts';
import { ConfigDriveTooLarge, InvalidConfigDrive } from './errors.ts';
import { buildIso } from './iso9660/writer.ts';
import { buildVfat } from './vfat/writer.ts';

const T = new Date('2024-01-02T03:04:05Z');
const node = { uuid: '1be26c0b-03f2-4d2e-ae87-c02d7f33c123', name: 'node-0' };

test('encodeForApi/decodeFromApi round-trip ISO and VFAT images', () => {
  const iso = buildIso([{ path: 'a', data: 'x' }], { time: T });
  const s = encodeForApi(iso);
  assert.match(s, /^[A-Za-z0-9+/]+=*$/);
  assert.deepEqual(gunzipSync(Buffer.from(s, 'base64')), iso);
  const d = decodeFromApi(s.replace(/(.{60})/g, '$1\n'));
  assert.equal(d.format, 'iso9660');
  assert.deepEqual(d.image, iso);
  const vfat = buildVfat([{ path: 'a', data: 'x' }], { time: T });
  assert.equal(decodeFromApi(encodeForApi(vfat)).format, 'vfat');
});

test('decodeFromApi: clear errors for every bad layer', () => {
  const inv = (s: string, re: RegExp) => assert.throws(() => decodeFromApi(s), (e: Error) => e instanceof InvalidConfigDrive && re.test(e.message));
  inv('', /empty/);
  inv('not base64!!', /not base64 encoded/);
  inv(Buffer.from('plain text, no gzip').toString('base64'), /base64 but not gzip-compressed/);
  inv(gzipSync('hello').toString('base64'), /gzip data but not an ISO9660 or VFAT image/);
  inv(gzipSync(Buffer.alloc(40000)).subarray(0, 30).toString('base64'), /gzip data is corrupt/);
  inv('http://example.invalid/cd.iso', /is a URL/);
  const bomb = gzipSync(Buffer.alloc(65 * 1048576)).toString('base64');
  assert.throws(() => decodeFromApi(bomb), (e: Error) => e instanceof ConfigDriveTooLarge && /exceeds maximum limit of 64MiB/.test(e.message));
});

test('validateApiConfigDrive: strings, URLs and the dict form', () => {
  validateApiConfigDrive('H4sIAAAA\nAAA=');
  validateApiConfigDrive('https://example.invalid/x');
  validateApiConfigDrive({ meta_data: {}, user_data: ['a'], network_data: {}, vendor_data: {} });
  validateApiConfigDrive({ user_data: null });
  assert.throws(() => validateApiConfigDrive('not*base64'), /gzipped and base64 encoded string/);
  assert.throws(() => validateApiConfigDrive({ meta: {} }), /unexpected key 'meta'/);
  assert.throws(() => validateApiConfigDrive({ meta_data: 'x' }), /meta_data must be an object/);
  assert.throws(() => validateApiConfigDrive({ user_data: 5 }), /user_data must be/);
  assert.throws(() => validateApiConfigDrive(42), /expected a string or an object/);
});

test('dict form: files as Ironic builds them (2012-08-10 + latest, vendor_data2.json, defaults from the node)', () => {
  const files = dictDriveFiles({ meta_data: { hostname: 'h' }, user_data: { a: [1, 'é'] }, network_data: {}, vendor_data: { v: 1 } }, node);
  assert.deepEqual(files.map((f) => f.path), [
    'openstack/2012-08-10/meta_data.json',
    'openstack/2012-08-10/vendor_data2.json',
    'openstack/2012-08-10/user_data',
    'openstack/latest/meta_data.json',
    'openstack/latest/vendor_data2.json',
    'openstack/latest/user_data',
  ]);
  assert.equal(files[0].data, `{"hostname": "h", "uuid": "${node.uuid}", "name": "node-0"}`);
  assert.equal(Buffer.from(files[2].data).toString(), '{"a": [1, "\\u00e9"]}');
  const keep = dictDriveFiles({ meta_data: { uuid: 'mine' }, user_data: '#!/bin/sh\n', network_data: { links: [] } }, { uuid: node.uuid });
  assert.equal(keep[0].data, '{"uuid": "mine"}');
  assert.equal(keep[1].path, 'openstack/2012-08-10/network_data.json');
  assert.equal(Buffer.from(keep[2].data).toString(), '#!/bin/sh\n');
});

test('buildConfigDriveFromDict gives a config-2 ISO published as openstacksdk does', () => {
  const iso = buildConfigDriveFromDict({ meta_data: {} }, node, { time: T });
  assert.equal(iso.toString('latin1', 16 * 2048 + 40, 16 * 2048 + 48), 'config-2');
  assert.equal(iso.toString('latin1', 16 * 2048 + 318, 16 * 2048 + 328), 'metalsmith');
  assert.throws(() => buildConfigDriveFromDict({ bogus: 1 } as never, node), /unexpected key 'bogus'/);
});

test('conductor helpers: instance_info string and the image to write', () => {
  const s = configDriveForInstanceInfo({ meta_data: { hostname: 'h' } }, node, { time: T });
  const { image, format } = configDriveImage(s, node);
  assert.equal(format, 'iso9660');
  assert.deepEqual(image, buildConfigDriveFromDict({ meta_data: { hostname: 'h' } }, node, { time: T }));
  assert.equal(configDriveForInstanceInfo('H4sI', node), 'H4sI');
  assert.equal(configDriveForInstanceInfo('http://x.invalid/cd', node), 'http://x.invalid/cd');
  assert.deepEqual(configDriveImage({ meta_data: {} }, node, { time: T }).image, buildConfigDriveFromDict({}, node, { time: T }));
  assert.throws(() => configDriveImage('http://x.invalid/cd', node), /is a URL/);
  assert.throws(() => configDriveForInstanceInfo({ nope: 1 } as never, node), /unexpected key/);
});
