/** `anvil configdrive` end to end: the real CLI process, its files, and isoinfo/blkid on what it wrote. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeFromApi } from 'cloud-config-drive';
import { SAMPLE_META, SAMPLE_NETWORK, needTools, ok, parseIsoinfoListing, run, scratch } from './peers.ts';

const anvil = new URL('../../cli/bin/anvil.js', import.meta.url).pathname;
const cli = (args: string[]) => run(process.execPath, [anvil, 'configdrive', ...args]);

function inputs(dir: string): Record<string, string> {
  const p = (n: string) => join(dir, n);
  writeFileSync(p('m.json'), JSON.stringify({ ...SAMPLE_META, random_seed: Buffer.alloc(512, 1).toString('base64') }));
  writeFileSync(p('n.json'), JSON.stringify(SAMPLE_NETWORK));
  writeFileSync(p('u'), '#cloud-config\nhostname: web-1\n');
  writeFileSync(p('v.json'), '{"a": 1}');
  writeFileSync(p('motd'), 'welcome\n');
  return { m: p('m.json'), n: p('n.json'), u: p('u'), v: p('v.json'), motd: p('motd') };
}

test('build writes an ISO (isoinfo sees the Nova tree), byte-identical with --fixed-time and a given random_seed', (t) => {
  if (!needTools(t, 'isoinfo', 'blkid')) return;
  const dir = scratch(t);
  const f = inputs(dir);
  const args = (o: string) => ['build', '--meta-data', f.m, '--network-data', f.n, '--user-data', f.u, '--vendor-data', f.v, '--file', `/etc/motd=${f.motd}`, '--fixed-time', '2024-01-01T00:00:00Z', '-o', o];
  for (const o of ['a.iso', 'b.iso']) assert.equal(cli(args(join(dir, o))).status, 0);
  const a = readFileSync(join(dir, 'a.iso'));
  assert.deepEqual(a, readFileSync(join(dir, 'b.iso')));
  const files = parseIsoinfoListing(ok('isoinfo', ['-R', '-l', '-i', join(dir, 'a.iso')]));
  assert.equal(files.get('openstack/latest/user_data'), 30);
  assert.equal(files.get('openstack/content/0000'), 8);
  assert.equal(files.get('openstack/latest/vendor_data.json'), 8);
  assert.ok(files.has('ec2/latest/meta-data.json'));
  assert.match(ok('blkid', ['-p', join(dir, 'a.iso')]), /LABEL="config-2" .*TYPE="iso9660"|TYPE="iso9660".*LABEL="config-2"/);
});

test('build --format vfat --base64 writes the API string of a VFAT image; decode turns it back', (t) => {
  const dir = scratch(t);
  const f = inputs(dir);
  assert.equal(cli(['build', '--meta-data', f.m, '--format', 'vfat', '--base64', '--fixed-time', '0', '-o', join(dir, 'cd.b64')]).status, 0);
  const s = readFileSync(join(dir, 'cd.b64'), 'utf8');
  assert.equal(decodeFromApi(s).format, 'vfat');
  assert.equal(cli(['decode', join(dir, 'cd.b64'), '-o', join(dir, 'cd.img')]).status, 0);
  assert.deepEqual(readFileSync(join(dir, 'cd.img')), decodeFromApi(s).image);
});

test('bad input: clear error, exit 1, nothing written', (t) => {
  const dir = scratch(t);
  const f = inputs(dir);
  writeFileSync(join(dir, 'bad.json'), '{"uuid": ');
  writeFileSync(join(dir, 'nouuid.json'), '{"name": "x"}');
  writeFileSync(join(dir, 'junk.b64'), Buffer.from('not gzip').toString('base64'));
  const cases: [string[], RegExp][] = [
    [['build', '--meta-data', join(dir, 'bad.json'), '-o', join(dir, 'out')], /meta data .* is not valid JSON/],
    [['build', '--meta-data', join(dir, 'nouuid.json'), '-o', join(dir, 'out')], /meta_data.uuid must be a UUID/],
    [['build', '--meta-data', f.m, '--network-data', join(dir, 'bad.json'), '-o', join(dir, 'out')], /network data .* is not valid JSON/],
    [['build', '--meta-data', f.m, '--format', 'udf', '-o', join(dir, 'out')], /--format must be iso9660 or vfat/],
    [['build', '--meta-data', join(dir, 'missing.json'), '-o', join(dir, 'out')], /ENOENT/],
    [['decode', join(dir, 'junk.b64'), '-o', join(dir, 'out')], /base64 but not gzip-compressed/],
  ];
  for (const [args, re] of cases) {
    const r = cli(args);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
  }
  assert.ok(!existsSync(join(dir, 'out')));
  assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('out')), [], 'no temporary files left');
});
