/**
 * In-band inspection end to end: `anvil server` with an ipmi node (ipmi_sim BMC, pxe boot, `agent` inspect
 * interface, managed boot) and a simulated machine that PXE-boots the agent over real TFTP, finds
 * ipa-inspection-callback-url on its kernel command line and posts an IPA-shaped inventory whose NICs report LLDP
 * from a simulated switch. inspect → inspect wait → manageable: properties, boot_mode capability, ports per
 * add_ports=all with local_link_connection exactly as the TLVs say, a rule's trait and driver_info value, the
 * stored inventory, the node powered off; then a failing rule fails a second inspection with its message.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { SimSwitch, simInventory } from '@anvil/agent-sim';
import { missingIpmiSim, missingIpmitool, type Peer, startIpmiSim } from 'ipmi-lan-ts/testing';
import { apiClient, type ApiClient, deployDebug, FAST_DEPLOY_SETTINGS, freeUdpPort, type ImageServer, ipmiDriverInfo, startImageServer, startSim, waitState } from '../deploy/fixtures.ts';
import { type Anvil, anvilServerMissing, startAnvil } from '../ipmi/anvil-server.ts';
import { failWithout } from '../prereq.ts';

failWithout(anvilServerMissing() ?? missingIpmitool() ?? missingIpmiSim() ?? (existsSync('/usr/bin/tftp') ? null : 'tftp-hpa client (/usr/bin/tftp) is not installed'));

const MAC1 = '52:54:00:ab:cd:01';
const MAC2 = '52:54:00:ab:cd:02';
const sw = new SimSwitch({ name: 'leaf-07', chassisMac: '52:54:00:99:88:77', portPrefix: 'Ethernet1/', vlans: [{ id: 42, name: 'prov' }], mtu: 9216 });

describe('in-band inspection: ipmi + pxe + agent inspect with the simulated agent', () => {
  let anvil: Anvil;
  let api: ApiClient;
  let bmc: Peer;
  let images: ImageServer;
  let tftpPort: number;

  before(async () => {
    [bmc, images, tftpPort] = await Promise.all([startIpmiSim(), startImageServer({ kernel: Buffer.from('k'.repeat(4096)), ramdisk: Buffer.from('r'.repeat(8192)) }), freeUdpPort()]);
    anvil = await startAnvil({
      pxe_tftp_port: tftpPort,
      pxe_http_server: false,
      ...FAST_DEPLOY_SETTINGS,
      api_max_version: '1.96',
      inspector_hooks: '$default_hooks,cpus,memory,root-device,boot-mode,parse-lldp,local-link-connection',
      inspector_add_ports: 'all',
    });
    api = apiClient(anvil.url, '1.96');
  });
  after(async () => {
    await anvil?.stop();
    await Promise.all([bmc?.stop(), images?.stop()]);
  });

  test('inspect: properties, capabilities, ports with LLDP, rules, inventory; a failing rule fails it', async (t) => {
    const inventory = simInventory({
      index: 7,
      nics: [
        { name: 'eno1', mac: MAC1, ipv4: '10.20.0.7', switch: sw, switchPort: 13 },
        { name: 'eno2', mac: MAC2, ipv4: null, switch: sw, switchPort: 14, bond: { id: 3 } },
      ],
      bmcAddress: bmc.host,
      cpus: 16,
      memoryMb: 65536,
      diskGiB: [480, 1920],
    });
    const { machine } = startSim(t, bmc, MAC1, { host: '127.0.0.1', port: tftpPort }, { name: 'insp-1', inventory });
    t.after(() => deployDebug(t, machine, anvil));

    const rule = await api('POST', '/inspection_rules', {
      description: 'tag big-memory x86 nodes',
      priority: 50,
      conditions: [{ op: 'eq', args: { values: ['{inventory[cpu][architecture]}', 'x86_64'] } }, { op: 'gt', args: [['{inventory[memory][physical_mb]}', '32768']] }],
      actions: [{ op: 'add-trait', args: { name: 'CUSTOM_BIGMEM' } }, { op: 'set-attribute', args: { path: '/driver_info/switch_name', value: '{plugin_data[parsed_lldp][eno1][switch_system_name]}' } }],
    });
    assert.equal(rule.status, 201, JSON.stringify(rule.body));
    const created = await api('POST', '/nodes', { name: 'insp-1', driver: 'ipmi', boot_interface: 'pxe', inspect_interface: 'agent', driver_info: ipmiDriverInfo(bmc, images.url) });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const uuid = created.body.uuid;
    assert.equal((await api('POST', '/ports', { node_uuid: uuid, address: MAC1, pxe_enabled: true })).status, 201);
    assert.equal((await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'manage' })).status, 202);
    await waitState(api, uuid, 'manageable');
    assert.equal((await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'inspect' })).status, 202);
    const node = await waitState(api, uuid, 'manageable', 90_000);

    assert.equal(machine.agents[0]?.inspection?.status, 202);
    assert.equal(node.last_error, null);
    assert.equal(node.power_state, 'power off');
    assert.deepEqual(node.properties, { cpu_arch: 'x86_64', cpus: 16, memory_mb: 65536, local_gb: 479, capabilities: 'boot_mode:uefi' });
    assert.equal(node.driver_info.switch_name, 'leaf-07');
    assert.deepEqual((await api('GET', `/nodes/${uuid}/traits`)).body.traits, ['CUSTOM_BIGMEM']);
    const ports = (await api('GET', `/ports/detail?node=${uuid}`)).body.ports.sort((a: any, b: any) => a.address.localeCompare(b.address));
    assert.deepEqual(
      ports.map((p: any) => [p.address, p.pxe_enabled, p.local_link_connection]),
      [
        [MAC1, true, { switch_id: '52:54:00:99:88:77', port_id: 'Ethernet1/13', switch_info: 'leaf-07' }],
        [MAC2, false, { switch_id: '52:54:00:99:88:77', port_id: 'Ethernet1/14', switch_info: 'leaf-07' }],
      ],
    );
    const inv = (await api('GET', `/nodes/${uuid}/inventory`)).body;
    assert.deepEqual(inv.inventory, inventory);
    assert.deepEqual(inv.plugin_data.parsed_lldp.eno2.switch_port_link_aggregation_id, 3);
    assert.equal(inv.plugin_data.parsed_lldp.eno1.switch_port_mtu, 9216);
    assert.ok(!('ipa-inspection-callback-url' in node.driver_internal_info) && !('lookup_bmc_addresses' in node.driver_internal_info));
    assert.match(machine.lastRamdisk?.cmdline ?? '', new RegExp(`ipa-inspection-callback-url=${anvil.url}/v1/continue_inspection`));

    const fail = await api('POST', '/inspection_rules', { priority: 99, conditions: [{ op: 'lt', args: { values: ['{inventory[cpu][count]}', '32'], force_strings: true } }], actions: [{ op: 'fail', args: { msg: 'needs 32 CPUs' } }] });
    assert.equal(fail.status, 201);
    assert.equal((await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'inspect' })).status, 202);
    const failed = await waitState(api, uuid, 'inspect failed', 90_000);
    assert.equal(failed.last_error, 'Async execution of continue_inspection failed with error: Failed to inspect hardware. Reason: needs 32 CPUs');
    assert.equal(failed.power_state, 'power off');
  });
});
