import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cachedSteps } from './step-cache.ts';

const step = (name: string, priority: number, iface = 'deploy') => ({ step: name, priority, interface: iface, reboot_requested: false });

test("get_deploy_steps → the node's cache grouped by interface, as Ironic's refresh_steps", () => {
  const out = cachedSteps(
    'deploy',
    'n1',
    {
      deploy_steps: { GenericHardwareManager: [step('erase_devices_metadata', 0), step('write_image', 0), step('inject_files', 0), step('apply_configuration', 0, 'raid')] },
      hardware_manager_version: { generic_hardware_manager: '1.2' },
    },
    new Date('2026-12-05T23:00:00.123Z'),
  );
  assert.deepEqual(Object.keys(out.agent_cached_deploy_steps as object), ['deploy', 'raid']);
  assert.deepEqual((out.agent_cached_deploy_steps as Record<string, { step: string }[]>).deploy.map((s) => s.step), ['erase_devices_metadata', 'write_image', 'inject_files']);
  assert.deepEqual(out.hardware_manager_version, { generic_hardware_manager: '1.2' });
  assert.equal(out.agent_cached_deploy_steps_refreshed, '2026-12-05T23:00:00.123000');
});

test('clean steps are marked requires_ramdisk; missing keys fail with Ironic text', () => {
  const out = cachedSteps('clean', 'n1', { clean_steps: { A: [step('erase_devices', 10)] }, hardware_manager_version: {} });
  assert.equal((out.agent_cached_clean_steps as Record<string, { requires_ramdisk: boolean }[]>).deploy[0].requires_ramdisk, true);
  assert.throws(() => cachedSteps('deploy', 'n1', { deploy_steps: {} }), /^InstanceDeployFailure|agent get_deploy_steps for node n1 returned an invalid result\. Keys: hardware_manager_version are missing/);
  assert.throws(
    () => cachedSteps('clean', 'n1', { clean_steps: { A: [{ step: 'x', interface: 'deploy' }] }, hardware_manager_version: {} }),
    /agent get_clean_steps for node n1 returned an invalid clean step\. Keys: priority are missing from step/,
  );
});
