/**
 * Ironic's own API test suite — Debian's tempest + ironic-tempest-plugin, `ironic_tempest_plugin.tests.api` —
 * against Anvil in keystone auth mode, with Debian's real Keystone (scripts/services/keystone.sh) as the identity
 * service and Anvil registered as `baremetal` in its catalog. Every test must pass; the only skips allowed are the
 * classes in ALLOWED_SKIPS (services that do not exist here), each with the reason tempest gives.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_MINOR, MIN_MINOR } from '@anvil/api';
import { startKeystoneAnvil, type KeystoneAnvil } from './anvil-keystone.ts';
import { keystoneEnv, registerBaremetal } from './keystone-catalog.ts';
import { HARDWARE_TYPES, INTERFACES, listTests, missingTempest, runTempest, tempestConf, writeWorkspace } from './tempest-run.ts';

const SUITE = 'ironic_tempest_plugin.tests.api';
/** test class → the skip reason tempest prints; nothing else may skip */
const ALLOWED_SKIPS: Record<string, string> = {
  'ironic_tempest_plugin.tests.api.admin.test_nodes.TestNodesVif': 'Neutron is not enabled.',
};

let anvil: KeystoneAnvil | undefined;
let unregister: (() => Promise<void>) | undefined;
let dir: string;

before(async () => {
  const missing = missingTempest();
  if (missing) throw new Error(missing);
  const ks = keystoneEnv();
  dir = mkdtempSync(join(tmpdir(), 'anvil-tempest-ws-'));
  anvil = await startKeystoneAnvil(ks, HARDWARE_TYPES, INTERFACES);
  unregister = await registerBaremetal(ks, anvil.url);
});

after(async () => {
  await unregister?.();
  await anvil?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test(`${SUITE} (Debian tempest + ironic-tempest-plugin) against Anvil: 0 failed, only Neutron skipped`, { timeout: 1_200_000 }, async (t) => {
  const ks = keystoneEnv();
  const conf = writeWorkspace(dir, tempestConf(ks, { minMicroversion: `1.${MIN_MINOR}`, maxMicroversion: `1.${MAX_MINOR}`, logFile: join(dir, 'tempest.log') }));
  const all = listTests(dir, conf, SUITE);
  assert.ok(all.length > 200, `stestr list found only ${all.length} tests`);
  const allowedSkip = all.filter((id) => Object.keys(ALLOWED_SKIPS).some((cls) => id.startsWith(`${cls}.`)));

  const r = await runTempest(dir, conf, SUITE, 2, 1_080_000);
  t.diagnostic(`tempest ${SUITE}: ${all.length} tests listed`);
  for (const line of r.summary.split('\n')) if (line.trim()) t.diagnostic(line);
  for (const [id, reason] of r.skips) t.diagnostic(`skipped: ${id}: ${reason}`);
  assert.deepEqual(r.failures, [], `tempest failures:\n${r.output.slice(-30_000)}`);
  assert.equal(r.failed, 0, r.output.slice(-30_000));
  assert.equal(r.status, 0, r.output.slice(-30_000));
  for (const [id, reason] of r.skips) {
    const cls = Object.keys(ALLOWED_SKIPS).find((c) => id.includes(c));
    assert.ok(cls, `skipped without an allowed reason: ${id}: ${reason}`);
    assert.equal(reason, ALLOWED_SKIPS[cls], `${id} skipped for another reason`);
  }
  assert.equal(r.passed, all.length - allowedSkip.length, `every test outside ${Object.keys(ALLOWED_SKIPS).join(', ')} passes`);
});
