/**
 * The neutron variant: ipmi + ipxe boot (HTTP) + direct + neutron network + the neutron DHCP provider against a fake
 * Neutron v2.0 server. Cleaning and deploying create one bound port per pxe-enabled holder (the portgroup first,
 * with both member links in local_link_information) on the cleaning / provisioning network, set the iPXE DHCP
 * options on it, and delete it afterwards; the simulated machine boots over HTTP (iPXE).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { missingIpmiSim, missingIpmitool, type Peer, startIpmiSim } from 'ipmi-lan-ts/testing';
import { type Anvil, anvilServerMissing, startAnvil } from '../ipmi/anvil-server.ts';
import { type FakeNeutron, startFakeNeutron } from './fake-neutron.ts';
import { apiClient, deployDebug, type ApiClient, FAST_DEPLOY_SETTINGS, freeTcpPort, freeUdpPort, hash, type ImageServer, ipmiDriverInfo, startImageServer, startSim, until, waitState, wholeDiskImage } from './fixtures.ts';
import { failWithout } from '../prereq.ts';

const missing = anvilServerMissing() ?? missingIpmitool() ?? missingIpmiSim();
failWithout(missing);
const MAC_A = '52:54:00:cc:00:01';
const MAC_B = '52:54:00:cc:00:02';
const MAC_C = '52:54:00:cc:00:03';

describe('deploy flow: neutron network + ipxe against a fake Neutron', () => {
  let anvil: Anvil;
  let api: ApiClient;
  let bmc: Peer;
  let neutron: FakeNeutron;
  let images: ImageServer;
  let httpPort: number;
  let provNet: string;
  let cleanNet: string;
  const image = wholeDiskImage();

  before(async () => {
    [bmc, neutron, images, httpPort] = await Promise.all([
      startIpmiSim(),
      startFakeNeutron(['provisioning', 'cleaning', 'tenant']),
      startImageServer({ kernel: Buffer.from('k'.repeat(1000)), ramdisk: Buffer.from('r'.repeat(2000)), 'disk.raw': image }),
      freeTcpPort(),
    ]);
    const byName = (n: string) => [...neutron.networks.values()].find((x) => x.name === n)!.id;
    provNet = byName('provisioning');
    cleanNet = byName('cleaning');
    anvil = await startAnvil({
      pxe_tftp_port: await freeUdpPort(),
      pxe_http_port: httpPort,
      neutron_url: neutron.url,
      provisioning_network: provNet,
      cleaning_network: cleanNet,
      dhcp_provider: 'neutron',
      ...FAST_DEPLOY_SETTINGS,
      deploy_logs_collect: 'never',
    });
    api = apiClient(anvil.url);
  });
  after(async () => {
    await anvil?.stop();
    await Promise.all([bmc?.stop(), neutron?.stop(), images?.stop()]);
  });

  test('provide (cleaning ports) → active (provisioning ports) → deleted; ports bound, DHCP options set, removed after', async (t) => {
    const { machine, disk } = startSim(t, bmc, MAC_A, { host: '127.0.0.1', port: 0 }, { name: 'nnode', httpUrl: `http://127.0.0.1:${httpPort}` });
    t.after(() => deployDebug(t, machine, anvil));
    const n = await api('POST', '/nodes', {
      name: 'nnode',
      driver: 'ipmi',
      boot_interface: 'ipxe',
      deploy_interface: 'direct',
      network_interface: 'neutron',
      driver_info: ipmiDriverInfo(bmc, images.url),
      instance_info: { image_source: `${images.url}/disk.raw`, image_checksum: hash('md5', image) },
    });
    assert.equal(n.status, 201, JSON.stringify(n.body));
    const uuid = n.body.uuid;
    const pg = await api('POST', '/portgroups', { node_uuid: uuid, address: MAC_A, name: 'bond0' });
    assert.equal(pg.status, 201, JSON.stringify(pg.body));
    const llc = (p: string) => ({ switch_id: '0a:1b:2c:3d:4e:5f', port_id: p, switch_info: 'tor-1' });
    for (const [mac, port, pxe, group] of [[MAC_A, 'Eth1/1', true, true], [MAC_B, 'Eth1/2', true, true], [MAC_C, 'Eth1/3', false, false]] as const) {
      const body: Record<string, unknown> = { node_uuid: uuid, address: mac, pxe_enabled: pxe, local_link_connection: llc(port) };
      if (group) body.portgroup_uuid = pg.body.uuid;
      const r = await api('POST', '/ports', body);
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    const v = await api('GET', `/nodes/${uuid}/validate`);
    assert.equal(v.body.network.result, true, JSON.stringify(v.body.network));

    await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'manage' });
    await waitState(api, uuid, 'manageable');
    await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'provide' });
    await waitState(api, uuid, 'available');
    const cleaning = [...neutron.history.values()].filter((p) => p.network_id === cleanNet);
    assert.equal(cleaning.length, 1, 'one cleaning port for the portgroup (its members are not attached separately)');
    const cp = cleaning[0];
    assert.equal(cp.deleted, true, 'cleaning port removed after cleaning');
    assert.equal(cp['binding:vnic_type'], 'baremetal');
    assert.equal(cp['binding:host_id'], uuid);
    assert.equal(cp.device_owner, 'baremetal:none');
    assert.equal(cp.mac_address, MAC_A);
    assert.deepEqual(cp['binding:profile'].local_link_information, [llc('Eth1/1'), llc('Eth1/2')]);
    const opts = Object.fromEntries(cp.extra_dhcp_opts.map((o: { opt_name: string; opt_value: string }) => [o.opt_name, o.opt_value]));
    assert.equal(opts['tag:ipxe,67'], `http://127.0.0.1:${httpPort}/boot.ipxe`);
    assert.equal(opts['tag:!ipxe,67'], 'snponly.efi');
    assert.equal(opts['server-ip-address'], '127.0.0.1');
    assert.ok(neutron.log.some((l) => l.method === 'PUT' && l.path === `/v2.0/ports/${cp.id}` && Array.isArray(l.body?.port?.extra_dhcp_opts)));

    const deployStart = bmc.actions().length;
    await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'active' });
    await waitState(api, uuid, 'active');
    const prov = [...neutron.history.values()].filter((p) => p.network_id === provNet);
    assert.equal(prov.length, 1);
    assert.equal(prov[0].deleted, true, 'provisioning port removed by switch_to_tenant_network');
    assert.equal(prov[0]['binding:host_id'], uuid);
    assert.equal(neutron.ports.size, 0, 'no Anvil-created port left behind');
    assert.deepEqual(bmc.actions().slice(deployStart), ['boot pxe', 'power 1', 'boot default', 'boot default', 'power 0', 'power 1']);
    assert.equal(machine.lastRamdisk?.configName, `pxelinux.cfg/${MAC_A.replace(/:/g, '-')}`, 'iPXE script fetched over HTTP');
    assert.match(machine.lastRamdisk!.kernel, /^http:\/\/127\.0\.0\.1:\d+\/.+\/deploy_kernel$/);
    assert.ok(disk.read(0, 512).subarray(0, 446).equals(image.subarray(0, 446)));
    await until('disk boot', async () => machine.events.at(-1)?.kind === 'disk-boot');

    const internal = (await api('GET', `/portgroups/${pg.body.uuid}`)).body;
    assert.equal(internal.internal_info?.provisioning_vif_port_id, undefined);

    await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'deleted' });
    await waitState(api, uuid, 'available');
    assert.equal([...neutron.history.values()].filter((p) => p.network_id === cleanNet).length, 2, 'cleaning after tear-down used a fresh cleaning port');
    assert.equal(neutron.ports.size, 0);
  });

  test('an empty provisioning network in driver_info fails network validation with a clear message', async () => {
    const r = await api('POST', '/nodes', { name: 'nonet', driver: 'ipmi', network_interface: 'neutron', driver_info: { provisioning_network: '' } });
    assert.equal(r.status, 201);
    const v = (await api('GET', '/nodes/nonet/validate')).body;
    assert.equal(v.network.result, false);
    assert.match(v.network.reason, /Missing provisioning network/);
    assert.equal(v.boot.result, false);
    assert.match(v.boot.reason, /deploy_kernel/);
  });
});
