/**
 * The REAL Python clients against `anvil server` beyond nodes: openstacksdk (sdk_surface.py) and the `baremetal`
 * CLI exercise allocations (matching, failure, PATCH, delete), deploy templates, volume connectors/targets and
 * node history end to end. Needs scripts/services/pyclients.sh (ANVIL_PYTHON, ANVIL_BAREMETAL_CLI).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { clientEnv } from '../compat/anvil-process.ts';
import { useBaremetalCli } from '../compat/baremetal.ts';

const run = promisify(execFile);
const PY = process.env.ANVIL_PYTHON;
const CLI = process.env.ANVIL_BAREMETAL_CLI;
const script = new URL('./sdk_surface.py', import.meta.url).pathname;
const cli = useBaremetalCli({
  cli: CLI,
  missing: PY && CLI ? false : 'ANVIL_PYTHON / ANVIL_BAREMETAL_CLI are not set (bash scripts/services/pyclients.sh start; eval its env)',
  version: 'latest',
});
const { bm, bmJson, bmFails } = cli;

test('openstacksdk: allocations, deploy templates, volume targets, node history', async () => {
  let stdout: string;
  try {
    ({ stdout } = await run(PY!, [script, cli.anvil().url], { env: clientEnv(cli.anvil().url), timeout: 180_000 }));
  } catch (e) {
    throw new Error(`sdk_surface.py failed:\n${(e as { stderr?: string }).stderr}\n--- anvil ---\n${cli.anvil().output()}`);
  }
  const out = JSON.parse(stdout);
  assert.deepEqual(out.node_state, ['available', 'power off']);
  assert.equal(out.allocation.state, 'active');
  assert.equal(out.allocation.name, 'sdk-alloc');
  assert.deepEqual(out.allocation.traits, ['CUSTOM_SDK_GOLD']);
  assert.equal(out.node_allocation, true);
  assert.equal(out.node_instance, true);
  assert.deepEqual(out.allocation_extra, { b: '2' });
  assert.deepEqual(out.allocations_active, ['sdk-alloc']);
  assert.equal(out.allocations_by_node, true);
  assert.deepEqual(out.after_delete, [null, null]);
  assert.equal(out.bad.state, 'error');
  assert.match(out.bad.last_error, /no available nodes match the resource class no-such-class/);
  assert.equal(out.template.name, 'CUSTOM_SDK_TPL');
  assert.equal(out.template.steps[0].args.admin_password, '******');
  assert.deepEqual(out.templates, ['CUSTOM_SDK_TPL']);
  assert.equal(out.template_renamed, true);
  assert.deepEqual(out.templates_after, []);
  assert.deepEqual(out.connectors, ['iqn.2026-11.org.anvil:sdk']);
  assert.deepEqual(out.targets, [['vol-sdk', 0, { target_lun: 0 }]]);
  assert.deepEqual(out.target_extra, { x: 'y' });
  assert.deepEqual(out.targets_after, []);
  assert.match(out.history[out.history.length - 1], /Power state changed to power on/);
  assert.deepEqual(out.history_entry, { event_type: 'power', severity: 'INFO' });
});

test('baremetal CLI: allocation, deploy template, volume connector/target, node history', async () => {
  const node = await bmJson(['node', 'create', '--driver', 'fake-hardware', '--name', 'cli-alloc-node', '--resource-class', 'cli-rc']);
  await bm(['node', 'manage', 'cli-alloc-node', '--wait', '60']);
  await bm(['node', 'provide', 'cli-alloc-node', '--wait', '60']);
  // fake-hardware's power state is unknown until a power action; an allocation needs it known (as in Ironic)
  await bm(['node', 'power', 'off', 'cli-alloc-node', '--power-timeout', '60']);
  await bm(['node', 'add', 'trait', 'cli-alloc-node', 'CUSTOM_CLI']);

  const alloc = await bmJson(['allocation', 'create', '--resource-class', 'cli-rc', '--trait', 'CUSTOM_CLI', '--name', 'cli-alloc', '--wait', '30']);
  assert.equal(alloc.state, 'active');
  assert.equal(alloc.node_uuid, node.uuid);
  await bm(['allocation', 'set', 'cli-alloc', '--extra', 'k=v']);
  assert.deepEqual((await bmJson(['allocation', 'show', 'cli-alloc', '-c', 'extra'])).extra, { k: 'v' });
  const listed = await bmJson(['allocation', 'list', '--state', 'active']);
  assert.deepEqual(listed.map((a: { Name: string }) => a.Name), ['cli-alloc']);
  assert.equal((await bmJson(['node', 'show', 'cli-alloc-node', '--fields', 'allocation_uuid'])).allocation_uuid, alloc.uuid);
  await bm(['allocation', 'delete', 'cli-alloc']);
  assert.deepEqual(await bmJson(['allocation', 'list']), []);
  assert.match(await bmFails(['allocation', 'show', 'cli-alloc']), /could not be found.*HTTP 404/s);
  const failed = await bmFails(['allocation', 'create', '--resource-class', 'nowhere', '--wait', '30']);
  assert.match(failed, /no available nodes match the resource class nowhere/);

  const tpl = await bmJson(['deploy', 'template', 'create', 'CUSTOM_CLI_TPL', '--steps',
    '[{"interface": "deploy", "step": "install_os", "args": {}, "priority": 50}]']);
  assert.deepEqual(tpl.steps, [{ args: {}, interface: 'deploy', priority: 50, step: 'install_os' }]);
  await bm(['deploy', 'template', 'set', 'CUSTOM_CLI_TPL', '--extra', 'a=b']);
  const long = await bmJson(['deploy', 'template', 'list', '--long']);
  assert.deepEqual(long.map((t: { Name: string; Extra: unknown }) => [t.Name, t.Extra]), [['CUSTOM_CLI_TPL', { a: 'b' }]]);
  assert.match(await bmFails(['deploy', 'template', 'create', 'not-a-trait', '--steps', '[{"interface": "deploy", "step": "x", "args": {}, "priority": 1}]']), /HTTP 400/);
  await bm(['deploy', 'template', 'delete', 'CUSTOM_CLI_TPL']);
  assert.deepEqual(await bmJson(['deploy', 'template', 'list']), []);

  const con = await bmJson(['volume', 'connector', 'create', '--node', node.uuid, '--type', 'iqn', '--connector-id', 'iqn.2026-11.org.anvil:cli']);
  const tgt = await bmJson(['volume', 'target', 'create', '--node', node.uuid, '--type', 'iscsi', '--volume-id', 'vol-cli', '--boot-index', '0', '--property', 'target_lun=1']);
  assert.equal(tgt.volume_id, 'vol-cli');
  assert.deepEqual(tgt.properties, { target_lun: 1 });
  const targets = await bmJson(['volume', 'target', 'list', '--node', node.uuid]);
  assert.deepEqual(targets.map((t: { 'Volume ID': string }) => t['Volume ID']), ['vol-cli']);
  await bm(['volume', 'target', 'set', tgt.uuid, '--extra', 'z=1']);
  assert.deepEqual((await bmJson(['volume', 'target', 'show', tgt.uuid])).extra, { z: 1 });
  assert.match(await bmFails(['volume', 'target', 'create', '--node', node.uuid, '--type', 'iscsi', '--volume-id', 'vol-2', '--boot-index', '0']), /HTTP 409/);
  await bm(['volume', 'target', 'delete', tgt.uuid]);
  await bm(['volume', 'connector', 'delete', con.uuid]);
  assert.deepEqual(await bmJson(['volume', 'target', 'list']), []);

  await bm(['node', 'power', 'on', 'cli-alloc-node', '--power-timeout', '30']);
  const hist = await bmJson(['node', 'history', 'list', 'cli-alloc-node']);
  assert.ok(hist.length >= 1);
  const last = hist[hist.length - 1];
  assert.match(last['Description of the event'], /Power state changed to power on/);
  const one = await bmJson(['node', 'history', 'get', 'cli-alloc-node', last.UUID]);
  assert.equal(one.event_type, 'power');
});
