import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, type Settings } from '@anvil/sdk';
import { createRegistry } from './registry.ts';
import { PluginLoadError } from './plugin-error.ts';
import { GOOD_POWER_JS, hardwareTypeJs, tempPluginDir, writePackage } from './test-packages.ts';

const quiet = { warn: () => {} };
/** Only fake-hardware enabled unless a test says otherwise, so other installed plugins do not change the lists. */
const settings = (extra: Record<string, unknown> = {}): Settings =>
  ({ ...DEFAULT_SETTINGS, enabled_hardware_types: ['fake-hardware'], ...extra }) as Settings;

test('fake-hardware is found through its package.json and resolves Ironic defaults', async () => {
  const reg = await createRegistry(settings(), quiet);
  assert.ok(reg.hardwareTypeNames().includes('fake-hardware'));
  assert.equal(reg.packageOf('fake-hardware'), '@anvil/plugin-fake-hardware');
  const r = reg.resolveInterfaces('fake-hardware', {});
  assert.equal(r.power_interface, 'fake');
  assert.equal(r.deploy_interface, 'fake');
  assert.equal(r.network_interface, 'noop');
  assert.equal(r.vendor_interface, 'fake');
  assert.deepEqual(reg.enabledInterfaces('console').sort(), ['fake', 'no-console']);
  // explicit choice kept
  assert.equal(reg.resolveInterfaces('fake-hardware', { console_interface: 'no-console' }).console_interface, 'no-console');
});

test('explicit disabled interface → 400 naming the enabled ones; unknown driver → 400', async () => {
  const reg = await createRegistry(settings({ enabled_console_interfaces: ['no-console'] }), quiet);
  assert.equal(reg.resolveInterfaces('fake-hardware', {}).console_interface, 'no-console');
  assert.throws(
    () => reg.resolveInterfaces('fake-hardware', { console_interface: 'fake' }),
    (e: any) => e.status === 400 && /Valid interfaces are \['no-console'\]/.test(e.message),
  );
  assert.throws(() => reg.resolveInterfaces('no-such-driver', {}), (e: any) => e.status === 400 && e.code === 'NoValidHost');
});

test('default_<kind>_interface is honoured when enabled and supported', async () => {
  const reg = await createRegistry(settings({ default_raid_interface: 'no-raid', default_vendor_interface: 'no-vendor' }), quiet);
  const r = reg.resolveInterfaces('fake-hardware', {});
  assert.equal(r.raid_interface, 'no-raid');
  assert.equal(r.vendor_interface, 'no-vendor');
  assert.equal(reg.defaultInterface('fake-hardware', 'raid'), 'no-raid');
});

test('load(node) gives working implementations; fake power keeps state in the node record', async () => {
  const reg = await createRegistry(settings(), quiet);
  const node: any = { uuid: 'u1', driver: 'fake-hardware', power_state: null, driver_info: {}, driver_internal_info: {} };
  for (const k of ['bios', 'boot', 'console', 'deploy', 'inspect', 'management', 'network', 'power', 'raid', 'rescue', 'storage', 'vendor']) {
    node[`${k}_interface`] = null;
  }
  const driver = await reg.load(node);
  assert.equal(driver.names.power, 'fake');
  const task: any = {
    node,
    ports: [],
    portgroups: [],
    driver,
    async saveNode(f: object) {
      Object.assign(node, f);
    },
    async setInternalInfo(v: object) {
      Object.assign(node.driver_internal_info, v);
    },
  };
  await driver.get('power').setPowerState(task, 'power on');
  assert.equal(await driver.get('power').getPowerState(task), 'power on');
  await driver.get('power').setPowerState(task, 'soft power off');
  assert.equal(node.power_state, 'power off');
  await assert.rejects(driver.get('power').setPowerState(task, 'on'), (e: any) => e.status === 400);
});

