/**
 * Inspection benchmark.
 *   (1) hooks + rules, pure: N simulated inventories (@anvil/agent-sim: 2 NICs with LLDP from a simulated switch, 2
 *       disks) through every built-in hook Anvil ships and 10 inspection rules; ms per node (mean, p50, p99).
 *   (2) the whole flow over HTTP on `anvil server` (SQLite, in-process RPC): N fake-hardware nodes with the `agent`
 *       inspect interface (unmanaged boot) and one port each: enroll → manage → inspect → POST
 *       /v1/continue_inspection (the agent's call, 1.84) → manageable; seconds per phase, nodes/s, callback p50/p99.
 *   (3) the same flow against the real Ironic 39 (--ironic-url, e.g. $ANVIL_IRONIC39_URL from
 *       scripts/services/ironic39.sh, configured alike) for --ironic-nodes nodes, side by side.
 *
 *   node --import tsx bench/inspection-bench.ts [--nodes 1000] [--concurrency 20] [--ironic-url URL] [--ironic-nodes 100]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { InspectionData, InspectionHook, JsonObject } from '@anvil/sdk';
import { applyRules, coreHooks, deviceHooks, hardwareHooks, hookNames, inspectionOptions, type InspectionRule, lldpHooks, resolveHooks, runInspectionHooks } from '@anvil/plugin-inspector';
import { SimSwitch, simInventory, simPluginData } from '@anvil/agent-sim';
import { pool } from '../test/conductor/cluster.ts';
import { startServer } from '../test/anvil-server.ts';

const { values: opt } = parseArgs({
  options: {
    nodes: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '20' },
    'ironic-url': { type: 'string' },
    'ironic-nodes': { type: 'string', default: '100' },
  },
});
const N = Number(opt.nodes);
const CONC = Number(opt.concurrency);
const HOOKS = '$default_hooks,cpus,memory,root-device,boot-mode,cpu-capabilities,pci-devices,extra-hardware,physical-network,parse-lldp,local-link-connection';
const FLOW_HOOKS = '$default_hooks,cpus,memory,root-device,boot-mode,parse-lldp,local-link-connection';
const sw = new SimSwitch({ name: 'bench-tor', chassisMac: '52:54:00:fe:fe:fe', vlans: [{ id: 10, name: 'a' }, { id: 20, name: 'b' }], mtu: 9000, mgmtIp: '192.0.2.1' });
const mac = (i: number, nic: number) => `52:54:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}:0${nic}`;
const inventoryOf = (i: number) =>
  simInventory({ index: i, nics: [{ name: 'eth0', mac: mac(i, 1), ipv4: '10.0.0.9', switch: sw, switchPort: (i % 48) + 1 }, { name: 'eth1', mac: mac(i, 2), switch: sw, switchPort: (i % 48) + 49, bond: { id: i } }], bmcAddress: `10.1.${(i >> 8) & 255}.${i & 255}` });

const RULES: InspectionRule[] = Array.from({ length: 10 }, (_, k) => ({
  uuid: `00000000-0000-0000-0000-${k.toString().padStart(12, '0')}`,
  priority: k,
  sensitive: false,
  phase: 'main',
  conditions: ([
    { op: 'eq', args: { values: ['{inventory[cpu][architecture]}', 'x86_64'] } },
    { op: 'gt', args: { values: ['{inventory[memory][physical_mb]}', '1024'], force_strings: true } },
    { op: 'contains', args: { value: '{inventory[system_vendor][product_name]}', regex: 'Sim' } },
  ] as unknown as JsonObject[]),
  actions: ([
    { op: 'add-trait', args: { name: `CUSTOM_R${k}` } },
    { op: 'set-capability', args: { name: `c${k}`, value: '{inventory[cpu][count]}' } },
    { op: 'set-attribute', args: { path: `/extra/r${k}`, value: '{plugin_data[parsed_lldp][eth0][switch_system_name]}' } },
  ] as unknown as JsonObject[]),
}));

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const f = (x: number, d = 3) => x.toFixed(d);

function pureBench(): { hooks: number[]; rules: number[] } {
  const all = new Map<string, InspectionHook>(Object.entries({ ...coreHooks, ...hardwareHooks, ...deviceHooks, ...lldpHooks }));
  const hooks = resolveHooks(hookNames(HOOKS), all);
  const o = inspectionOptions({ inspector_add_ports: 'all', inspector_physical_network_cidr_map: '10.0.0.0/24:physnet1' });
  const out = { hooks: [] as number[], rules: [] as number[] };
  for (let i = 0; i < N; i++) {
    const inventory = inventoryOf(i) as JsonObject;
    const d: InspectionData = {
      inventory,
      plugin_data: simPluginData(inventory) as JsonObject,
      node: { uuid: `n-${i}`, name: null, driver: 'ipmi', properties: {}, driver_info: {}, extra: {}, instance_info: {}, traits: [] },
      ports: [{ uuid: `p-${i}`, address: mac(i, 1), pxe_enabled: true, extra: {}, local_link_connection: {}, physical_network: null }],
      log: [],
    };
    const t0 = performance.now();
    const h = runInspectionHooks(d, hooks, o);
    const t1 = performance.now();
    const r = applyRules(h, RULES);
    const t2 = performance.now();
    if (r.failure || r.data.node.traits.length !== 10 || h.ports.length !== 2) throw new Error(`bench node ${i}: unexpected result ${r.failure?.message}`);
    out.hooks.push(t1 - t0);
    out.rules.push(t2 - t1);
  }
  return out;
}

type Call = (method: string, path: string, body?: unknown, version?: string) => Promise<{ status: number; body: any }>;
/** A JSON client; a connection that cannot be made (a starved machine) is tried again, up to 5 times. */
const client = (base: string): Call => async (method, path, body, version = '1.96') => {
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await fetch(base + path, { method, headers: { 'X-OpenStack-Ironic-API-Version': version, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await r.text();
      return { status: r.status, body: text ? JSON.parse(text) : null };
    } catch (err) {
      if (attempt >= 5) throw err;
      await new Promise((res) => setTimeout(res, 500 * attempt));
    }
  }
};

async function waitAll(call: Call, uuids: string[], state: string) {
  const left = new Set(uuids);
  const deadline = Date.now() + 30 * 60_000;
  while (left.size) {
    if (Date.now() > deadline) throw new Error(`${left.size} nodes never reached ${state}`);
    const r = await call('GET', `/v1/nodes?fields=uuid,provision_state,last_error&limit=1000&provision_state=${encodeURIComponent(state)}`, undefined, '1.96');
    for (const n of r.body.nodes ?? []) left.delete(n.uuid);
    if (left.size) await new Promise((res) => setTimeout(res, 250));
  }
}

async function flow(base: string, n: number, offset: number) {
  const call = client(base);
  const phases: Record<string, number> = {};
  const time = async (name: string, fn: () => Promise<void>) => {
    const t = performance.now();
    await fn();
    phases[name] = (performance.now() - t) / 1000;
  };
  const idx = Array.from({ length: n }, (_, k) => offset + k);
  const uuids: string[] = [];
  const t0 = performance.now();
  await time('enroll + port', async () => {
    await pool(idx, CONC, async (i) => {
      const c = await call('POST', '/v1/nodes', { driver: 'fake-hardware', name: `bench-insp-${i}`, inspect_interface: 'agent', storage_interface: 'noop' });
      if (c.status !== 201) throw new Error(`create: ${c.status} ${JSON.stringify(c.body)}`);
      uuids.push(c.body.uuid);
      await call('POST', '/v1/ports', { node_uuid: c.body.uuid, address: mac(i, 1), pxe_enabled: true });
    });
  });
  await time('manage', async () => {
    await pool(uuids, CONC, (u) => call('PUT', `/v1/nodes/${u}/states/provision`, { target: 'manage' }));
    await waitAll(call, uuids, 'manageable');
  });
  await time('inspect → inspect wait', async () => {
    await pool(uuids, CONC, (u) => call('PUT', `/v1/nodes/${u}/states/provision`, { target: 'inspect' }));
    await waitAll(call, uuids, 'inspect wait');
  });
  const lat: number[] = [];
  await time('callback → manageable', async () => {
    await pool(idx, CONC, async (i) => {
      const inv = inventoryOf(i);
      const t = performance.now();
      const r = await call('POST', '/v1/continue_inspection', { inventory: inv, ...simPluginData(inv) }, '1.84');
      lat.push(performance.now() - t);
      if (r.status !== 202) throw new Error(`callback: ${r.status} ${JSON.stringify(r.body)}`);
    });
    await waitAll(call, uuids, 'manageable');
  });
  const total = (performance.now() - t0) / 1000;
  await pool(uuids, CONC, (u) => call('DELETE', `/v1/nodes/${u}`));
  return { phases, total, lat };
}

const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
console.log(`inspection bench: ${N} nodes, concurrency ${CONC}; load average at start ${load()}`);
const pure = pureBench();
console.log('\n(1) hooks + rules (pure, one core)\n');
console.log('| part | nodes | mean ms/node | p50 ms | p99 ms |');
console.log('|---|---|---|---|---|');
console.log(`| ${hookNames(HOOKS).length} hooks | ${N} | ${f(mean(pure.hooks))} | ${f(pct(pure.hooks, 50))} | ${f(pct(pure.hooks, 99))} |`);
console.log(`| 10 rules (3 conditions, 3 actions each) | ${N} | ${f(mean(pure.rules))} | ${f(pct(pure.rules, 50))} | ${f(pct(pure.rules, 99))} |`);

const rows: string[] = [];
const row = (who: string, n: number, r: Awaited<ReturnType<typeof flow>>) =>
  rows.push(`| ${who} | ${n} | ${Object.values(r.phases).map((x) => f(x, 1)).join(' | ')} | ${f(r.total, 1)} | ${f(n / r.total, 1)} | ${f(pct(r.lat, 50), 1)} / ${f(pct(r.lat, 99), 1)} |`);
const server = await startServer({
  driver: 'fake-hardware',
  settings: { enabled_hardware_types: 'fake-hardware', api_max_version: '1.96', inspector_require_managed_boot: false, inspector_add_ports: 'all', inspector_hooks: FLOW_HOOKS, sync_power_state_interval: 600, heartbeat_interval: 10, heartbeat_timeout: 60 },
  timeoutMs: 120_000,
});
try {
  row('Anvil (anvil server, SQLite)', N, await flow(server.url, N, 0));
} finally {
  await server.stop();
}
if (opt['ironic-url']) {
  const n = Number(opt['ironic-nodes']);
  row('Ironic 39 (1 process, SQLite)', n, await flow(opt['ironic-url'], n, 100_000));
}
console.log(`\n(2) the whole flow over HTTP; load average at end ${load()}\n`);
console.log('| target | nodes | enroll + port s | manage s | inspect → wait s | callback → manageable s | total s | nodes/s | callback p50 / p99 ms |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
