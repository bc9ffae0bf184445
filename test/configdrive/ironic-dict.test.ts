/**
 * The configdrive object form against real Ironic: Debian's ironic.conductor.utils.build_configdrive
 * (openstacksdk + genisoimage) and ours must give drives with the same files, byte for byte; and our
 * decoder must accept the string Ironic stores.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type ConfigDriveDict, buildConfigDriveFromDict, decodeFromApi } from 'cloud-config-drive';
import { PYTHON, SAMPLE_NETWORK, have, needTools, ok, parseIsoinfoListing, readTree, run, scratch, sortedEntries } from './peers.ts';

const here = new URL('.', import.meta.url).pathname;
const node = { uuid: '1be26c0b-03f2-4d2e-ae87-c02d7f33c123', name: 'node-0' };
const cases: { node: { uuid: string; name: string | null }; configdrive: ConfigDriveDict }[] = [
  { node, configdrive: { meta_data: { hostname: 'h1', public_keys: { k: 'ssh-ed25519 AAAA é' } }, network_data: SAMPLE_NETWORK, user_data: { runcmd: [['echo', 'é']] }, vendor_data: { custom: { a: 1.5 } } } },
  { node, configdrive: { meta_data: { uuid: 'mine', name: 'given' }, user_data: '#cloud-config\nhostname: x\n', network_data: {} } },
  { node: { ...node, name: null }, configdrive: { user_data: ['a', 2, null, true] } },
  { node, configdrive: { meta_data: {}, user_data: null, vendor_data: {} } },
];

function ironicAvailable(): boolean {
  return have(PYTHON) && run(PYTHON, ['-c', 'import ironic.conductor.utils']).status === 0;
}

test('Ironic build_configdrive and buildConfigDriveFromDict produce the same files', (t) => {
  if (!needTools(t, 'bsdtar', 'isoinfo')) return;
  if (!ironicAvailable()) throw new Error('missing prerequisite: Debian python3-ironic (bash scripts/services/real-ironic.sh start)');
  const strings = JSON.parse(ok(PYTHON, [join(here, 'ironic_build.py')], { input: JSON.stringify(cases) })) as string[];
  assert.equal(strings.length, cases.length);
  const dir = scratch(t);
  cases.forEach((c, i) => {
    const theirs = decodeFromApi(strings[i]);
    assert.equal(theirs.format, 'iso9660');
    const ours = buildConfigDriveFromDict(structuredClone(c.configdrive), c.node);
    const trees = [theirs.image, ours].map((img, k) => {
      const iso = join(dir, `${i}-${k}.iso`);
      writeFileSync(iso, img);
      ok('mkdir', ['-p', join(dir, `${i}-${k}`)]);
      ok('bsdtar', ['-x', '-f', iso, '-C', join(dir, `${i}-${k}`)]);
      assert.match(ok('isoinfo', ['-d', '-i', iso]), /Volume id: config-2\n[\s\S]*Publisher id: metalsmith/);
      return { iso, files: readTree(join(dir, `${i}-${k}`)) };
    });
    assert.deepEqual(sortedEntries(trees[1].files), sortedEntries(trees[0].files), `case ${i}: same files and bytes`);
    for (const flag of ['-R', '-J']) {
      assert.deepEqual(parseIsoinfoListing(ok('isoinfo', [flag, '-l', '-i', trees[1].iso])), parseIsoinfoListing(ok('isoinfo', [flag, '-l', '-i', trees[0].iso])), `case ${i}: isoinfo ${flag} -l`);
    }
  });
});