test('hardwareInterfaceRows flags exactly one default per type and kind', async () => {
  const reg = await createRegistry(settings(), quiet);
  const rows = reg.hardwareInterfaceRows().filter((r) => r.hardware_type === 'fake-hardware');
  for (const kind of ['power', 'console', 'vendor']) {
    assert.equal(rows.filter((r) => r.interface_type === kind && r.default).length, 1, kind);
  }
  assert.ok(rows.some((r) => r.interface_type === 'console' && r.interface_name === 'no-console' && !r.default));
});

test('a third-party type from plugin_dirs: supported list enforced, not-enabled types never imported', async () => {
  const root = tempPluginDir();
  writePackage(root, 'box-plugin', { hardware_types: { box: './ht.js' }, interfaces: { power: { box: './power.js' } } }, {
    'ht.js': hardwareTypeJs('box', { boot: ['fake'], deploy: ['fake'], management: ['fake'], power: ['box'] }),
    'power.js': GOOD_POWER_JS,
  });
  // Declares a type nobody enables; importing it would throw.
  writePackage(root, 'lazy-plugin', { hardware_types: { lazy: './ht.js' } }, { 'ht.js': 'throw new Error("imported!");' });
  const reg = await createRegistry(settings({ enabled_hardware_types: ['fake-hardware', 'box'], plugin_dirs: [root] }), quiet);
  assert.deepEqual(reg.hardwareTypeNames().sort(), ['box', 'fake-hardware']);
  const r = reg.resolveInterfaces('box', {});
  assert.equal(r.power_interface, 'box');
  assert.equal(r.console_interface, 'no-console'); // implicit no-op support
  assert.throws(() => reg.resolveInterfaces('box', { power_interface: 'fake' }), /not supported by hardware type box/);
  // fake-hardware accepts any enabled implementation, like Ironic
  assert.equal(reg.resolveInterfaces('fake-hardware', { power_interface: 'box' }).power_interface, 'box');
  assert.deepEqual(Object.keys(reg.driverProperties('box')).sort(), [
    'box_address',
    'fake_boot_sleep',
    'fake_deploy_sleep',
    'fake_management_sleep',
  ]);
  assert.ok('box_address' in reg.driverProperties('box'));
});

const BAD_CASES: [string, (root: string) => void, RegExp][] = [
  [
    'throws on load',
    (root) =>
      writePackage(root, 'acme-throws', { interfaces: { power: { boom: './p.js' } } }, { 'p.js': 'throw new Error("kaboom at import");' }),
    /acme-throws: .*throws on load.*kaboom at import/,
  ],
  [
    'lacks a required method',
    (root) =>
      writePackage(root, 'acme-partial', { interfaces: { power: { half: './p.js' } } }, {
        'p.js': 'export default () => ({ getProperties: () => ({}), async validate() {}, async getPowerState() { return "power on"; } });',
      }),
    /acme-partial: power interface 'half' .*lacks required method\(s\): setPowerState, reboot, getSupportedPowerStates/,
  ],
  [
    'duplicates a name',
    (root) => writePackage(root, 'acme-dup', { interfaces: { power: { fake: './p.js' } } }, { 'p.js': GOOD_POWER_JS }),
    /acme-dup: declares power interface 'fake', which package @anvil\/plugin-fake-hardware already declares/,
  ],
  [
    'declares an unknown interface kind',
    (root) => writePackage(root, 'acme-kind', { interfaces: { teleport: { beam: './p.js' } } }, { 'p.js': GOOD_POWER_JS }),
    /acme-kind: declares unknown interface kind 'teleport'/,
  ],
];

