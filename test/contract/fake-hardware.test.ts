/**
 * fake-hardware is Ironic's fake-hardware: one scenario run against Debian's real Ironic 21.4
 * (scripts/services/real-ironic.sh) and against `anvil server` with the same enabled interfaces, answers compared
 * (uuids normalised): boot devices and `persistent`, power state before the first power action and after each
 * one, which BIOS clean steps exist and what they leave in the BIOS cache, deploy with the fake interfaces.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAnvil, type RunningAnvil } from '../nova/anvil-process.ts';
import { failWithout } from '../prereq.ts';
import { until } from '../wait.ts';

const REAL = process.env.NOVA_REAL_IRONIC_URL;
failWithout(!REAL && 'NOVA_REAL_IRONIC_URL is not set (bash scripts/services/real-ironic.sh start; export its env)');

/** The interfaces scripts/services/real-ironic.sh enables */
const SAME_AS_REAL = {
  enabled_bios_interfaces: 'fake,no-bios', enabled_boot_interfaces: 'fake', enabled_console_interfaces: 'fake,no-console',
  enabled_deploy_interfaces: 'fake', enabled_inspect_interfaces: 'fake,no-inspect', enabled_management_interfaces: 'fake',
  enabled_network_interfaces: 'noop', default_network_interface: 'noop', enabled_power_interfaces: 'fake',
  enabled_raid_interfaces: 'fake,no-raid', enabled_rescue_interfaces: 'fake,no-rescue', default_rescue_interface: 'fake',
  enabled_storage_interfaces: 'noop', enabled_vendor_interfaces: 'fake,no-vendor',
};

let anvil: RunningAnvil | undefined;
before(async () => {
  anvil = await startAnvil(['--enabled-hardware-types', 'fake-hardware', ...Object.entries(SAME_AS_REAL).flatMap(([k, v]) => ['--set', `${k}=${v}`])]);
});
after(() => anvil?.stop());

type Answer = [string, number, unknown];

async function call(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const r = await fetch(base + path, {
    method,
    headers: { 'X-OpenStack-Ironic-API-Version': '1.81', 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let parsed: any = text ? JSON.parse(text) : null;
  if (parsed && typeof parsed.error_message === 'string') parsed = JSON.parse(parsed.error_message).faultstring;
  return { status: r.status, body: parsed };
}

async function scenario(base: string): Promise<Answer[]> {
  const out: Answer[] = [];
  const node = (await call(base, 'POST', '/v1/nodes', { driver: 'fake-hardware' })).body;
  const u = node.uuid as string;
  const norm = (v: unknown) => JSON.parse(JSON.stringify(v ?? null).replaceAll(u, '<node>'));
  const rec = async (label: string, method: string, path: string, body?: unknown) => {
    const r = await call(base, method, path.replace('{n}', u), body);
    out.push([label, r.status, norm(r.body)]);
    return r;
  };
  const wait = async (want: string) => {
    let n: any;
    return until(
      `${base}: node ${u} to reach ${want}`,
      async () => ((n = (await call(base, 'GET', `/v1/nodes/${u}`)).body), (n.provision_state === want || /failed|error/.test(n.provision_state)) && n),
      30_000,
      () => String(n?.provision_state),
      200,
    );
  };
  const state = async (label: string, want: string) => {
    const n = await wait(want);
    out.push([label, 0, norm({ provision_state: n.provision_state, power_state: n.power_state, last_error: n.last_error })]);
  };
  out.push(['created: power_state', 0, node.power_state]);
  await rec('boot device before any set', 'GET', '/v1/nodes/{n}/management/boot_device');
  await rec('supported boot devices', 'GET', '/v1/nodes/{n}/management/boot_device/supported');
  await rec('set disk', 'PUT', '/v1/nodes/{n}/management/boot_device', { boot_device: 'disk' });
  await rec('set cdrom', 'PUT', '/v1/nodes/{n}/management/boot_device', { boot_device: 'cdrom' });
  await rec('set pxe persistent', 'PUT', '/v1/nodes/{n}/management/boot_device', { boot_device: 'pxe', persistent: true });
  await rec('boot device after set', 'GET', '/v1/nodes/{n}/management/boot_device');
  await rec('manage', 'PUT', '/v1/nodes/{n}/states/provision', { target: 'manage' });
  await state('managed', 'manageable');
  const steps = [
    { interface: 'bios', step: 'apply_configuration', args: { settings: [{ name: 'ProcTurboMode', value: 'Enabled' }] } },
    { interface: 'bios', step: 'cache_bios_settings' },
  ];
  for (const step of steps) {
    await rec(`clean ${step.interface}.${step.step}`, 'PUT', '/v1/nodes/{n}/states/provision', { target: 'clean', clean_steps: [step] });
    await state(`after ${step.step}`, 'manageable');
  }
  const bios = await call(base, 'GET', `/v1/nodes/${u}/bios`);
  out.push(['bios after apply_configuration', bios.status, bios.body.bios.map((b: { name: string; value: string }) => [b.name, b.value])]);
  await rec('clean bios.factory_reset', 'PUT', '/v1/nodes/{n}/states/provision', { target: 'clean', clean_steps: [{ interface: 'bios', step: 'factory_reset' }] });
  await state('after factory_reset', 'manageable');
  await rec('bios after factory_reset', 'GET', '/v1/nodes/{n}/bios');
  await rec('provide', 'PUT', '/v1/nodes/{n}/states/provision', { target: 'provide' });
  await state('provided', 'available');
  await rec('deploy', 'PUT', '/v1/nodes/{n}/states/provision', { target: 'active' });
  await state('deployed', 'active');
  for (const target of ['power on', 'rebooting', 'soft power off', 'soft rebooting', 'power off', 'bogus']) {
    await rec(`power ${target}`, 'PUT', '/v1/nodes/{n}/states/power', { target });
    await until(`${base}: power ${target} to settle`, async () => !(await call(base, 'GET', `/v1/nodes/${u}`)).body.target_power_state, 5_000, undefined, 100);
    const n = (await call(base, 'GET', `/v1/nodes/${u}`)).body;
    out.push([`after power ${target}`, 0, { power_state: n.power_state, target_power_state: n.target_power_state }]);
  }
  await rec('undeploy', 'PUT', '/v1/nodes/{n}/states/provision', { target: 'deleted' });
  await state('undeployed', 'available');
  await call(base, 'DELETE', `/v1/nodes/${u}`);
  return out;
}

test("fake-hardware answers as Ironic 21.4's: boot devices, persistent, power states, BIOS steps, deploy", { timeout: 180_000 }, async (t) => {
  const [real, ours] = await Promise.all([scenario(REAL!), scenario(anvil!.url)]);
  t.diagnostic(`${real.length} answers compared with real Ironic`);
  for (let i = 0; i < real.length; i++) assert.deepEqual(ours[i], real[i], `answer ${i} (${real[i][0]})`);
  assert.equal(ours.length, real.length);
});
