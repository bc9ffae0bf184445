/**
 * The REAL openstacksdk (auth_type none, baremetal endpoint override) against `anvil server`: nodes, traits,
 * chassis, port groups, ports. Needs scripts/services/pyclients.sh (ANVIL_PYTHON).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { clientEnv, startAnvil, type AnvilProcess } from './anvil-process.ts';
import { failWithout } from '../prereq.ts';

const run = promisify(execFile);
const PY = process.env.ANVIL_PYTHON;
const missing = PY ? false : 'ANVIL_PYTHON is not set (bash scripts/services/pyclients.sh start; eval its env)';
failWithout(missing);
const script = new URL('./sdk_session.py', import.meta.url).pathname;

let anvil: AnvilProcess;
before(async () => {
  if (!missing) anvil = await startAnvil();
});
after(() => anvil?.stop());

test('openstacksdk session: nodes, traits, chassis, port groups, ports', async () => {
  let stdout: string;
  try {
    ({ stdout } = await run(PY!, [script, anvil.url], { env: clientEnv(anvil.url), timeout: 120_000 }));
  } catch (e) {
    const err = e as { stderr?: string };
    throw new Error(`sdk_session.py failed:\n${err.stderr}\n--- anvil ---\n${anvil.output()}`);
  }
  const out = JSON.parse(stdout);
  assert.equal(out.created.name, 'sdk-node-0');
  assert.equal(out.created.provision_state, 'enroll');
  assert.equal(out.created.driver_info.ipmi_password, '******');
  assert.equal(out.created.driver_info.ipmi_address, '10.1.1.1');
  assert.equal(out.created.power_interface, 'fake');
  assert.deepEqual(out.list, ['sdk-node-0']);
  assert.deepEqual(out.list_details, [['sdk-node-0', 'fake-hardware']]);
  assert.equal(out.get_by_name, out.created.id);
  assert.deepEqual(out.updated_extra, { k: 'v' });
  assert.deepEqual(out.patched_properties, { memory_mb: 2048 });
  assert.deepEqual(out.traits.sort(), ['CUSTOM_B']);
  assert.equal(out.chassis, true);
  assert.deepEqual(out.port_group, { name: 'sdk-bond', address: '52:54:00:00:5d:01', node_id: out.created.id });
  assert.equal(out.port.address, '52:54:00:00:5d:02');
  assert.equal(out.port.node_id, out.created.id);
  assert.deepEqual(out.ports, ['52:54:00:00:5d:02']);
  assert.equal(out.port_get, '52:54:00:00:5d:02');
  assert.equal(out.found, out.created.id);
  assert.deepEqual(out.after_delete, []);
  assert.equal(out.missing, true);
});
