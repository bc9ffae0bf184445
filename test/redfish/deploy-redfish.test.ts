/**
 * The deploy flow with `redfish` + `redfish-virtual-media` + `direct` against sushy-tools' emulator and the
 * simulated machine (agent-sim) that follows the emulated System (sim-bmc.ts) and boots the virtual CD Anvil
 * inserted: enroll → manage → provide (automated cleaning from the CD) → active (image written, CD ejected, disk
 * boot) → deleted (cleaning) → available; then an out-of-band inspection with the `redfish` firmware interface
 * caches the emulator's bios and bmc firmware versions (GET /v1/nodes/{node}/firmware, 1.86), and virtual media
 * is attached, listed and detached through /v1/nodes/{node}/vmedia (1.89/1.93).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FileDisk, SimMachine } from '@anvil/agent-sim';
import { type Anvil, startAnvil } from '../ipmi/anvil-server.ts';
import { apiClient, type ApiClient, FAST_DEPLOY_SETTINGS, hash, type ImageServer, startImageServer, until, waitState, wholeDiskImage } from '../deploy/fixtures.ts';
import { freePort } from '../free-port.ts';
import { type FakeSystem, type Peer, startEmulator } from './emulator.ts';
import { RedfishBmcView } from './sim-bmc.ts';

const SYS: FakeSystem = { uuid: '44444444-4444-4444-8444-444444444444', name: 'vm-node', mac: '52:54:00:cc:00:01' };
const KERNEL = Buffer.from('simulated deploy kernel\n'.repeat(200));
const RAMDISK = Buffer.from('simulated deploy ramdisk\n'.repeat(3000));

describe('deploy flow: redfish + redfish-virtual-media + direct against sushy-tools with the simulated agent', () => {
  let anvil: Anvil;
  let api: ApiClient;
  let bmc: Peer;
  let images: ImageServer;
  let view: RedfishBmcView;
  let machine: SimMachine;
  let diskDir: string;
  let disk: FileDisk;
  const image = wholeDiskImage();

  before(async () => {
    let httpPort: number;
    // power changes land 1-2 s after the request (sushy-tools' own delay is random 1-11 s)
    [bmc, images, httpPort] = await Promise.all([startEmulator({ systems: [SYS], powerDelay: 2 }), startImageServer({ kernel: KERNEL, ramdisk: RAMDISK, 'disk.raw': image }), freePort()]);
    anvil = await startAnvil({ ...FAST_DEPLOY_SETTINGS, pxe_http_port: httpPort, redfish_power_poll_interval: 0.2, check_provision_state_interval: 1, deploy_logs_collect: 'never' });
    api = apiClient(anvil.url);
    view = new RedfishBmcView(bmc.url, SYS.uuid);
    await view.start();
    diskDir = mkdtempSync(join(tmpdir(), 'anvil-redfish-disk-'));
    disk = new FileDisk(join(diskDir, 'disk.img'), 256 * 1024 * 1024);
    machine = new SimMachine({
      name: 'vm-node',
      mac: SYS.mac,
      bmc: view,
      disk,
      bootMode: 'uefi',
      pollMs: 50,
      agent: { heartbeatMs: 700, forcedGapMs: 0, inventory: { cpu: { count: 4, architecture: 'x86_64' }, memory: { physical_mb: 8192 }, interfaces: [{ name: 'eth0', mac_address: SYS.mac }] } },
    });
    machine.start();
  });
  after(async () => {
    await machine?.stop();
    view?.stop();
    await anvil?.stop();
    await Promise.all([bmc?.stop(), images?.stop()]);
    if (diskDir) rmSync(diskDir, { recursive: true, force: true });
  });

  test('enroll → manage → provide → active → deleted → available', async (t) => {
    t.after(() => {
      if ((t as { passed?: boolean }).passed === false || process.env.ANVIL_DEPLOY_DEBUG) {
        console.error(JSON.stringify({ events: machine.events, actions: view.actions() }));
        console.error(anvil.output().slice(-8000));
      }
    });
    const created = await api('POST', '/nodes', {
      name: 'vm-node',
      driver: 'redfish',
      boot_interface: 'redfish-virtual-media',
      deploy_interface: 'direct',
      network_interface: 'noop',
      driver_info: { redfish_address: bmc.url, redfish_system_id: `/redfish/v1/Systems/${SYS.uuid}`, deploy_kernel: `${images.url}/kernel`, deploy_ramdisk: `${images.url}/ramdisk`, deploy_ramdisk_checksum: hash('sha256', RAMDISK) },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const uuid = created.body.uuid;
    assert.equal((await api('POST', '/ports', { node_uuid: uuid, address: SYS.mac, pxe_enabled: true })).status, 201);
    const v = await api('GET', `/nodes/${uuid}/validate`);
    for (const k of ['boot', 'deploy', 'management', 'power']) assert.equal(v.body[k].result, true, `${k}: ${v.body[k].reason}`);

    assert.equal((await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'manage' })).status, 202);
    await waitState(api, uuid, 'manageable');
    assert.equal((await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'provide' })).status, 202);
    const avail = await waitState(api, uuid, 'available', 120_000);
    assert.equal(avail.power_state, 'power off');
    const cleaning = machine.events.find((e) => e.kind === 'cd-boot');
    assert.deepEqual(cleaning, { kind: 'cd-boot', kernel: KERNEL.length, initrd: RAMDISK.length, apiUrl: anvil.url, elTorito: true });
    assert.deepEqual(machine.agents.at(-1)?.commands.filter((c) => c.command_name === 'execute_clean_step').map((c) => (c.command_params.step as { step: string }).step), ['erase_devices_metadata', 'erase_devices']);

    const ii = [
      { op: 'add', path: '/instance_info/image_source', value: `${images.url}/disk.raw` },
      { op: 'add', path: '/instance_info/image_checksum', value: hash('md5', image) },
      { op: 'add', path: '/instance_info/image_disk_format', value: 'raw' },
    ];
    assert.equal((await api('PATCH', `/nodes/${uuid}`, ii)).status, 200);
    const deployStart = view.actions().length;
    assert.equal((await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'active' })).status, 202);
    const active = await waitState(api, uuid, 'active', 120_000);
    assert.equal(active.power_state, 'power on');
    assert.equal(active.last_error, null);
    await until('the machine booting from disk', async () => machine.events.at(-1)?.kind === 'disk-boot', 30_000);
    assert.deepEqual(machine.events.at(-1), { kind: 'disk-boot', bootable: true });
    assert.deepEqual(view.actions().slice(deployStart), ['boot cd', 'power 1', 'power 0', 'boot default', 'power 1']);
    const head = disk.read(0, image.length);
    assert.ok(head.subarray(512).equals(image.subarray(512)), 'image bytes written');
    const cd: any = await (await fetch(`${bmc.url}/redfish/v1/Systems/${SYS.uuid}/VirtualMedia/Cd`)).json();
    assert.equal(cd.Inserted, false, 'virtual media ejected once active');
    const sys: any = await (await fetch(`${bmc.url}/redfish/v1/Systems/${SYS.uuid}`)).json();
    assert.equal(sys.Boot.BootSourceOverrideTarget, 'Hdd');

    assert.equal((await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'deleted' })).status, 202);
    const back = await waitState(api, uuid, 'available', 120_000);
    assert.equal(back.power_state, 'power off');
    assert.deepEqual(back.instance_info, {});
    assert.ok(disk.read(0, 512).equals(Buffer.alloc(512)), 'cleaning wiped the partition table');
    assert.equal(((await (await fetch(`${bmc.url}/redfish/v1/Systems/${SYS.uuid}/VirtualMedia/Cd`)).json()) as any).Inserted, false);
  });

  test("the redfish firmware interface (1.86): an out-of-band inspection caches the BMC's bios and bmc versions", async () => {
    const v86 = apiClient(anvil.url, '1.86');
    const uuid = (await v86('GET', '/nodes/vm-node')).body.uuid;
    assert.equal((await v86('PUT', `/nodes/${uuid}/states/provision`, { target: 'manage' })).status, 202);
    await waitState(v86, uuid, 'manageable');
    const patch = [
      { op: 'replace', path: '/firmware_interface', value: 'redfish' },
      { op: 'replace', path: '/inspect_interface', value: 'redfish' },
    ];
    assert.equal((await v86('PATCH', `/nodes/${uuid}`, patch)).status, 200);
    assert.deepEqual((await v86('GET', `/nodes/${uuid}/firmware`)).body, { firmware: [] });
    assert.equal((await v86('PUT', `/nodes/${uuid}/states/provision`, { target: 'inspect' })).status, 202);
    await waitState(v86, uuid, 'manageable', 60_000);
    const sys: any = await (await fetch(`${bmc.url}/redfish/v1/Systems/${SYS.uuid}`)).json();
    const mgr: any = await (await fetch(`${bmc.url}${sys.Links.ManagedBy[0]['@odata.id']}`)).json();
    const fw = (await v86('GET', `/nodes/${uuid}/firmware`)).body.firmware as Record<string, unknown>[];
    assert.deepEqual(
      fw.map((c) => [c.component, c.initial_version, c.current_version, c.last_version_flashed]),
      [
        ['bios', sys.BiosVersion, sys.BiosVersion, null],
        ['bmc', mgr.FirmwareVersion, mgr.FirmwareVersion, null],
      ],
    );
  });

  test('virtual media through the API (1.89/1.93): InsertMedia/EjectMedia on the emulator, GET shows what it reports', async () => {
    const v = apiClient(anvil.url, '1.93');
    const uuid = (await v('GET', '/nodes/vm-node')).body.uuid;
    const cd = async (): Promise<any> => (await fetch(`${bmc.url}/redfish/v1/Systems/${SYS.uuid}/VirtualMedia/Cd`)).json();
    const url = `${images.url}/ramdisk`;
    let r = await v('POST', `/nodes/${uuid}/vmedia`, { device_type: 'cdrom', image_url: url, image_download_source: 'http' });
    assert.equal(r.status, 204, JSON.stringify(r.body));
    await until('the emulator shows the image inserted', async () => {
      const d = await cd();
      return d.Inserted === true && d.Image === url;
    });
    const listed = (await v('GET', `/nodes/${uuid}/vmedia`)).body as { media_types: string[]; inserted: boolean; image: string | null }[];
    assert.ok(listed.some((m) => m.inserted && m.image === url && m.media_types.includes('CD')), JSON.stringify(listed));
    r = await v('DELETE', `/nodes/${uuid}/vmedia`);
    assert.equal(r.status, 204, JSON.stringify(r.body));
    await until('the emulator shows it ejected', async () => (await cd()).Inserted === false);
    // `local`: Anvil keeps a copy and the BMC fetches it from Anvil's HTTP server
    r = await v('POST', `/nodes/${uuid}/vmedia`, { device_type: 'cdrom', image_url: url, image_download_source: 'local' });
    assert.equal(r.status, 204, JSON.stringify(r.body));
    const local = await until('a copy served by Anvil inserted', async () => {
      const d = await cd();
      return d.Inserted === true && typeof d.Image === 'string' && d.Image !== url && d.Image.endsWith(`cdrom-${uuid}.iso`) ? d : undefined;
    });
    assert.deepEqual(Buffer.from(await (await fetch(local.Image)).arrayBuffer()), RAMDISK);
    assert.equal((await v('DELETE', `/nodes/${uuid}/vmedia?device_types=cdrom`)).status, 204);
    await until('ejected again', async () => (await cd()).Inserted === false);
    const n = (await v('GET', `/nodes/${uuid}?fields=last_error`)).body;
    assert.equal(n.last_error, null);
  });
});
