/**
 * Ironic's newest API test suite — PyPI `tempest` + `ironic-tempest-plugin` in the venv of
 * scripts/services/tempest-latest.sh, `ironic_tempest_plugin.tests.api` with its RBAC and microversion-enforcement
 * tests (tempest's [enforce_scope] ironic on: a system-scoped admin, Ironic's default) — against Anvil at its maximum
 * microversion, in keystone auth mode with Debian's real Keystone
 * (scripts/services/keystone.sh) and Anvil registered in its catalog (as `baremetal-latest`). Every test must pass; the only
 * skips allowed are those in ALLOWED_SKIPS, each for a service that does not exist here, with tempest's reason.
 * The graphical console classes run against Anvil's noVNC proxy and the simulated VNC console (graphicalConsoleSettings).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_MINOR, MIN_MINOR } from '@anvil/api';
import { startKeystoneAnvil, type KeystoneAnvil } from './anvil-keystone.ts';
import { ensureManagerRole, keystoneEnv, registerBaremetal } from './keystone-catalog.ts';
import { GRAPHICAL_CONSOLE_INTERFACES, graphicalConsoleSettings, HARDWARE_TYPES, INTERFACES, latestTempest, listTests, missingTempest, runTempest, tempestConf, writeWorkspace } from './tempest-run.ts';

const SUITE = 'ironic_tempest_plugin.tests.api';
/** test class → the skip reason tempest prints; nothing else may skip. Each is a service that does not exist here: Neutron. */
const ALLOWED_SKIPS: Record<string, string> = {
  'ironic_tempest_plugin.tests.api.admin.test_nodes.TestNodesVif': 'Neutron is not enabled.',
};

/** its own catalog type: test/tempest/tempest.test.ts may run at the same time against another Anvil as `baremetal` */
const CATALOG_TYPE = 'baremetal-latest';

let anvil: KeystoneAnvil | undefined;
let unregister: (() => Promise<void>) | undefined;
let dir: string;

before(async () => {
  const missing = missingTempest(latestTempest());
  if (missing) throw new Error(missing);
  const ks = keystoneEnv();
  dir = mkdtempSync(join(tmpdir(), 'anvil-tempest-latest-ws-'));
  await ensureManagerRole(ks); // the tempest personas' roles as a current Keystone grants them
  // Ironic 39's policy defaults: scoped RBAC only (the plugin's RBAC tests expect a project reader refused)
  const console = graphicalConsoleSettings();
  anvil = await startKeystoneAnvil(ks, HARDWARE_TYPES, { ...INTERFACES, ...console, policy_enforce_new_defaults: 'true' });
  unregister = await registerBaremetal(ks, anvil.url, CATALOG_TYPE);
});

after(async () => {
  await unregister?.();
  await anvil?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test(`${SUITE} (newest PyPI tempest + ironic-tempest-plugin) against Anvil at its maximum microversion: 0 failed, only services that do not exist here skipped`, { timeout: 590_000 }, async (t) => {
  const inst = latestTempest();
  const ks = keystoneEnv();
  const logFile = join(dir, 'tempest.log');
  const conf = writeWorkspace(dir, tempestConf(ks, { minMicroversion: `1.${MIN_MINOR}`, maxMicroversion: `1.${MAX_MINOR}`, logFile, enforceScope: true, catalogType: CATALOG_TYPE, consoleInterfaces: GRAPHICAL_CONSOLE_INTERFACES }), inst);
  const all = listTests(dir, conf, SUITE, inst);
  assert.ok(all.length > 400, `stestr list found only ${all.length} tests`);
  const allowedSkip = all.filter((id) => Object.keys(ALLOWED_SKIPS).some((k) => id === k || id.startsWith(`${k}.`)));

  // 3 workers: most of a class's time is waiting on Keystone (dynamic credentials); the file has 600 s in npm test
  const r = await runTempest(dir, conf, SUITE, 3, 570_000, inst);
  t.diagnostic(`tempest ${SUITE} (${inst.name}, max microversion 1.${MAX_MINOR}): ${all.length} tests listed`);
  for (const line of r.summary.split('\n')) if (line.trim()) t.diagnostic(line);
  for (const [id, reason] of r.skips) t.diagnostic(`skipped: ${id}: ${reason}`);
  assert.deepEqual(r.failures, [], `tempest failures:\n${r.output.slice(-30_000)}`);
  assert.equal(r.failed, 0, r.output.slice(-30_000));
  assert.equal(r.status, 0, r.output.slice(-30_000));
  for (const [id, reason] of r.skips) {
    const k = Object.keys(ALLOWED_SKIPS).find((c) => id === c || id.startsWith(`${c}.`));
    assert.ok(k, `skipped for a reason that is not a missing service (an Anvil gap): ${id}: ${reason}`);
    assert.equal(reason, ALLOWED_SKIPS[k], `${id} skipped for another reason`);
  }
  assert.equal(r.passed, all.length - allowedSkip.length, `every test outside ${Object.keys(ALLOWED_SKIPS).join(', ')} passes`);
});
