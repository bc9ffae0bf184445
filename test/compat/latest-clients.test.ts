/**
 * The NEWEST `baremetal` CLI (python-ironicclient from PyPI, scripts/services/pyclients-latest.sh) against
 * `anvil server` with the 1.83+ features: child nodes (create --parent-node, node list with/without children,
 * node children list), disable_power_off, instance_name, port create with a name / show by name / list by
 * description, runbooks (create, trait add/list, list, show, delete, node clean --runbook), node firmware list,
 * inspection rules (create, list, show, delete) and node service on an active node. Anvil announces 1.115; the CLI
 * negotiates `latest`.
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

test('newest baremetal CLI: runbooks, cleaning with a runbook, node firmware list', async () => {
  const steps = JSON.stringify([{ interface: 'bios', step: 'apply_configuration', args: { settings: [{ name: 'LogicalProc', value: 'Disabled' }] }, order: 0 }]);
  const rb = await bmJson(['runbook', 'create', '--name', 'lc-rb', '--description', 'bios for tor-3', '--steps', steps]);
  assert.equal(rb.name, 'lc-rb');
  assert.equal(rb.description, 'bios for tor-3');
  assert.deepEqual(rb.traits, []);
  await bm(['runbook', 'trait', 'add', 'lc-rb', 'CUSTOM_LC_RB']);
  assert.deepEqual((await bmJson(['runbook', 'trait', 'list', 'lc-rb'])).map((t: Record<string, string>) => Object.values(t)), [['CUSTOM_LC_RB']]);
  const listed = await bmJson(['runbook', 'list']);
  assert.deepEqual(listed.map((r: Record<string, string>) => Object.values(r).sort()), [[rb.uuid, 'lc-rb'].sort()], JSON.stringify(listed));
  const shown = await bmJson(['runbook', 'show', rb.uuid]);
  assert.deepEqual([shown.steps[0].step, shown.traits], ['apply_configuration', ['CUSTOM_LC_RB']]);

  const node = await bmJson(['node', 'create', '--driver', 'fake-hardware', '--name', 'lc-fw', '--bios-interface', 'fake']);
  assert.equal(node.firmware_interface, 'fake');
  assert.deepEqual(await bmJson(['node', 'firmware', 'list', 'lc-fw']), []);
  await bm(['node', 'add', 'trait', 'lc-fw', 'CUSTOM_LC_RB']);
  await bm(['node', 'manage', 'lc-fw', '--wait', '60']);
  await bm(['node', 'clean', 'lc-fw', '--runbook', 'lc-rb', '--wait', '60']);
  const after = await bmJson(['node', 'show', 'lc-fw', '--fields', 'provision_state', 'last_error']);
  assert.deepEqual([after.provision_state, after.last_error], ['manageable', null]);
  // the runbook's step ran: the fake BIOS interface cached what it applied
  assert.deepEqual((await bmJson(['node', 'bios', 'setting', 'list', 'lc-fw'])).map((b: Record<string, string>) => Object.values(b)), [['LogicalProc', 'Disabled']]);
  await bm(['runbook', 'delete', 'lc-rb']);
  assert.deepEqual(await bmJson(['runbook', 'list']), []);
});

test('newest baremetal CLI: inspection rule create/list/show/delete, node service on an active node', async () => {
  const conditions = JSON.stringify([{ op: 'eq', args: { values: ['{inventory[cpu][architecture]}', 'x86_64'] } }]);
  const actions = JSON.stringify([{ op: 'add-trait', args: { name: 'CUSTOM_LC_X86' } }]);
  // (no --priority: this CLI sends it as a string, which Ironic 39's schema refuses too — "'10' is not of type 'integer'")
  const rule = await bmJson(['inspection', 'rule', 'create', '--description', 'lc x86', '--conditions', conditions, '--actions', actions]);
  assert.deepEqual([rule.description, rule.priority, rule.phase, rule.actions], ['lc x86', 0, 'main', JSON.parse(actions)]);
  const rules = await bmJson(['inspection', 'rule', 'list']);
  assert.deepEqual(rules.map((r: Record<string, unknown>) => r.UUID ?? r.uuid), [rule.uuid], JSON.stringify(rules));
  assert.deepEqual((await bmJson(['inspection', 'rule', 'show', rule.uuid])).conditions, JSON.parse(conditions));
  await bm(['inspection', 'rule', 'delete', rule.uuid]);
  assert.deepEqual(await bmJson(['inspection', 'rule', 'list']), []);

  await bmJson(['node', 'create', '--driver', 'fake-hardware', '--name', 'lc-svc']);
  await bm(['node', 'manage', 'lc-svc', '--wait', '60']);
  await bm(['node', 'provide', 'lc-svc', '--wait', '60']);
  await bm(['node', 'deploy', 'lc-svc', '--wait', '60']);
  // fake-hardware's vendor interface has Ironic's log_passthrough service step
  await bm(['node', 'service', 'lc-svc', '--service-steps', JSON.stringify([{ interface: 'vendor', step: 'log_passthrough', args: {} }]), '--wait', '60']);
  const served = await bmJson(['node', 'show', 'lc-svc']);
  assert.deepEqual([served.provision_state, served.last_error, served.service_step], ['active', null, {}]);
  const history = await bmJson(['node', 'history', 'list', 'lc-svc', '--long']);
  assert.ok(history.some((h: Record<string, string>) => /servicing/i.test(String(h.Event ?? h.event))), JSON.stringify(history));
});
