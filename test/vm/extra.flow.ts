/**
 * The real-machine flows kept out of `npm test` for time (each agent boot under TCG is minutes): rescue and unrescue
 * (the agent's rescue mode with a rescue_password) then undeploy with cleaning on a BIOS VM; a UEFI VM (OVMF)
 * cleaned, deployed with the same image and undeployed; and the failure paths (failures.flow.ts).
 * Run: bash scripts/vm-extra.sh [rescue|uefi|failures]   (node's test runner; timings as in vm-deploy.test.ts)
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { failWithout } from '../prereq.ts';
import { partitions } from '@anvil/vm-lab';
import { authorizedKeysOnDisk, debugDump, deployWithConfigDrive, MIN, oneVmLab, printTimings, provision, SCALE, timed, vmMissing, waitState } from './flow.ts';

failWithout(vmMissing());
const only = process.env.ANVIL_VM_FLOW ?? 'rescue,uefi,failures';

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
});
