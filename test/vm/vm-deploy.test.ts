/**
 * A real machine, end to end (BIOS): a qemu VM on a bridge in a network namespace, its BMC OpenIPMI's ipmi_sim driving
 * qemu over QMP, enrolled as an `ipmi` node (ipxe boot, direct deploy, flat network). It PXE-boots the real
 * ironic-python-agent from Anvil (dnsmasq DHCP from Anvil's dnsmasq provider, iPXE script and ramdisk over Anvil's
 * HTTP) and is cleaned (erase_devices_metadata; the agent serves https with the certificate it generated and sent as
 * agent_verify_ca, and Anvil verifies it); deployed with a Debian whole-disk image and a config drive, it boots
 * the image and cloud-init reads the drive (hostname and a runcmd marker on the serial console, the SSH key on disk);
 * undeployed, cleaning wipes the disk's partition table and the node is available again.
 * Rescue/unrescue and UEFI run in test/vm/extra.flow.ts (scripts/vm-extra.sh). Timings: bench/vm-bench.sh.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Lab, partitions } from '@anvil/vm-lab';
import { failWithout } from '../prereq.ts';
import { authorizedKeysOnDisk, debugDump, deployWithConfigDrive, MIN, oneVmLab, printTimings, provision, SCALE, timed, vmMissing, waitState } from './flow.ts';

failWithout(vmMissing());

describe('a real machine end to end (qemu BIOS, ipmi_sim, ironic-python-agent, cloud-init)', () => {
  let lab: Lab;
  before(async () => {
    lab = await oneVmLab('bios');
  });
  after(async () => {
    await lab?.stop();
    printTimings();
  });

  // the test's own bound (run-tests.mjs gives every test 10 min): the three waits below are capped by SCALE
  test('cleaned by the agent, deployed with a config drive cloud-init reads, undeployed with cleaning', { timeout: 27 * MIN }, async (t) => {
    t.after(() => debugDump(lab, (t as { passed?: boolean }).passed === false));
    const node = lab.nodes[0];
    const vm = lab.vms[0];
    await provision(lab, node, 'manage');
    await waitState(lab, node, 'manageable', 2 * MIN);

    // automated cleaning: the VM PXE-boots the agent, which looks up, heartbeats and runs erase_devices_metadata
    await provision(lab, node, 'provide');
    await timed('cleaning (provide to available)', () => waitState(lab, node, 'available', 6 * MIN * SCALE));
    assert.match(vm.serial(), /Starting ironic-python-agent version: 9\.4\.1/);
    assert.match(vm.serial(), /Clean step completed: .*erase_devices_metadata/);
    assert.deepEqual(vm.actions().slice(0, 2), ['set boot pxe', 'set power 1']);
    // IPA's automatic TLS: the agent serves https with the certificate it sent as agent_verify_ca; Anvil's commands
    // reached it, checked against that certificate (plugins/direct/src/agent-tls.test.ts)
    assert.match(vm.serial(), /wsgi starting up on https:/);
    assert.match(vm.serial(), /"POST \/v1\/commands\/\?wait=true&agent_token=\S+ HTTP\/1\.1" status: 200/);

    const lines = await deployWithConfigDrive(lab, node, 'anvil-vm-0');
    console.error(`vm-lab: serial lines of the instance:\n${lines.join('\n')}`);
    assert.ok(lines.some((l) => /finished at .*Datasource DataSourceConfigDrive/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('anvil-vm-0 login:')), 'the console login prompt shows the hostname');
    assert.match(vm.serial(), /Authorized keys from \/home\/debian\/\.ssh\/authorized_keys for user debian[\s\S]*anvil-vm-test/);
    const keys = await authorizedKeysOnDisk(lab, node);
    assert.match(keys ?? '', /anvil-vm-test/);
    assert.ok(partitions(vm.disk).length >= 4, 'the agent added the config drive partition');

    // undeploy: cleaning wipes the disk metadata, the node is available again
    await provision(lab, node, 'deleted');
    const avail = await timed('undeploy (deleted to available, with cleaning)', () => waitState(lab, node, 'available', 8 * MIN * SCALE));
    assert.equal(avail.instance_uuid, null);
    assert.deepEqual(partitions(vm.disk), [], 'erase_devices_metadata removed the partition table');
  });
});
