/**
 * The bridge on the real deploy path: `anvil server` with an ipmi node (ipmi_sim BMC), pxe boot over real TFTP,
 * direct deploy by the simulated agent, flat network. server create → the machine network-boots, the agent writes
 * the image and our config drive, the node goes active and boots from disk; the config-2 partition on the disk
 * holds the instance's meta_data/user_data/network_data; server delete → cleaned → available.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readPartitions } from '@anvil/agent-sim';
import { ComputeManager, ComputeStore, IronicDriver, customResourceClass } from '@anvil/nova-bridge';
import { missingIpmiSim, missingIpmitool, type Peer, startIpmiSim } from 'ipmi-lan-ts/testing';
import { apiClient, type ApiClient, FAST_DEPLOY_SETTINGS, freeUdpPort, hash, type ImageServer, ipmiDriverInfo, startImageServer, startSim, until, waitState, wholeDiskImage } from '../deploy/fixtures.ts';
import { type Anvil, anvilServerMissing, startAnvil } from '../ipmi/anvil-server.ts';
import { readIso } from './iso-read.ts';
import { failWithout } from '../prereq.ts';

const missingTftp = () => (existsSync('/usr/bin/tftp') ? null : 'tftp-hpa client (/usr/bin/tftp) is not installed');
const missing = anvilServerMissing() ?? missingIpmitool() ?? missingIpmiSim() ?? missingTftp() ?? false;
failWithout(missing);

const MAC = '52:54:00:aa:cc:01';
const KERNEL = Buffer.from('simulated deploy kernel\n'.repeat(200));
const RAMDISK = Buffer.from('simulated deploy ramdisk\n'.repeat(3000));

let anvil: Anvil;
let api: ApiClient;
let bmc: Peer;
let images: ImageServer;
let tftpPort: number;
const image = wholeDiskImage();

before(async () => {
  if (missing) return;
  [bmc, images, tftpPort] = await Promise.all([startIpmiSim(), startImageServer({ kernel: KERNEL, ramdisk: RAMDISK, 'disk.raw': image }), freeUdpPort()]);
  anvil = await startAnvil({
    pxe_tftp_port: tftpPort,
    pxe_http_server: false,
    ...FAST_DEPLOY_SETTINGS,
    check_provision_state_interval: 1,
  });
  api = apiClient(anvil.url);
});
after(async () => {
  await anvil?.stop();
  await Promise.all([bmc?.stop(), images?.stop()]);
});

test('server create/delete on ipmi + pxe + direct + flat with the simulated agent', { timeout: 240_000 }, async (t) => {
  const { machine, disk } = startSim(t, bmc, MAC, { host: '127.0.0.1', port: tftpPort }, { name: 'nova-ipmi' });
  const dataDir = mkdtempSync(join(tmpdir(), 'nova-ipmi-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const rc = 'baremetal-ipmi';
  const created = await api('POST', '/nodes', {
    name: 'nova-ipmi',
    driver: 'ipmi',
    resource_class: rc,
    boot_interface: 'pxe',
    deploy_interface: 'direct',
    network_interface: 'flat',
    properties: { cpus: 2, memory_mb: 2048, local_gb: 1, cpu_arch: 'x86_64', capabilities: 'boot_mode:uefi' },
    driver_info: ipmiDriverInfo(bmc, images.url),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const uuid: string = created.body.uuid;
  assert.equal((await api('POST', '/ports', { node_uuid: uuid, address: MAC, pxe_enabled: true })).status, 201);
  assert.equal((await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'manage' })).status, 202);
  await waitState(api, uuid, 'manageable');
  assert.equal((await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'provide' })).status, 202);
  await waitState(api, uuid, 'available');
  t.diagnostic('node cleaned and available');

  const store = await ComputeStore.open({ data_dir: dataDir });
  t.after(() => store.close());
  await store.putFlavor({
    id: randomUUID(),
    name: 'bm.ipmi',
    vcpus: 2,
    ram: 2048,
    disk: 1,
    ephemeral: 0,
    swap: 0,
    extra_specs: { [`resources:${customResourceClass(rc)}`]: '1', 'resources:VCPU': '0', 'capabilities:boot_mode': 'uefi' },
  });
  await store.putImage({
    id: `${images.url}/disk.raw`,
    name: 'disk',
    properties: { checksum: hash('md5', image), os_hash_algo: 'sha256', os_hash_value: hash('sha256', image), disk_format: 'raw' },
  });
  const driver = await IronicDriver.create({ endpoint: anvil.url, waitMode: 'sse' });
  t.after(() => driver.close());
  assert.equal(driver.waitMode, 'sse');
  const mgr = new ComputeManager(store, driver);
  const vif = randomUUID();
  const userData = '#cloud-config\nhostname: web-1\n';
  const deployStart = bmc.actions().length;
  const inst = await mgr.create({ name: 'web-1', flavor: 'bm.ipmi', image: 'disk', nics: [{ port_id: vif }], userData, configDrive: true });
  assert.equal(inst.status, 'ACTIVE', JSON.stringify(inst.fault));
  assert.equal(inst.node, uuid);
  assert.equal(inst.power_state, 'RUNNING');
  const node = (await api('GET', `/nodes/${uuid}`)).body;
  assert.equal(node.provision_state, 'active');
  assert.equal(node.instance_uuid, inst.uuid);
  assert.deepEqual(bmc.actions().slice(deployStart), ['boot pxe', 'power 1', 'boot default', 'boot default', 'power 0', 'power 1']);
  await until('the machine booting from disk', async () => machine.events.at(-1)?.kind === 'disk-boot');
  assert.deepEqual((await api('GET', `/nodes/${uuid}/vifs`)).body.vifs, [{ id: vif }]);

  // the disk: image bytes, then a config-2 partition with what the bridge built
  const head = disk.read(0, image.length);
  assert.ok(head.subarray(512).equals(image.subarray(512)), 'image bytes written');
  const parts = readPartitions(disk.read(0, 512));
  assert.equal(parts.length, 2, JSON.stringify(parts));
  const cd = readIso(disk.read(parts[1].startLba * 512, parts[1].sectors * 512));
  try {
    assert.equal(cd.label(), 'config-2');
    const md = JSON.parse(cd.file('/openstack/latest/meta_data.json').toString());
    assert.equal(md.uuid, inst.uuid);
    assert.equal(md.name, 'web-1');
    assert.equal(cd.file('/openstack/latest/user_data').toString(), userData);
    const nd = JSON.parse(cd.file('/openstack/latest/network_data.json').toString());
    assert.equal(nd.links[0].vif_id, vif);
    assert.equal(nd.links[0].ethernet_mac_address, MAC, 'the VIF landed on the node port: its MAC is in network_data');
  } finally {
    cd.close();
  }

  // delete → tear down, automated clean, available; VIF detached
  await mgr.delete(inst.uuid);
  const avail = await waitState(api, uuid, 'available').catch((err) => {
    t.diagnostic(`machine events: ${JSON.stringify(machine.events.slice(-8))}`);
    t.diagnostic(`agent heartbeats: ${JSON.stringify((machine.agent as { heartbeats?: unknown[] } | undefined)?.heartbeats?.slice(-5) ?? null)}`);
    t.diagnostic(anvil.output().slice(-6000));
    throw err;
  });
  assert.equal(avail.instance_uuid, null);
  assert.deepEqual(avail.instance_info, {});
  assert.deepEqual((await api('GET', `/nodes/${uuid}/vifs`)).body.vifs, []);
  assert.ok(disk.read(0, 512).equals(Buffer.alloc(512)), 'cleaning wiped the partition table');
});
