/**
 * The NEWEST `baremetal` CLI (python-ironicclient from PyPI, scripts/services/pyclients-latest.sh) against
 * `anvil server` with the 1.83+ features: child nodes (create --parent-node, node list with/without children,
 * node children list), disable_power_off, instance_name, port create with a name / show by name / list by
 * description. Anvil's maximum is raised to 1.115 for the run (`api_max_version`); the CLI negotiates `latest`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBaremetalCli } from './baremetal.ts';

const CLI = process.env.ANVIL_LATEST_BAREMETAL;
const { bm, bmJson } = useBaremetalCli({
  cli: CLI,
  missing: CLI ? false : 'ANVIL_LATEST_BAREMETAL is not set (bash scripts/services/pyclients-latest.sh start; eval its env)',
  anvilArgs: ['--set', 'api_max_version=1.115', '--set', 'compute_enabled=false'],
  version: 'latest',
});

test('newest baremetal CLI: child nodes, disable_power_off, instance_name', async () => {
  const parent = await bmJson(['node', 'create', '--driver', 'fake-hardware', '--name', 'lc-parent']);
  const child = await bmJson(['node', 'create', '--driver', 'fake-hardware', '--name', 'lc-child', '--parent-node', 'lc-parent',
    '--disable-power-off', '--instance-name', 'vm-lc']);
  assert.equal(child.parent_node, parent.uuid);
  assert.equal(child.disable_power_off, true);
  assert.equal(child.instance_name, 'vm-lc');
  const names = (rows: { name: string }[]) => rows.map((r) => r.name).sort();
  assert.deepEqual(names(await bmJson(['node', 'list'])), ['lc-parent']);
  assert.deepEqual(names(await bmJson(['node', 'list', '--include-children'])), ['lc-child', 'lc-parent']);
  assert.deepEqual(names(await bmJson(['node', 'list', '--parent-node', parent.uuid])), ['lc-child']);
  assert.deepEqual(names(await bmJson(['node', 'list', '--instance-name', 'vm-lc', '--include-children'])), ['lc-child']);
  const kids = await bmJson(['node', 'children', 'list', 'lc-parent']);
  assert.deepEqual(kids.children, [child.uuid]);
});

test('newest baremetal CLI: port create with a name, show by name, description filter', async () => {
  const node = await bmJson(['node', 'create', '--driver', 'fake-hardware', '--name', 'lc-ports']);
  const port = await bmJson(['port', 'create', '52:54:00:dd:00:01', '--node', node.uuid, '--name', 'lc-nic0']);
  assert.equal(port.name, 'lc-nic0');
  const shown = await bmJson(['port', 'show', 'lc-nic0']);
  assert.equal(shown.uuid, port.uuid);
  await bm(['port', 'set', 'lc-nic0', '--description', 'to tor-3']);
  assert.equal((await bmJson(['port', 'show', port.uuid])).description, 'to tor-3');
  await bm(['port', 'delete', port.uuid]);
});
