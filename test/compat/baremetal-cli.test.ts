/**
 * The REAL `baremetal` CLI (python-ironicclient) against `anvil server`: node create/list/show/set/unset/delete,
 * chassis, port groups, ports, traits. Needs scripts/services/pyclients.sh (ANVIL_BAREMETAL_CLI).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { clientEnv, startAnvil, type AnvilProcess } from './anvil-process.ts';

const run = promisify(execFile);
const CLI = process.env.ANVIL_BAREMETAL_CLI;
const skip = CLI ? false : 'ANVIL_BAREMETAL_CLI is not set (bash scripts/services/pyclients.sh start; eval its env)';

let anvil: AnvilProcess;
before(async () => {
  if (!skip) anvil = await startAnvil();
});
after(() => anvil?.stop());

async function bm(args: string[], version?: string): Promise<string> {
  const env = clientEnv(anvil.url, version ? { OS_BAREMETAL_API_VERSION: version } : {});
  try {
    const { stdout } = await run(CLI!, args, { env, timeout: 60_000 });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string };
    throw new Error(`baremetal ${args.join(' ')} failed: ${err.stderr ?? ''}${err.stdout ?? ''}\n--- anvil ---\n${anvil.output()}`);
  }
}
const bmJson = async (args: string[], version?: string) => JSON.parse(await bm([...args, '-f', 'json'], version));

async function bmFails(args: string[]): Promise<string> {
  try {
    await run(CLI!, args, { env: clientEnv(anvil.url), timeout: 60_000 });
  } catch (e) {
    return String((e as { stderr?: string }).stderr);
  }
  throw new Error(`baremetal ${args.join(' ')} unexpectedly succeeded`);
}

test('node create / list / show / set / unset / delete', { skip }, async () => {
  const node = await bmJson(['node', 'create', '--driver', 'fake-hardware', '--name', 'cli-node-0', '--property', 'cpus=8',
    '--driver-info', 'ipmi_password=hunter2', '--driver-info', 'ipmi_address=10.0.0.9', '--resource-class', 'baremetal']);
  assert.equal(node.name, 'cli-node-0');
  assert.equal(node.driver, 'fake-hardware');
  assert.equal(node.provision_state, 'enroll');
  assert.equal(node.resource_class, 'baremetal');
  assert.equal(node.driver_info.ipmi_password, '******');
  assert.equal(node.driver_info.ipmi_address, '10.0.0.9');
  assert.equal(node.power_interface, 'fake');
  const list = await bmJson(['node', 'list']);
  assert.deepEqual(list.map((n: { Name: string }) => n.Name), ['cli-node-0']);
  assert.equal(list[0]['Provisioning State'], 'enroll');
  const long = await bmJson(['node', 'list', '--long']);
  assert.equal(long[0].Driver, 'fake-hardware');
  assert.equal(long[0].UUID, node.uuid);
  await bm(['node', 'set', 'cli-node-0', '--extra', 'rack=r1', '--property', 'memory_mb=1024']);
  let after = await bmJson(['node', 'show', 'cli-node-0', '--fields', 'extra', 'properties']);
  assert.deepEqual(after.extra, { rack: 'r1' });
  assert.equal(String(after.properties.memory_mb), '1024');
  await bm(['node', 'unset', 'cli-node-0', '--extra', 'rack', '--property', 'cpus']);
  after = await bmJson(['node', 'show', 'cli-node-0', '--fields', 'extra', 'properties']);
  assert.deepEqual(after.extra, {});
  assert.equal(after.properties.cpus, undefined);
  assert.match(await bmFails(['node', 'create', '--driver', 'no-such-driver']), /No valid host was found.*HTTP 400/s);
  assert.match(await bmFails(['node', 'create', '--driver', 'fake-hardware', '--conductor-group', 'nowhere']), /conductor group "nowhere".*HTTP 400/s);
  assert.match(await bmFails(['node', 'create', '--driver', 'fake-hardware', '--name', 'cli-node-0']), /already exists.*HTTP 409/s);
  await bm(['node', 'delete', 'cli-node-0']);
  assert.deepEqual(await bmJson(['node', 'list']), []);
  assert.match(await bmFails(['node', 'show', 'cli-node-0']), /could not be found.*HTTP 404/s);
});

test('chassis, port groups, ports and traits', { skip }, async () => {
  const ch = await bmJson(['chassis', 'create', '--description', 'rack 7', '--extra', 'room=a']);
  assert.equal(ch.description, 'rack 7');
  assert.deepEqual((await bmJson(['chassis', 'list'])).map((c: { UUID: string }) => c.UUID), [ch.uuid]);
  await bm(['chassis', 'set', ch.uuid, '--description', 'rack 8']);
  const node = await bmJson(['node', 'create', '--driver', 'fake-hardware', '--name', 'cli-node-1', '--chassis-uuid', ch.uuid]);
  assert.equal(node.chassis_uuid, ch.uuid);
  assert.equal((await bmJson(['chassis', 'show', ch.uuid])).description, 'rack 8');

  const pg = await bmJson(['port', 'group', 'create', '--node', node.uuid, '--name', 'bond0', '--address', '52:54:00:00:00:AA']);
  assert.equal(pg.address, '52:54:00:00:00:aa');
  assert.equal(pg.node_uuid, node.uuid);
  assert.equal(pg.mode, 'active-backup');
  const port = await bmJson(['port', 'create', '52:54:00:12:34:AB', '--node', node.uuid, '--port-group', 'bond0', '--extra', 'k=v']);
  assert.equal(port.address, '52:54:00:12:34:ab');
  assert.equal(port.portgroup_uuid, pg.uuid);
  assert.equal(port.pxe_enabled, true);
  const ports = await bmJson(['port', 'list', '--node', node.uuid]);
  assert.deepEqual(ports.map((p: { Address: string }) => p.Address), ['52:54:00:12:34:ab']);
  assert.equal((await bmJson(['port', 'group', 'list'])).length, 1);
  assert.match(await bmFails(['port', 'create', '52:54:00:12:34:ab', '--node', node.uuid]), /HTTP 409/);
  await bm(['port', 'unset', port.uuid, '--port-group']);
  const changed = await bmJson(['port', 'show', port.uuid]);
  assert.equal(changed.node_uuid, node.uuid);
  assert.equal(changed.portgroup_uuid, null);

  await bm(['node', 'add', 'trait', 'cli-node-1', 'CUSTOM_GPU', 'HW_CPU_X86_AVX2']);
  const traits = (await bmJson(['node', 'trait', 'list', 'cli-node-1'])).map((t: { Traits: string }) => t.Traits).sort();
  assert.deepEqual(traits, ['CUSTOM_GPU', 'HW_CPU_X86_AVX2']);
  await bm(['node', 'remove', 'trait', 'cli-node-1', 'CUSTOM_GPU']);
  assert.match(await bmFails(['node', 'add', 'trait', 'cli-node-1', 'not_a_trait']), /HTTP 400/);

  assert.match(await bmFails(['chassis', 'delete', ch.uuid]), /contains nodes/);
  await bm(['port', 'delete', port.uuid]);
  await bm(['port', 'group', 'delete', 'bond0']);
  await bm(['node', 'delete', 'cli-node-1']);
  await bm(['chassis', 'delete', ch.uuid]);
  assert.deepEqual(await bmJson(['node', 'list']), []);
});

test('the CLI with an explicit old microversion sees the old shape', { skip }, async () => {
  const node = await bmJson(['node', 'create', '--driver', 'fake-hardware', '--name', 'cli-old'], '1.31');
  assert.equal(node.power_interface, 'fake');
  assert.equal(node.traits, undefined);
  const old = await bmJson(['node', 'show', node.uuid], '1.20');
  assert.equal(old.power_interface, undefined);
  assert.equal(old.network_interface !== undefined, true);
  await bm(['node', 'delete', node.uuid]);
});
