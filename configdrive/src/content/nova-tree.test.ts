import assert from 'node:assert/strict';
import { test } from 'node:test';
import { novaDriveFiles } from './nova-tree.ts';

const md = { uuid: '83679162-1378-4288-a2d4-70e13ec132aa', name: 'web-1', hostname: 'web-1.novalocal', availability_zone: 'nova', launch_index: 0, project_id: 'p1', devices: [{ type: 'nic', mac: 'm', vlan: 100, vf_trusted: true, tags: [] }], keys: [{ name: 'k', type: 'ssh', data: 'ssh-ed25519 AAAA k' }], public_keys: { k: 'ssh-ed25519 AAAA k' }, meta: { role: 'web' }, dedicated_cpus: [] };
const seed = Buffer.alloc(512, 1);

test('Nova tree: every version folder with the files Nova writes for it', () => {
  const files = novaDriveFiles({ metaData: md, userData: '#cloud-config\n', networkData: { links: [], networks: [], services: [] }, randomSeed: seed, files: [{ path: '/etc/motd', contents: 'hi' }] });
  const paths = files.map((f) => f.path as string);
  assert.equal(new Set(paths).size, paths.length);
  for (const v of ['2009-04-04', 'latest']) for (const f of ['meta-data.json', 'user-data']) assert.ok(paths.includes(`ec2/${v}/${f}`), `ec2/${v}/${f}`);
  const has = (v: string, f: string) => paths.includes(`openstack/${v}/${f}`);
  for (const v of ['2012-08-10', '2013-04-04', '2013-10-17', '2015-10-15', '2016-06-30', '2016-10-06', '2017-02-22', '2018-08-27', '2020-10-14', 'latest']) {
    assert.ok(has(v, 'meta_data.json') && has(v, 'user_data'), v);
    assert.equal(has(v, 'vendor_data.json'), v >= '2013-10-17');
    assert.equal(has(v, 'network_data.json'), v >= '2015-10-15');
    assert.equal(has(v, 'vendor_data2.json'), v >= '2016-10-06');
  }
  assert.ok(paths.includes('openstack/content/0000'));
  assert.equal(paths.length, 4 + 10 * 2 + 8 + 7 + 5 + 1);
});

test('meta_data.json keys follow the version that introduced them', () => {
  const files = novaDriveFiles({ metaData: md, randomSeed: seed, files: [{ path: '/etc/motd', contents: 'hi' }] });
  const meta = (v: string) => JSON.parse(String(files.find((f) => f.path === `openstack/${v}/meta_data.json`)!.data));
  assert.deepEqual(Object.keys(meta('2012-08-10')).sort(), ['availability_zone', 'files', 'hostname', 'keys', 'launch_index', 'meta', 'name', 'public_keys', 'uuid']);
  assert.ok('random_seed' in meta('2013-04-04') && !('project_id' in meta('2013-04-04')));
  assert.ok('project_id' in meta('2015-10-15') && !('devices' in meta('2015-10-15')));
  assert.ok('devices' in meta('2016-06-30') && !('dedicated_cpus' in meta('2018-08-27')));
  assert.ok('dedicated_cpus' in meta('latest'));
  assert.deepEqual(meta('2016-06-30').devices, [{ type: 'nic', mac: 'm', tags: [] }], 'no vlan/vf_trusted before Ocata');
  assert.deepEqual(meta('2017-02-22').devices, [{ type: 'nic', mac: 'm', vlan: 100, tags: [] }], 'vlan from Ocata');
  assert.deepEqual(meta('2018-08-27').devices, [{ type: 'nic', mac: 'm', vlan: 100, vf_trusted: true, tags: [] }], 'vf_trusted from Rocky');
  assert.equal(meta('latest').random_seed, seed.toString('base64'));
  assert.deepEqual(meta('latest').files, [{ path: '/etc/motd', content_path: '/content/0000' }]);
  assert.ok(!files.some((f) => String(f.path).endsWith('user_data')), 'no user_data without user data');
  assert.ok(!files.some((f) => String(f.path).endsWith('network_data.json')), 'no network_data.json without network data');
  const ec2 = JSON.parse(String(files.find((f) => f.path === 'ec2/latest/meta-data.json')!.data));
  assert.equal(ec2.hostname, 'web-1.novalocal');
  assert.deepEqual(ec2['public-keys'], { '0': { 'openssh-key': 'ssh-ed25519 AAAA k' } });
  assert.deepEqual(ec2.placement, { 'availability-zone': 'nova' });
});

test('bad Nova input: uuid, network_data shape, injected path', () => {
  assert.throws(() => novaDriveFiles({ metaData: { name: 'x' } }), /meta_data.uuid must be a UUID/);
  assert.throws(() => novaDriveFiles({ metaData: md, networkData: { links: {} } }), /network_data.links must be a list/);
  assert.throws(() => novaDriveFiles({ metaData: md, files: [{ path: 'rel', contents: '' }] }), /must be absolute/);
});
