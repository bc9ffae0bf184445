/**
 * The `ipmi` hardware type through the Anvil API against a real BMC (the pyghmi BMC, cipher suite 17, and
 * ipmi_sim, suite 3): driver listed with Ironic's properties, password masked, validate, power on/off through
 * PUT /states/power, and the power sync periodic task noticing a change made behind Anvil's back with ipmitool.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ipmitool, missingIpmiSim, missingIpmitool, missingPyghmi, type Peer, startIpmiSim, startPyghmi } from 'ipmi-lan-ts/testing';
import { type Anvil, anvilServerMissing, startAnvil } from './anvil-server.ts';
import { failWithout } from '../prereq.ts';
import { sleep as wait, until } from '../wait.ts';

const missing = anvilServerMissing() ?? missingIpmitool() ?? missingPyghmi() ?? missingIpmiSim() ?? false;
failWithout(missing);

describe('ipmi hardware type through the Anvil API', () => {
  let anvil: Anvil;
  let py: Peer;
  let sim: Peer;
  before(async () => {
    [py, sim] = await Promise.all([startPyghmi(), startIpmiSim()]);
    anvil = await startAnvil({
      sync_power_state_interval: 1,
      force_power_state_during_sync: false,
      ipmi_attempt_timeout: 0.5,
      ipmi_power_poll_interval: 0.2,
    });
  });
  after(async () => {
    await anvil?.stop();
    await Promise.all([py?.stop(), sim?.stop()]);
  });

  const nodeFor = async (name: string, peer: Peer, suite: number) => {
    const r = await anvil.api('POST', '/nodes', {
      name,
      driver: 'ipmi',
      driver_info: { ipmi_address: peer.host, ipmi_port: peer.port, ipmi_username: peer.username, ipmi_password: peer.password, ipmi_cipher_suite: suite },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };
  const powerOf = async (name: string) => (await anvil.api('GET', `/nodes/${name}`)).body.power_state as string | null;

  test('driver properties, interfaces and password masking', async () => {
    const props = await anvil.api('GET', '/drivers/ipmi/properties');
    assert.equal(props.status, 200);
    for (const k of ['ipmi_address', 'ipmi_port', 'ipmi_username', 'ipmi_password', 'ipmi_priv_level', 'ipmi_cipher_suite', 'ipmi_bridging', 'ipmi_protocol_version', 'ipmi_force_boot_device']) {
      assert.ok(props.body[k], `${k} documented`);
    }
    const node = await nodeFor('masked', py, 17);
    assert.equal(node.power_interface, 'ipmitool');
    assert.equal(node.management_interface, 'ipmitool');
    assert.equal(node.driver_info.ipmi_password, '******');
    const v = await anvil.api('GET', '/nodes/masked/validate');
    assert.equal(v.body.power.result, true, JSON.stringify(v.body.power));
    assert.equal(v.body.management.result, true);
    const bad = await anvil.api('POST', '/nodes', { name: 'no-address', driver: 'ipmi', driver_info: { ipmi_port: 623 } });
    const vb = await anvil.api('GET', `/nodes/${bad.body.uuid}/validate`);
    assert.equal(vb.body.power.result, false);
    assert.match(vb.body.power.reason, /ipmi_address/);
    assert.doesNotMatch(anvil.output(), new RegExp(py.password), 'the BMC password never reaches the log');
  });

  for (const [label, suite] of [
    ['pyghmi BMC, suite 17', 17],
    ['ipmi_sim, suite 3', 3],
  ] as const) {
    test(`${label}: power on/off through the API, power sync sees out-of-band changes`, async () => {
      const peer = suite === 17 ? py : sim;
      const name = `node-${suite}`;
      await nodeFor(name, peer, suite);
      // enroll is excluded from power sync (as in Ironic): manage the node (verify reads the power state)
      assert.equal((await anvil.api('PUT', `/nodes/${name}/states/provision`, { target: 'manage' })).status, 202);
      await until('manageable', async () => ((await anvil.api('GET', `/nodes/${name}`)).body.provision_state === 'manageable' ? true : undefined));

      assert.equal((await anvil.api('PUT', `/nodes/${name}/states/power`, { target: 'power on' })).status, 202);
      await until('power on', async () => ((await powerOf(name)) === 'power on' ? true : undefined));
      assert.equal(peer.power(), 'on');

      assert.equal((await anvil.api('PUT', `/nodes/${name}/states/power`, { target: 'power off' })).status, 202);
      await until('power off', async () => ((await powerOf(name)) === 'power off' ? true : undefined));
      assert.equal(peer.power(), 'off');

      // behind Anvil's back
      await ipmitool(peer, suite, 'power', 'on');
      await until('power sync to notice the out-of-band power on', async () => ((await powerOf(name)) === 'power on' ? true : undefined));
      await ipmitool(peer, suite, 'power', 'off');
      await until('power sync to notice the out-of-band power off', async () => ((await powerOf(name)) === 'power off' ? true : undefined));

      // boot device through the API
      const bd = await anvil.api('PUT', `/nodes/${name}/management/boot_device`, { boot_device: 'pxe', persistent: true });
      assert.ok(bd.status === 204 || bd.status === 200, JSON.stringify(bd.body));
      assert.equal(peer.boot().device, 'pxe');
      const got = await anvil.api('GET', `/nodes/${name}/management/boot_device`);
      assert.equal(got.body.boot_device, 'pxe');
      if (peer.boot().persistent !== null) assert.equal(got.body.persistent, true);
    });
  }
});
