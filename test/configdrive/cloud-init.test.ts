/**
 * Debian's cloud-init reads our drives (ISO9660 via xorriso extraction, VFAT via mtools) as a config drive
 * v2 and returns our metadata, user-data, vendor data, injected files and network data, which it then
 * converts into its own network config.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildConfigDriveFromDict, buildIso, buildMimeMultipart, buildVfat, decodeFromApi, encodeForApi, gzipUserData, novaDriveFiles } from 'cloud-config-drive';
import { PYTHON, SAMPLE_META, SAMPLE_NETWORK, needTools, ok, scratch } from './peers.ts';

const T = new Date('2024-05-06T07:08:09Z');
const here = new URL('.', import.meta.url).pathname;
const seed = Buffer.alloc(512, 9);
const userData = buildMimeMultipart([
  { content: '#cloud-config\nhostname: web-1\nruncmd:\n  - [touch, /tmp/ok]\n' },
  { content: '#!/bin/sh\necho héllo\n' },
  { content: '#include\nhttp://127.0.0.1/x.yaml\n' },
  { content: '#cloud-boothook\n#!/bin/sh\necho boot\n' },
  { content: '#part-handler\ndef list_types():\n    return []\n' },
  { content: '#upstart-job\ndescription "x"\n' },
]);
const nova = novaDriveFiles({ metaData: SAMPLE_META, userData, networkData: SAMPLE_NETWORK, vendorData: { v: 'x' }, files: [{ path: '/etc/motd', contents: 'welcome\n' }], randomSeed: seed });

function readWithCloudInit(dir: string): Record<string, any> {
  return JSON.parse(ok(PYTHON, [join(here, 'read_drive.py'), dir]));
}

function extractIso(dir: string, image: Buffer): string {
  const iso = join(dir, 'd.iso');
  writeFileSync(iso, image);
  ok('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/', join(dir, 'mnt')]);
  return join(dir, 'mnt');
}

function checkNova(r: Record<string, any>): void {
  assert.equal(r.version, 2);
  for (const k of ['uuid', 'name', 'hostname', 'availability_zone', 'launch_index', 'project_id', 'public_keys', 'keys', 'meta', 'devices']) {
    assert.deepEqual(r.metadata[k], (SAMPLE_META as Record<string, unknown>)[k], k);
  }
  assert.equal(r.metadata['instance-id'], SAMPLE_META.uuid, 'cloud-init copies uuid to instance-id');
  assert.equal(r.metadata['local-hostname'], SAMPLE_META.hostname);
  assert.equal(r.metadata.random_seed, seed.toString('base64'));
  assert.equal(r.dsmode, 'local');
  assert.equal(r.userdata, userData.toString('utf8'));
  assert.deepEqual(r.userdata_parts.map((p: { type: string }) => p.type), ['text/cloud-config', 'text/x-shellscript', 'text/x-include-url', 'text/cloud-boothook', 'text/part-handler', 'text/upstart-job']);
  assert.equal(r.userdata_parts[1].payload, '#!/bin/sh\necho héllo\n');
  assert.deepEqual(r.vendordata, { v: 'x' });
  assert.deepEqual(r.vendordata2, { static: { v: 'x' } });
  assert.deepEqual(r.networkdata, SAMPLE_NETWORK);
  assert.deepEqual(r.files, { '/etc/motd': 'welcome\n' });
  assert.equal(r['ec2-metadata'].hostname, SAMPLE_META.hostname);
  assert.equal(r.json_as_python_dumps, true, `json files differ from Python json.dumps: ${r.json_mismatch}`);
  const cfg = r.network_config;
  assert.equal(cfg.version, 1);
  const phys = cfg.config.filter((c: { type: string }) => c.type === 'physical');
  assert.deepEqual(phys.map((p: { name: string; mac_address: string; mtu: number }) => [p.name, p.mac_address, p.mtu]), [['eth0', '52:54:00:12:34:56', 1500], ['eth1', '52:54:00:12:34:57', 9000]]);
  const subnets = phys[0].subnets;
  assert.equal(subnets[0].type, 'static');
  assert.equal(subnets[0].address, '10.0.0.5');
  assert.equal(subnets[0].netmask, '255.255.255.0');
  assert.deepEqual(subnets[0].routes, [{ network: '0.0.0.0', netmask: '0.0.0.0', gateway: '10.0.0.1' }]);
  assert.equal(subnets[1].type, 'static6');
  assert.equal(subnets[1].address, 'fd00::5');
  const vlan = cfg.config.find((c: { type: string }) => c.type === 'vlan');
  assert.equal(vlan.vlan_id, 100);
  assert.equal(vlan.vlan_link, 'eth1');
  assert.deepEqual(vlan.subnets, [{ type: 'dhcp4' }]);
  assert.deepEqual(cfg.config.find((c: { type: string }) => c.type === 'nameserver'), { type: 'nameserver', address: '8.8.8.8' });
}

test('cloud-init reads the Nova-layout ISO9660 drive', (t) => {
  if (!needTools(t, PYTHON, 'xorriso')) return;
  checkNova(readWithCloudInit(extractIso(scratch(t), buildIso(nova, { time: T }))));
});

test('cloud-init reads the Nova-layout VFAT drive (64 MiB, as Nova sizes it)', (t) => {
  if (!needTools(t, PYTHON, 'mcopy', 'fsck.vfat')) return;
  const dir = scratch(t);
  const img = join(dir, 'd.img');
  writeFileSync(img, buildVfat(nova, { time: T, sizeBytes: 64 * 1048576 }));
  ok('mkdir', ['-p', join(dir, 'mnt')]);
  ok('mcopy', ['-s', '-n', '-i', img, '::/ec2', '::/openstack', join(dir, 'mnt')]);
  checkNova(readWithCloudInit(join(dir, 'mnt')));
});

test('cloud-init reads what the API string decodes to (gzip+base64 round trip)', (t) => {
  if (!needTools(t, PYTHON, 'xorriso')) return;
  const { image, format } = decodeFromApi(encodeForApi(buildIso(nova, { time: T })));
  assert.equal(format, 'iso9660');
  checkNova(readWithCloudInit(extractIso(scratch(t), image)));
});

test('cloud-init reads the drive Ironic builds from the configdrive object', (t) => {
  if (!needTools(t, PYTHON, 'xorriso')) return;
  const node = { uuid: '1be26c0b-03f2-4d2e-ae87-c02d7f33c123', name: 'node-0' };
  const iso = buildConfigDriveFromDict({ meta_data: { hostname: 'h1', public_keys: { k: 'ssh-rsa AAA' } }, network_data: SAMPLE_NETWORK, user_data: { runcmd: [['echo', 'é']] }, vendor_data: { custom: 1 } }, node, { time: T });
  const r = readWithCloudInit(extractIso(scratch(t), iso));
  assert.equal(r.metadata.uuid, node.uuid);
  assert.equal(r.metadata.name, 'node-0');
  assert.equal(r.metadata['local-hostname'], 'h1');
  assert.deepEqual(r.metadata.public_keys, { k: 'ssh-rsa AAA' });
  assert.equal(r.userdata, '{"runcmd": [["echo", "\\u00e9"]]}');
  assert.deepEqual(r.vendordata2, { custom: 1 });
  assert.equal(r.vendordata, undefined);
  assert.deepEqual(r.networkdata, SAMPLE_NETWORK);
  assert.equal(r.network_config.config.filter((c: { type: string }) => c.type === 'physical').length, 2);
  assert.equal(r.json_as_python_dumps, true);
});

test('cloud-init inflates gzip user-data from the drive', (t) => {
  if (!needTools(t, PYTHON, 'xorriso')) return;
  const files = novaDriveFiles({ metaData: SAMPLE_META, userData: gzipUserData('#cloud-config\npackages: [htop]\n'), randomSeed: seed });
  const r = readWithCloudInit(extractIso(scratch(t), buildIso(files, { time: T })));
  assert.deepEqual(r.userdata_parts, [{ type: 'text/x-not-multipart', detected: 'text/cloud-config', payload: '#cloud-config\npackages: [htop]\n' }]);
});
