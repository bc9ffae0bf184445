/**
 * The failure paths on a real machine (BIOS VM, the real ironic-python-agent), each ending with the node recovered
 * (undeploy → available): a VM that never boots (its NIC's cable pulled) times out in `wait call-back`; a wrong image
 * checksum fails write_image in the agent and the deploy with the agent's error; the agent killed mid write_image
 * (SysRq "kill all tasks" from the VM's keyboard; the ramdisk's init restarts it, the new agent gets no token) stops
 * heartbeating and the deploy times out as Ironic's does. Automated cleaning is off in these labs (each run would
 * add a ramdisk boot); cleaning is covered by the other flows.
 * Run: bash scripts/vm-extra.sh failures
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Lab, labImages, sendKey } from '@anvil/vm-lab';
import { until } from '../wait.ts';
import { failWithout } from '../prereq.ts';
import { debugDump, MIN, oneVmLab, printTimings, provision, SCALE, setImage, timed, vmMissing, waitFailed, waitState } from './flow.ts';

failWithout(vmMissing());

/**
 * No cleaning; SysRq from the keyboard allowed in the ramdisk (the kill below); the agent tries an image once (IPA
 * retries a download that fails its checksum, 9 times by default: ~3 min each under loaded TCG).
 */
const FAILURE_SETTINGS = {
  automated_clean: false,
  kernel_append_params: 'console=ttyS0,115200 nofb nomodeset sysrq_always_enabled ipa-image-download-connection-retries=0',
};

async function available(lab: Lab, node: string): Promise<void> {
  await provision(lab, node, 'manage');
  await waitState(lab, node, 'manageable', 2 * MIN);
  await provision(lab, node, 'provide');
  await waitState(lab, node, 'available', 2 * MIN);
}

async function recover(lab: Lab, node: string, what: string): Promise<void> {
  await provision(lab, node, 'deleted');
  const n = await timed(`${what}: recovered (deleted to available)`, () => waitState(lab, node, 'available', 3 * MIN));
  assert.equal(n.instance_uuid, null);
}

describe('real-machine failure paths', () => {
  test('a VM that never boots: wait call-back times out with a clear last_error', { timeout: 15 * MIN }, async (t) => {
    const timeout = 60; // nothing can call back: the NIC is unplugged
    const lab = await oneVmLab('bios', { ...FAILURE_SETTINGS, deploy_callback_timeout: timeout });
    t.after(async () => {
      debugDump(lab, (t as { passed?: boolean }).passed === false);
      await lab.stop();
      printTimings();
    });
    const node = lab.nodes[0];
    await available(lab, node);
    await setImage(lab, node, labImages().instanceSha256);
    lab.vms[0].cable(false);
    await provision(lab, node, 'active');
    const failed = await timed('never boots: deploy to deploy failed', () => waitFailed(lab, node, 'deploy failed', (timeout + 120) * 1000));
    assert.equal(failed.last_error, `Timeout reached while waiting for callback for node ${node}`);
    assert.equal(failed.power_state, 'power off');
    assert.doesNotMatch(lab.vms[0].serial(), /anvil-agent-init/, 'the ramdisk never ran');
    lab.vms[0].cable(true);
    await recover(lab, node, 'never boots');
  });

  test('a wrong image checksum fails write_image with the agent error; a killed agent times the deploy out', { timeout: 60 * MIN }, async (t) => {
    // long enough for PXE → first heartbeat under emulation; each heartbeat moves the deadline (touch_provisioning)
    const timeout = 200 * SCALE;
    const lab = await oneVmLab('bios', { ...FAILURE_SETTINGS, deploy_callback_timeout: timeout });
    t.after(async () => {
      debugDump(lab, (t as { passed?: boolean }).passed === false);
      await lab.stop();
      printTimings();
    });
    const node = lab.nodes[0];
    const vm = lab.vms[0];
    await available(lab, node);

    await setImage(lab, node, '0'.repeat(64));
    await provision(lab, node, 'active');
    const bad = await timed('wrong checksum: deploy to deploy failed', () => waitFailed(lab, node, 'deploy failed', 12 * MIN * SCALE));
    console.error(`vm-lab: wrong checksum last_error: ${bad.last_error}`);
    assert.match(bad.last_error, new RegExp(`^Deploy step deploy\\.write_image failed on node ${node}\\. `));
    assert.match(bad.last_error, /checksum/i);
    assert.equal(bad.power_state, 'power off');
    await recover(lab, node, 'wrong checksum');

    await setImage(lab, node, labImages().instanceSha256);
    const before = vm.serial().length;
    await provision(lab, node, 'active');
    await until(
      'write_image running in the agent',
      async () => (await lab.anvil.api('GET', `/nodes/${node}`)).body.deploy_step?.step === 'write_image' && /write_image/.test(vm.serial().slice(before)),
      10 * MIN * SCALE,
    );
    const killedAt = Date.now();
    await sendKey(vm.spec.dir, 'alt-sysrq-i'); // SIGKILL to every process but init
    await until('the agent killed', async () => /ironic-python-agent exited \(137\)/.test(vm.serial().slice(before)), 2 * MIN);
    const dead = await waitFailed(lab, node, 'deploy failed', (timeout + 180) * 1000);
    const s = Math.round((Date.now() - killedAt) / 100) / 10;
    console.error(`vm-lab: killed agent: deploy failed ${s} s after the kill (deploy_callback_timeout ${timeout} s): ${dead.last_error}`);
    assert.equal(dead.last_error, `Timeout reached while waiting for callback for node ${node}`);
    await recover(lab, node, 'killed agent');
  });
});
