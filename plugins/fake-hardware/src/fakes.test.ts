/** The fake and no-op interfaces against an in-memory task (the node record is the only state they touch). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Task } from '@anvil/sdk';
import power from './power.ts';
import management from './management.ts';
import vendor from './vendor.ts';
import noConsole from './no-console.ts';
import noRaid from './no-raid.ts';
import network from './network-noop.ts';
import raid from './raid.ts';
import bios from './bios.ts';
import { drawSeconds, fakeDelay, parseDelay, sleepSeconds } from './delay.ts';

function makeTask(extra: Record<string, unknown> = {}) {
  const node: any = { uuid: 'n-1', driver: 'fake-hardware', power_state: null, driver_info: {}, driver_internal_info: {}, target_raid_config: {}, raid_config: {} };
  const ports: any[] = [
    { uuid: 'p-1', pxe_enabled: false, portgroup_id: null, internal_info: {} },
    { uuid: 'p-2', pxe_enabled: true, portgroup_id: null, internal_info: {} },
  ];
  const warnings: string[] = [];
  const task = {
    node,
    ports,
    portgroups: [],
    warnings,
    log: { info() {}, error() {}, warn: (msg: string) => warnings.push(msg) },
    async saveNode(f: object) {
      Object.assign(node, f);
    },
    async setInternalInfo(v: Record<string, unknown>) {
      Object.assign(node.driver_internal_info, v);
    },
    async savePort(uuid: string, f: any) {
      Object.assign(ports.find((p) => p.uuid === uuid), f);
    },
    ...extra,
  } as unknown as Task;
  return { node, ports, task };
}

test('fake power: every supported target lands in power_state; bad target → 400', async () => {
  const p = power({});
  const { node, task } = makeTask();
  assert.deepEqual(await p.getSupportedPowerStates(task), ['power on', 'power off', 'rebooting', 'soft rebooting', 'soft power off']);
  assert.equal(await p.getPowerState(task), null, 'unknown until the first power action (Ironic 21.4)');
  for (const [target, result] of [
    ['power on', 'power on'],
    ['soft power off', 'power off'],
    ['rebooting', 'power on'],
    ['power off', 'power off'],
    ['soft rebooting', 'power on'],
  ]) {
    await p.setPowerState(task, target);
    assert.equal(node.power_state, result, target);
    assert.equal(await p.getPowerState(task), result);
  }
  await assert.rejects(p.setPowerState(task, 'on'), (e: any) => e.code === 'InvalidParameterValue');
});

// Ironic 21.4's fake management, as the real one answers (test/tempest and test/contract/fake-hardware.test.ts
// compare with Debian's Ironic): only pxe, nothing remembered, always pxe / not persistent
test('fake management: pxe only, nothing remembered; other devices → 400', async () => {
  const m = management({});
  const { task } = makeTask();
  assert.deepEqual(await m.getSupportedBootDevices(task), ['pxe']);
  assert.deepEqual(await m.getBootDevice(task), { boot_device: 'pxe', persistent: false });
  await m.setBootDevice(task, 'pxe', true);
  assert.deepEqual(await m.getBootDevice(task), { boot_device: 'pxe', persistent: false });
  await assert.rejects(m.setBootDevice(task, 'disk', false), /Invalid boot device disk specified/);
  await assert.rejects(m.setBootDevice(task, 'cdrom', false), /Invalid boot device cdrom specified/);
});

test('fake vendor: declarations, validation, sync and async methods', async () => {
  const v = vendor({});
  const { node, task } = makeTask();
  assert.equal(v.methods().second_method.async, true);
  assert.equal(v.methods().third_method_sync.async, false);
  assert.equal(v.methods().fourth_method_shared_lock.require_exclusive_lock, false);
  await assert.rejects(v.validateMethod!(task, 'third_method_sync', 'POST', {}), (e: any) => e.code === 'MissingParameterValue');
  assert.equal(await v.callMethod(task, 'third_method_sync', 'POST', { bar: 'meow' }), true);
  assert.equal(await v.callMethod(task, 'third_method_sync', 'POST', { bar: 'woof' }), false);
  assert.equal(await v.callMethod(task, 'second_method', 'POST', { bar: 'stored' }), false);
  assert.equal(node.driver_internal_info.fake_vendor_bar, 'stored');
  assert.deepEqual(await v.callDriverMethod!('fake_driver_method', 'GET', { bar: 1 }), { bar: 1 });
});

test('no-* interfaces fail validation with Ironic\'s UnsupportedDriverExtension message', async () => {
  const { task } = makeTask();
  await assert.rejects(noConsole({}).validate(task), {
    code: 'UnsupportedDriverExtension',
    message: 'Driver fake-hardware does not support console (disabled or not implemented).',
  });
  await assert.rejects(noConsole({}).startConsole(task), { code: 'UnsupportedDriverExtension' });
  assert.ok('raid_level' in noRaid({}).getLogicalDiskProperties());
});

test('noop network records VIFs on ports (pxe-enabled first) and detaches them', async () => {
  const n = network({});
  const { ports, task } = makeTask();
  await n.vifAttach(task, { id: 'vif-a' });
  assert.equal(ports[1].internal_info.tenant_vif_port_id, 'vif-a');
  await n.vifAttach(task, { id: 'vif-b' });
  assert.equal(ports[0].internal_info.tenant_vif_port_id, 'vif-b');
  assert.deepEqual((await n.vifList(task)).map((v) => v.id).sort(), ['vif-a', 'vif-b']);
  await n.vifAttach(task, { id: 'vif-c' }); // no free port: accepted, not recorded (Ironic's noop accepts all)
  assert.match((task as any).warnings[0], /no free port/);
  await n.vifAttach(task, { id: 'vif-a' }); // already attached: idempotent
  assert.deepEqual((await n.vifList(task)).map((v) => v.id).sort(), ['vif-a', 'vif-b']);
  await n.vifDetach(task, 'vif-a');
  assert.equal(ports[1].internal_info.tenant_vif_port_id, undefined);
  await n.vifDetach(task, 'vif-a'); // not attached: no-op, as Ironic's noop
});

test('fake RAID has no steps (as Ironic 21.4) and validates the config shape; fake BIOS has three clean steps', async () => {
  const r = raid({});
  const { task } = makeTask();
  assert.deepEqual(r.cleanSteps, []);
  assert.deepEqual(r.deploySteps, []);
  await assert.rejects(r.executeStep!(task, 'create_configuration', {}, 'clean'), /Unknown RAID step/);
  await assert.rejects(r.validateRaidConfig!(task, { logical_disks: [{ size_gb: 1 }] }), /size_gb and raid_level/);
  const b = bios({});
  assert.deepEqual(b.cleanSteps!.map((s) => s.step), ['apply_configuration', 'factory_reset', 'cache_bios_settings']);
  assert.deepEqual(b.deploySteps!.map((s) => s.step), ['apply_configuration', 'factory_reset']);
  const saved: unknown[] = [];
  (task as any).saveBiosSettings = async (s: unknown) => saved.push(s);
  await b.executeStep!(task, 'apply_configuration', { settings: [{ name: 'a', value: 'b' }] }, 'clean');
  await b.executeStep!(task, 'factory_reset', {}, 'clean');
  assert.deepEqual(saved, [[{ name: 'a', value: 'b' }], []]);
});

test('fake_<kind>_delay settings (Ironic [fake] <kind>_delay): one value or a comma range', async () => {
  assert.equal(parseDelay(undefined), null);
  assert.deepEqual(parseDelay('2'), [2, 2]);
  assert.deepEqual(parseDelay('1, 3'), [1, 3]);
  assert.equal(parseDelay('junk'), null);
  assert.equal(drawSeconds([1, 3], 0), 1);
  assert.equal(drawSeconds([1, 3], 1), 3);
  const slow = power({ fake_power_delay: '0.2' });
  const { task } = makeTask();
  const t0 = performance.now();
  await slow.setPowerState(task, 'power on');
  assert.ok(performance.now() - t0 >= 190);
  const t1 = performance.now();
  await fakeDelay({}, 'power')(task);
  assert.ok(performance.now() - t1 < 50);
});

test('driver_info fake_<kind>_sleep (per node) wins over the setting', async () => {
  assert.equal(sleepSeconds('2'), 2);
  assert.equal(sleepSeconds('1-3', 0.5), 2);
  assert.equal(sleepSeconds('junk'), 0);
  const p = power({ fake_power_delay: '5' });
  const { node, task } = makeTask();
  node.driver_info.fake_power_sleep = '0.1';
  const t0 = performance.now();
  await p.setPowerState(task, 'power on');
  const took = performance.now() - t0;
  assert.ok(took >= 90 && took < 2000, String(took));
  assert.ok('fake_power_sleep' in p.getProperties());
});