for (const [what, make, message] of BAD_CASES) {
  test(`bad plugin (${what}) → refuses to start with one message naming the package; warn → skipped`, async () => {
    const root = tempPluginDir();
    make(root);
    // enable the bad interface explicitly where it has a name, so the broken module is really loaded
    const extra: Record<string, unknown> = { plugin_dirs: [root] };
    if (what !== 'duplicates a name' && what !== 'declares an unknown interface kind') {
      extra.enabled_power_interfaces = ['fake', what === 'throws on load' ? 'boom' : 'half'];
    }
    await assert.rejects(createRegistry(settings(extra), quiet), (e: any) => {
      assert.ok(e instanceof PluginLoadError, String(e));
      assert.match(e.message, /^Anvil cannot start: plugin package /);
      assert.match(e.message, message);
      return true;
    });
    const warnings: string[] = [];
    const reg = await createRegistry(settings({ ...extra, plugin_load_errors: 'warn' }), { warn: (m) => warnings.push(m) });
    assert.ok(reg.hardwareTypeNames().includes('fake-hardware'));
    assert.ok(warnings.some((w) => message.test(w) && w.endsWith('(skipped)')), warnings.join('\n'));
    assert.ok(reg.enabledInterfaces('power').includes('fake'));
    assert.ok(!reg.enabledInterfaces('power').some((n) => n === 'boom' || n === 'half'));
    if (what === 'duplicates a name') assert.equal(reg.packageOf('fake-hardware'), '@anvil/plugin-fake-hardware');
  });
}

test('operator-enabled hardware type that is not installed refuses start; built-in defaults only warn', async () => {
  await assert.rejects(
    createRegistry(settings({ enabled_hardware_types: ['fake-hardware', 'nonexistent-hw'] }), quiet),
    /enabled_hardware_types names 'nonexistent-hw', but no installed plugin package provides it/,
  );
  await assert.rejects(
    createRegistry(settings({ enabled_power_interfaces: ['fake', 'ghost'] }), quiet),
    /enabled_power_interfaces names 'ghost', but no installed plugin package provides a power interface 'ghost'/,
  );
  // the shipped default list (fake-hardware, manual-management, ipmi) never blocks start when a type is absent
  const warnings: string[] = [];
  const reg = await createRegistry(settings({ enabled_hardware_types: [...DEFAULT_SETTINGS.enabled_hardware_types] }), {
    warn: (m) => warnings.push(m),
  });
  assert.ok(reg.hardwareTypeNames().includes('fake-hardware'));
  await assert.rejects(
    createRegistry(settings({ enabled_hardware_types: ['fake-hardware'], default_power_interface: 'ipmitool' }), quiet),
    /default_power_interface 'ipmitool' is not an enabled power interface/,
  );
});

test('bad hardware type modules: wrong name, unknown kind, missing required kinds → named in the refusal', async () => {
  const root = tempPluginDir();
  writePackage(root, 'ht-misnamed', { hardware_types: { alpha: './ht.js' } }, { 'ht.js': hardwareTypeJs('beta', { power: ['fake'] }) });
  writePackage(root, 'ht-kind', { hardware_types: { gamma: './ht.js' } }, { 'ht.js': hardwareTypeJs('gamma', { warp: ['x'] }) });
  writePackage(root, 'ht-thin', { hardware_types: { delta: './ht.js' } }, { 'ht.js': hardwareTypeJs('delta', { power: ['fake'] }) });
  const s = settings({ plugin_dirs: [root], enabled_hardware_types: ['fake-hardware', 'alpha', 'gamma', 'delta'] });
  await assert.rejects(createRegistry(s, quiet), (e: any) => {
    assert.ok(e instanceof PluginLoadError);
    assert.match(e.message, /plugin package ht-misnamed: hardware type in \.\/ht\.js is named 'beta' but package\.json declares 'alpha'/);
    assert.match(e.message, /plugin package ht-kind: hardware type 'gamma' lists unknown interface kind 'warp'/);
    assert.match(e.message, /hardware type 'delta' has no enabled interface for: boot \(supports nothing\); deploy \(supports nothing\); management/);
    return true;
  });
});

test('an entry path leaving its package is refused', async () => {
  const root = tempPluginDir();
  writePackage(root, 'escape', { interfaces: { power: { out: '../outside.js' } } }, {});
  await assert.rejects(
    createRegistry(settings({ plugin_dirs: [root], enabled_power_interfaces: ['fake', 'out'] }), quiet),
    /plugin package escape: module path \.\.\/outside\.js points outside the package/,
  );
});
