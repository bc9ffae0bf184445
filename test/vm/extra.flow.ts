/**
 * The real-machine flows kept out of `npm test` for time (each agent boot under TCG is minutes): rescue and unrescue
 * (the agent's rescue mode with a rescue_password) then undeploy with cleaning on a BIOS VM; a UEFI VM (OVMF)
 * cleaned, deployed with the same image and undeployed; the real agent inspecting a two-NIC VM (`agent` inspect
 * interface); and the failure paths (failures.flow.ts).
 * Run: bash scripts/vm-extra.sh [rescue|uefi|inspect|failures]   (node's test runner; timings as in vm-deploy.test.ts)
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { failWithout } from '../prereq.ts';
import { partitions } from '@anvil/vm-lab';
import { authorizedKeysOnDisk, debugDump, deployWithConfigDrive, MIN, oneVmLab, printTimings, provision, SCALE, timed, vmMissing, waitState } from './flow.ts';

failWithout(vmMissing());
const only = process.env.ANVIL_VM_FLOW ?? 'rescue,uefi,inspect,failures';

describe('real-machine flows outside npm test', () => {
  test('rescue with a rescue password, unrescue back to the instance (BIOS)', { skip: !only.includes('rescue'), timeout: 20 * MIN * SCALE }, async (t) => {
    const lab = await oneVmLab('bios');
    t.after(async () => {
      debugDump(lab, (t as { passed?: boolean }).passed === false);
      await lab.stop();
      printTimings();
    });
    const node = lab.nodes[0];
    await provision(lab, node, 'manage');
    await waitState(lab, node, 'manageable', 2 * MIN);
    await provision(lab, node, 'provide');
    await timed('cleaning (provide to available)', () => waitState(lab, node, 'available', 6 * MIN * SCALE));
    await deployWithConfigDrive(lab, node, 'anvil-rescue-0');
    await provision(lab, node, 'rescue', { rescue_password: 'r3scue!' });
    await timed('rescue (to rescue)', () => waitState(lab, node, 'rescue', 6 * MIN * SCALE));
    await timed('rescue user ready', async () => {
      const end = Date.now() + 3 * MIN * SCALE;
      while (!/rescue mode: user rescue has the rescue password/.test(lab.vms[0].serial())) {
        assert.ok(Date.now() < end, 'the ramdisk set the rescue password');
        await new Promise((r) => setTimeout(r, 2000));
      }
    });
    await provision(lab, node, 'unrescue');
    await timed('unrescue (to active)', () => waitState(lab, node, 'active', 6 * MIN * SCALE));
    await provision(lab, node, 'deleted');
    await timed('undeploy (deleted to available, with cleaning)', () => waitState(lab, node, 'available', 8 * MIN * SCALE));
  });

  test('UEFI: OVMF network-boots the agent, the image boots through its EFI system partition', { skip: !only.includes('uefi'), timeout: 20 * MIN * SCALE }, async (t) => {
    const lab = await oneVmLab('uefi');
    t.after(async () => {
      debugDump(lab, (t as { passed?: boolean }).passed === false);
      await lab.stop();
      printTimings();
    });
    const node = lab.nodes[0];
    await provision(lab, node, 'manage');
    await waitState(lab, node, 'manageable', 2 * MIN);
    await provision(lab, node, 'provide');
    await timed('uefi cleaning (provide to available)', () => waitState(lab, node, 'available', 6 * MIN * SCALE));
    const lines = await deployWithConfigDrive(lab, node, 'anvil-uefi-0');
    console.error(`vm-lab: serial lines of the UEFI instance:\n${lines.join('\n')}`);
    assert.ok(lines.some((l) => /finished at .*Datasource DataSourceConfigDrive/.test(l)), lines.join('\n'));
    assert.match((await authorizedKeysOnDisk(lab, node)) ?? '', /anvil-vm-test/);
    await provision(lab, node, 'deleted');
    await timed('uefi undeploy (deleted to available, with cleaning)', () => waitState(lab, node, 'available', 8 * MIN * SCALE));
    assert.deepEqual(partitions(lab.vms[0].disk), [], 'erase_devices_metadata removed the partition table');
  });

  test('inspect: the real agent reports a two-NIC VM; properties, a port per NIC, the inventory stored', { skip: !only.includes('inspect'), timeout: 10 * MIN * SCALE }, async (t) => {
    // add_ports=all: the second NIC (never PXE-booted, no address) gets a port too; the hooks Ironic's docs suggest
    const lab = await oneVmLab('bios', { inspector_add_ports: 'all', inspector_hooks: '$default_hooks,cpus,memory,root-device,boot-mode' }, 2);
    t.after(async () => {
      debugDump(lab, (t as { passed?: boolean }).passed === false);
      await lab.stop();
      printTimings();
    });
    const node = lab.nodes[0];
    const vm = lab.vms[0];
    const set = await lab.anvil.api('PATCH', `/nodes/${node}`, [{ op: 'replace', path: '/inspect_interface', value: 'agent' }]);
    assert.equal(set.status, 200, JSON.stringify(set.body));
    await provision(lab, node, 'manage');
    await waitState(lab, node, 'manageable', 2 * MIN);
    const serialBefore = vm.serial().length;
    await provision(lab, node, 'inspect');
    const done = await timed('inspection (inspect to manageable)', () => waitState(lab, node, 'manageable', 8 * MIN * SCALE));
    const lines = vm
      .serial()
      .slice(serialBefore)
      .split('\n')
      .filter((l) => /ipa-inspection-callback-url|inspection|Inspect/.test(l))
      .map((l) => l.trim().slice(0, 240));
    console.error(`vm-lab: serial lines of the inspection:\n${lines.join('\n')}`);
    assert.equal(done.last_error, null);
    assert.equal(done.power_state, 'power off', 'inspector_power_off');
    // 1 vCPU, 1536 MiB, a 5 GiB disk (local_gb: GiB - 1 as Ironic's root-device hook), SeaBIOS
    assert.deepEqual(done.properties, { cpu_arch: 'x86_64', cpus: 1, memory_mb: 1536, local_gb: 4, capabilities: 'boot_mode:bios' });
    const ports = (await lab.anvil.api('GET', `/ports/detail?node=${node}`)).body.ports;
    assert.deepEqual(ports.map((p: any) => [p.address, p.pxe_enabled]).sort(), vm.macs.map((m, i) => [m, i === 0]).sort());
    const inv = await lab.anvil.api('GET', `/nodes/${node}/inventory`, undefined, '1.81');
    assert.equal(inv.status, 200, JSON.stringify(inv.body));
    assert.deepEqual(inv.body.inventory.interfaces.map((i: any) => i.mac_address).sort(), [...vm.macs].sort());
    assert.equal(inv.body.inventory.boot.current_boot_mode, 'bios');
    assert.equal(inv.body.inventory.boot.pxe_interface, vm.mac);
    assert.match(JSON.stringify(inv.body.inventory.system_vendor), /QEMU/);
    assert.ok(inv.body.inventory.disks.some((d: any) => d.size === 5 * 1024 ** 3), JSON.stringify(inv.body.inventory.disks));
  });
});
