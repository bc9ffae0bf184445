/**
 * In-band inspection through the API with a real conductor (fake-hardware power, the `agent` inspect interface in
 * unmanaged mode because the fake boot interface cannot boot a ramdisk): POST /v1/continue_inspection as the agent
 * sends it (inventory from @anvil/agent-sim with LLDP from a simulated switch): lookup by MAC / BMC address /
 * node_uuid, version gates, schema errors; hooks, rules, stored inventory; failures, abort and the wait timeout.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SimSwitch, simInventory, simPluginData } from '@anvil/agent-sim';
import type { NodeRecord } from '@anvil/sdk';
import type { RunningApi } from '../server.ts';
import { type ConductorApi, startConductorApi } from './test-conductor-api.ts';

let env: ConductorApi;
let api: RunningApi;
const sw = new SimSwitch({ name: 'tor-1', chassisMac: '52:54:00:aa:bb:cc', mgmtIp: '192.0.2.254', vlans: [{ id: 100, name: 'prov' }], mtu: 9000 });

async function req(method: string, path: string, body?: unknown, version: string | null = '1.96') {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (version) headers['X-OpenStack-Ironic-API-Version'] = version;
  const r = await fetch(api.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  const parsed = text ? JSON.parse(text) : null;
  const err = parsed?.error_message ? JSON.parse(parsed.error_message) : null;
  return { status: r.status, body: parsed, error: (err?.faultstring ?? null) as string | null };
}

let seq = 0;
const mac = (n: number, i: number) => `52:54:00:5e:${n.toString(16).padStart(2, '0')}:${i.toString(16).padStart(2, '0')}`;
function machine(bmc = '192.0.2.1') {
  const n = ++seq;
  const nics = [
    { name: 'eth0', mac: mac(n, 1), ipv4: `10.0.0.${n}`, switch: sw, switchPort: n * 2 - 1 },
    { name: 'eth1', mac: mac(n, 2), ipv4: null, switch: sw, switchPort: n * 2 },
  ];
  const inventory = simInventory({ index: n, nics, bmcAddress: bmc });
  return { n, nics, inventory, body: { inventory, ...simPluginData(inventory) } };
}

async function inspectWait(values: Partial<NodeRecord> = {}, macs: string[] = []): Promise<NodeRecord> {
  const node = await env.c.createNode({ inspect_interface: 'agent', provision_state: 'manageable', power_state: 'power off', ...values });
  for (const m of macs) await env.c.db.ports.create({ node_id: node.id, address: m, pxe_enabled: true });
  assert.equal((await req('PUT', `/v1/nodes/${node.uuid}/states/provision`, { target: 'inspect' })).status, 202);
  return env.c.waitFor(node.uuid, (x) => x.provision_state === 'inspect wait' && x.reservation === null);
}
const settled = (uuid: string, state: string) => env.c.waitFor(uuid, (x) => x.provision_state === state && x.reservation === null);

before(async () => {
  env = await startConductorApi('anvil-inspect-', {
    inspector_require_managed_boot: false,
    inspector_hooks: '$default_hooks,cpus,memory,root-device,boot-mode,parse-lldp,local-link-connection',
    inspector_add_ports: 'all',
    check_provision_state_interval: 1,
    inspect_wait_timeout: 10,
  }, 96);
  api = env.api;
});
after(() => env?.stop());

describe('POST /v1/continue_inspection', () => {
  test('gates and bad bodies: 1.83 → 404, schema errors → 400, nothing to look up by → 400, unknown → 404', async () => {
    const m = machine();
    let r = await req('POST', '/v1/continue_inspection', m.body, '1.83');
    assert.equal(r.status, 404);
    assert.equal(r.error, 'API version 1.84 or newer is required');
    r = await req('POST', '/v1/continue_inspection', { foo: 1 });
    assert.deepEqual([r.status, r.error], [400, "Schema error for data: 'inventory' is a required property"]);
    r = await req('POST', '/v1/continue_inspection', { inventory: { interfaces: [] } });
    assert.deepEqual([r.status, r.error], [400, 'Schema error for data: [] should be non-empty']);
    r = await req('POST', '/v1/continue_inspection', { inventory: { interfaces: [{ name: 'x' }] } });
    assert.deepEqual([r.status, r.error], [400, "Schema error for data: 'mac_address' is a required property"]);
    r = await req('POST', '/v1/continue_inspection', { inventory: { interfaces: [{ mac_address: 'nope' }] } });
    assert.deepEqual([r.status, r.error], [400, 'No lookup information provided']);
    r = await req('POST', '/v1/continue_inspection', m.body);
    assert.deepEqual([r.status, r.error], [404, 'Resource could not be found.']);
  });

  test('a node found by MAC: 202 with node + agent token; hooks and a rule applied; inventory stored; manageable', async () => {
    const m = machine();
    const rule = await req('POST', '/v1/inspection_rules', {
      description: 'x86 nodes',
      priority: 10,
      conditions: [{ op: 'eq', args: { values: ['{inventory[cpu][architecture]}', 'x86_64'] } }],
      actions: [{ op: 'add-trait', args: { name: 'CUSTOM_X86' } }, { op: 'set-attribute', args: { path: '/driver_info/rack', value: '{inventory[system_vendor][manufacturer]}-r1' } }],
    });
    assert.equal(rule.status, 201);
    const node = await inspectWait({}, [m.nics[0].mac]);
    const r = await req('POST', '/v1/continue_inspection', m.body, '1.84');
    assert.equal(r.status, 202);
    assert.equal(r.body.node.uuid, node.uuid);
    assert.match(r.body.config.agent_token, /^[A-Za-z0-9_-]{20,}$/);
    const done = await settled(node.uuid, 'manageable');
    assert.equal(done.last_error, null);
    assert.equal(done.power_state, 'power off');
    assert.deepEqual(done.properties, { cpu_arch: 'x86_64', cpus: 4, memory_mb: 8192, local_gb: 19, capabilities: 'boot_mode:uefi' });
    assert.equal(done.driver_info.rack, 'Anvil-r1');
    assert.deepEqual((await req('GET', `/v1/nodes/${node.uuid}/traits`)).body.traits, ['CUSTOM_X86']);
    const ports = (await req('GET', `/v1/ports/detail?node=${node.uuid}`)).body.ports.sort((a: any, b: any) => a.address.localeCompare(b.address));
    assert.deepEqual(
      ports.map((p: any) => [p.address, p.pxe_enabled, p.local_link_connection]),
      [
        [m.nics[0].mac, true, { switch_id: '52:54:00:aa:bb:cc', port_id: `Ethernet1/${m.n * 2 - 1}`, switch_info: 'tor-1' }],
        [m.nics[1].mac, false, { switch_id: '52:54:00:aa:bb:cc', port_id: `Ethernet1/${m.n * 2}`, switch_info: 'tor-1' }],
      ],
    );
    const inv = await req('GET', `/v1/nodes/${node.uuid}/inventory`);
    assert.deepEqual(inv.body.inventory, m.inventory);
    assert.equal(inv.body.plugin_data.local_gb, 19);
    assert.equal(inv.body.plugin_data.parsed_lldp.eth0.switch_port_mtu, 9000);
    assert.deepEqual(inv.body.plugin_data.parsed_lldp.eth0.switch_port_vlans, [{ name: 'prov', id: 100 }]);
    assert.equal((await req('DELETE', `/v1/inspection_rules/${rule.body.uuid}`)).status, 204);
    // the node left inspect wait: a second post finds nothing
    assert.equal((await req('POST', '/v1/continue_inspection', m.body, '1.84')).status, 404);
  });

  test('BMC address lookup: one node behind the BMC found; two told apart by MAC; a mismatch is 404; 1.1 answers {uuid}', async () => {
    const solo = machine('192.0.2.50');
    const a = await inspectWait({ driver_info: { ipmi_address: '192.0.2.50' } });
    let r = await req('POST', '/v1/continue_inspection', solo.body, null); // no port has its MACs
    assert.deepEqual([r.status, r.body], [202, { uuid: a.uuid }]);
    await settled(a.uuid, 'manageable');

    const m1 = machine('192.0.2.60');
    const m2 = machine('192.0.2.60');
    const b1 = await inspectWait({ driver_info: { ipmi_address: '192.0.2.60' } }, [m1.nics[0].mac]);
    const b2 = await inspectWait({ driver_info: { ipmi_address: '192.0.2.60' } }, [m2.nics[0].mac]);
    r = await req('POST', '/v1/continue_inspection', { inventory: { ...m2.inventory, interfaces: [(m2.inventory.interfaces as unknown[])[1]] } }, '1.84');
    assert.equal(r.status, 404); // two nodes behind the BMC, no MAC to choose
    const stranger = machine('192.0.2.60');
    await inspectWait({}, [stranger.nics[0].mac]);
    r = await req('POST', '/v1/continue_inspection', { inventory: { ...stranger.inventory, bmc_address: '192.0.2.60' } }, '1.84');
    assert.equal(r.status, 404); // the MAC's node is not behind that BMC
    r = await req('POST', '/v1/continue_inspection', m2.body, '1.84');
    assert.equal(r.body.node.uuid, b2.uuid);
    await settled(b2.uuid, 'manageable');
    r = await req('POST', `/v1/continue_inspection?node_uuid=${b1.uuid}`, m1.body, '1.84');
    assert.equal(r.body.node.uuid, b1.uuid);
    await settled(b1.uuid, 'manageable');
  });

  test('a failing rule and a ramdisk error fail the inspection with Ironic texts; stored inventory untouched', async () => {
    const m = machine();
    const rule = await req('POST', '/v1/inspection_rules', { priority: 5, actions: [{ op: 'fail', args: { msg: 'no GPUs here' } }] });
    const node = await inspectWait({}, [m.nics[0].mac]);
    assert.equal((await req('POST', '/v1/continue_inspection', m.body, '1.84')).status, 202);
    let x = await settled(node.uuid, 'inspect failed');
    assert.equal(x.last_error, 'Async execution of continue_inspection failed with error: Failed to inspect hardware. Reason: no GPUs here');
    assert.equal(x.properties.cpus, 4); // the hooks' work stays
    assert.equal((await req('GET', `/v1/nodes/${node.uuid}/inventory`)).status, 404);
    await req('DELETE', `/v1/inspection_rules/${rule.body.uuid}`);

    assert.equal((await req('PUT', `/v1/nodes/${node.uuid}/states/provision`, { target: 'inspect' })).status, 202);
    await env.c.waitFor(node.uuid, (n) => n.provision_state === 'inspect wait' && n.reservation === null);
    assert.equal((await req('POST', '/v1/continue_inspection', { ...m.body, error: 'disk on fire' }, '1.84')).status, 202);
    x = await settled(node.uuid, 'inspect failed');
    assert.equal(
      x.last_error,
      'Async execution of continue_inspection failed with error: Failed to inspect hardware. Reason: failed to run inspection hooks: Error in preprocess hook ramdisk-error: Failed to inspect hardware. Reason: Ramdisk reported error: disk on fire',
    );
  });

  test('abort from inspect wait → inspect failed; no answer within inspect_wait_timeout → inspect failed', async () => {
    const a = await inspectWait();
    assert.equal((await req('PUT', `/v1/nodes/${a.uuid}/states/provision`, { target: 'abort' })).status, 202);
    const x = await settled(a.uuid, 'inspect failed');
    assert.equal(x.last_error, 'Inspection was aborted by request.');
    assert.equal(x.target_provision_state, 'manageable');
    const t = await inspectWait();
    const y = await env.c.waitFor(t.uuid, (n) => n.provision_state === 'inspect failed', 30_000);
    assert.equal(y.last_error, 'timeout reached while inspecting the node');
  });
});

describe('auto-discovery ([auto_discovery] enabled)', () => {
  let disc: ConductorApi;
  before(async () => {
    disc = await startConductorApi('anvil-discover-', { auto_discovery_enabled: true, auto_discovery_driver: 'fake-hardware', inspector_add_ports: 'all', inspector_hooks: '$default_hooks,cpus,memory,local-link-connection' }, 96);
  });
  after(() => disc?.stop());

  test('an unknown machine is enrolled, inspected and left manageable with its ports; the same machine again is a 404', async () => {
    const m = machine('192.0.2.200');
    const r = await fetch(`${disc.api.url}/v1/continue_inspection`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-OpenStack-Ironic-API-Version': '1.84' }, body: JSON.stringify(m.body) });
    assert.equal(r.status, 202);
    const uuid = ((await r.json()) as { node: { uuid: string } }).node.uuid;
    const node = await disc.c.waitFor(uuid, (n) => n.provision_state === 'manageable' && n.reservation === null);
    assert.equal(node.driver, 'fake-hardware');
    assert.deepEqual(node.extra, { auto_discovered: true });
    assert.deepEqual([node.properties.cpus, node.properties.memory_mb, node.properties.cpu_arch], [4, 8192, 'x86_64']);
    const ports = await disc.c.db.ports.list({ filters: { node_id: node.id } });
    assert.deepEqual(ports.map((p) => p.address).sort(), m.nics.map((n) => n.mac).sort());
    assert.equal((await disc.c.db.inventory.get(node.id)).plugin_data.auto_discovered, true);
    // the same machine again: its MACs now belong to a manageable node → 404, no second node
    const again = await fetch(`${disc.api.url}/v1/continue_inspection`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-OpenStack-Ironic-API-Version': '1.84' }, body: JSON.stringify(m.body) });
    assert.equal(again.status, 404);
    assert.equal((await disc.c.db.nodes.list({})).length, 1);
  });
});
