/**
 * The `redfish` raid interface and the `redfish` firmware interface's `update` step through the API against
 * sushy-tools' emulator (its Storage and Drives from config, four 20 GiB drives; Volumes answered by
 * sushy_launch.py as a RAID controller that applies on reset): PUT /v1/nodes/{node}/states/raid (Ironic's 400s
 * for bad input), manual cleaning with raid.delete_configuration + raid.create_configuration (each volume POSTed,
 * the node rebooted, the task monitor followed), raid_config read back from the BMC; a plan the drives cannot
 * hold fails cleaning with Ironic's reason and the node recovers; firmware.update as a manual clean step and as a
 * service step (1.87) with SimpleUpdate on the emulator, GET /v1/nodes/{node}/firmware showing the new bios
 * version as current_version and last_version_flashed; raid.apply_configuration as a deploy step and
 * raid.delete_configuration as a service step.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { closeAll, RedfishPower, RedfishRaid } from '@anvil/plugin-redfish';
import { type Anvil, startAnvil } from '../ipmi/anvil-server.ts';
import { apiClient, type ApiClient, FAST_DEPLOY_SETTINGS, waitState } from '../deploy/fixtures.ts';
import { type FakeSystem, type Peer, startEmulator } from './emulator.ts';
import { makeTask } from './task.ts';

const GiB = 1024 ** 3;
const SYS: FakeSystem = { uuid: '55555555-5555-4555-8555-555555555555', name: 'raid-node', mac: '52:54:00:dd:00:01', diskBytes: 20 * GiB, drives: 4 };
// a second System: Ironic (and Anvil) name the SimpleUpdate Targets only when the BMC has more than one System, and
// sushy-tools refuses a SimpleUpdate without Targets; its Volumes apply at once (Immediate)
const OTHER: FakeSystem = { uuid: '66666666-6666-4666-8666-666666666666', name: 'other', mac: '52:54:00:dd:00:02', diskBytes: 10 * GiB, drives: 2, raidImmediate: true };

describe('redfish raid and firmware update through the API against sushy-tools', () => {
  let anvil: Anvil;
  let api: ApiClient;
  let bmc: Peer;
  let uuid: string;
  const get = async (path: string): Promise<any> => (await fetch(`${bmc.url}${path}`)).json();
  const storage = `/redfish/v1/Systems/${SYS.uuid}/Storage/1`;
  const volumes = async (): Promise<any[]> => Promise.all(((await get(`${storage}/Volumes`)).Members as { '@odata.id': string }[]).map((m) => get(m['@odata.id'])));
  const clean = async (steps: unknown[], want = 'manageable') => {
    const r = await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'clean', clean_steps: steps });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    return waitState(api, uuid, want, 60_000);
  };
  // a failed clean leaves the node in maintenance (fault "clean failure"), as Ironic: unset it, manage again
  const recover = async () => {
    assert.equal((await api('DELETE', `/nodes/${uuid}/maintenance`)).status, 202);
    assert.equal((await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'manage' })).status, 202);
    await waitState(api, uuid, 'manageable');
  };

  before(async () => {
    [bmc, anvil] = await Promise.all([
      startEmulator({ systems: [SYS, OTHER], powerDelay: 0 }),
      startAnvil({ ...FAST_DEPLOY_SETTINGS, redfish_power_poll_interval: 0.2, redfish_firmware_update_status_interval: 1 }),
    ]);
    api = apiClient(anvil.url, '1.87');
    const created = await api('POST', '/nodes', {
      name: 'raid-node',
      driver: 'redfish',
      boot_interface: 'fake',
      deploy_interface: 'fake',
      network_interface: 'noop',
      raid_interface: 'redfish',
      firmware_interface: 'redfish',
      inspect_interface: 'redfish',
      driver_info: { redfish_address: bmc.url, redfish_system_id: `/redfish/v1/Systems/${SYS.uuid}` },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    uuid = created.body.uuid;
    assert.equal((await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'manage' })).status, 202);
    await waitState(api, uuid, 'manageable');
  });
  after(async () => {
    if (process.env.ANVIL_DEPLOY_DEBUG) console.error(anvil?.output().slice(-8000));
    await closeAll();
    await anvil?.stop();
    await bmc?.stop();
  });

  test("PUT states/raid: Ironic's 400s for bad input, the target stored", async () => {
    const bad = async (config: unknown, re: RegExp) => {
      const r = await api('PUT', `/nodes/${uuid}/states/raid`, config);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.match(JSON.parse(r.body.error_message).faultstring, re);
    };
    await bad({ logical_disks: [{ raid_level: '7', size_gb: 10 }] }, /RAID config validation error: '7' is not one of \['JBOD', '0', '1', '2', '5', '6', '1\+0', '5\+0', '6\+0'\]/);
    await bad({ logical_disks: [{ raid_level: '1' }] }, /RAID config validation error: 'size_gb' is a required property/);
    await bad({ logical_disks: [{ raid_level: '1', size_gb: 10, interface_type: 'scsi' }] }, /interface type `scsi` not supported by Redfish RAID/);
    await bad(
      { logical_disks: [{ raid_level: '1', size_gb: 10, is_root_volume: true }, { raid_level: '0', size_gb: 5, is_root_volume: true }] },
      /Raid config cannot have more than one root volume. 2 root volumes were specified/,
    );
    const target = { logical_disks: [{ raid_level: '1', size_gb: 10, is_root_volume: true, volume_name: 'root' }, { raid_level: '0', size_gb: 'MAX', controller: '1', physical_disks: ['D2', 'D3'] }] };
    assert.equal((await api('PUT', `/nodes/${uuid}/states/raid`, target)).status, 204);
    assert.deepEqual((await api('GET', `/nodes/${uuid}`)).body.target_raid_config, target);
  });

  test('manual cleaning: raid.delete_configuration + raid.create_configuration make the volumes; raid_config read back', async () => {
    const node = await clean([
      { interface: 'raid', step: 'delete_configuration' },
      { interface: 'raid', step: 'create_configuration' },
    ]);
    assert.equal(node.last_error, null);
    const vols = await volumes();
    const summary = vols.map((v) => [v.RAIDType, v.CapacityBytes / GiB, v.Links.Drives.map((d: { '@odata.id': string }) => d['@odata.id'].split('/').pop())]).sort();
    // RAID1 of 10 GiB on the two smallest free drives; RAID0 over D2+D3 with no CapacityBytes (the controller sizes MAX)
    assert.deepEqual(summary, [
      ['RAID0', 40, ['D2', 'D3']],
      ['RAID1', 10, ['D0', 'D1']],
    ]);
    const rc = node.raid_config;
    assert.match(rc.last_updated, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    const byId = new Map(vols.map((v) => [v.Id, v]));
    assert.deepEqual(
      [...rc.logical_disks].sort((a: any, b: any) => a.raid_level.localeCompare(b.raid_level)),
      [
        { id: vols.find((v) => v.RAIDType === 'RAID0').Id, name: vols.find((v) => v.RAIDType === 'RAID0').Name, controller: '1', size_gb: 40, raid_level: '0' },
        { id: vols.find((v) => v.RAIDType === 'RAID1').Id, name: 'root', controller: '1', size_gb: 10, raid_level: '1' },
      ],
    );
    assert.equal(byId.size, 2);
    assert.deepEqual((await api('GET', `/nodes/${uuid}/states`)).body.raid_config, rc);
    // again: the old volumes are deleted first, two new ones made
    const again = await clean([
      { interface: 'raid', step: 'delete_configuration' },
      { interface: 'raid', step: 'create_configuration', args: { create_nonroot_volumes: false } },
    ]);
    const now = await volumes();
    assert.deepEqual(now.map((v) => v.RAIDType), ['RAID1']);
    assert.ok(!byId.has(now[0].Id));
    assert.deepEqual(again.raid_config.logical_disks.map((d: any) => d.raid_level), ['1']);
    const gone = await clean([{ interface: 'raid', step: 'delete_configuration' }]);
    assert.deepEqual(await volumes(), []);
    assert.deepEqual(gone.raid_config.logical_disks, []);
  });

  test('a controller applying at once (Immediate): the Volume is made by a 201, without a reboot', async () => {
    const other = `/redfish/v1/Systems/${OTHER.uuid}`;
    const target_raid_config = { logical_disks: [{ raid_level: '1', size_gb: 'MAX', controller: '1', physical_disks: ['D0', 'D1'] }] };
    const t = makeTask({ redfish_address: bmc.url, redfish_system_id: other }, { node: { target_raid_config, raid_config: {} }, interfaces: { power: new RedfishPower() } });
    const raid = new RedfishRaid();
    await raid.executeStep(t, 'create_configuration', {});
    assert.equal((await get(other)).PowerState, 'Off', 'not rebooted');
    assert.deepEqual((t.node.raid_config.logical_disks as any[]).map((d) => [d.raid_level, d.size_gb, d.controller]), [['1', 10, '1']]);
    assert.equal(((await get(`${other}/Storage/1/Volumes`)).Members as unknown[]).length, 1);
    await raid.executeStep(t, 'delete_configuration', {});
    assert.deepEqual(t.node.raid_config.logical_disks, []);
    assert.equal((await get(other)).PowerState, 'Off');
  });

  test('a plan the drives cannot hold fails cleaning with the reason; the node recovers', async () => {
    assert.equal((await api('PUT', `/nodes/${uuid}/states/raid`, { logical_disks: [{ raid_level: '5', size_gb: 100 }] })).status, 204);
    const failed = await clean([{ interface: 'raid', step: 'create_configuration' }], 'clean failed');
    assert.match(failed.last_error, /failed to find matching physical disks for all logical disks/);
    assert.equal(failed.maintenance, true);
    assert.equal((await api('PUT', `/nodes/${uuid}/states/raid`, { logical_disks: [{ raid_level: '0', size_gb: 'MAX' }] })).status, 204);
    await recover();
    const again = await clean([{ interface: 'raid', step: 'create_configuration' }], 'clean failed');
    assert.match(again.last_error, /'physical_disks' is missing from logical_disk while 'size_gb'='MAX' was requested/);
    assert.deepEqual(await volumes(), []);
    assert.equal((await api('PUT', `/nodes/${uuid}/states/raid`, {})).status, 204);
    await recover();
  });

  test('firmware.update as a clean step and as a service step (with raid.delete_configuration), raid.apply_configuration as a deploy step', async () => {
    const bios = async () => (await get(`/redfish/v1/Systems/${SYS.uuid}`)).BiosVersion as string;
    const firmware = async () => ((await api('GET', `/nodes/${uuid}/firmware`)).body.firmware as any[]).find((c) => c.component === 'bios');
    // an out-of-band inspection caches the components first
    assert.equal((await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'inspect' })).status, 202);
    await waitState(api, uuid, 'manageable');
    const v0 = await bios();
    assert.deepEqual(await firmware(), { ...(await firmware()), component: 'bios', initial_version: v0, current_version: v0, last_version_flashed: null });

    const bad = await clean([{ interface: 'firmware', step: 'update', args: { settings: [{ component: 'cpu', url: 'http://127.0.0.1/fw.bin' }] } }], 'clean failed');
    assert.match(bad.last_error, /Invalid firmware update \[\{'component': 'cpu', 'url': 'http:\/\/127.0.0.1\/fw.bin'\}\]. Errors: 'cpu' is not valid under any of the given schemas/);
    assert.equal(await bios(), v0);
    await recover();

    await clean([{ interface: 'firmware', step: 'update', args: { settings: [{ component: 'bios', url: 'http://127.0.0.1/bios-1.bin' }] } }]);
    const v1 = await bios();
    assert.notEqual(v1, v0);
    assert.deepEqual(await firmware(), { ...(await firmware()), initial_version: v0, current_version: v1, last_version_flashed: v1 });

    // servicing an active node (1.87): the service step needs no ramdisk
    assert.equal((await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'provide' })).status, 202);
    await waitState(api, uuid, 'available');
    // raid.apply_configuration as a deploy step: the target stored, only the root volume made (Ironic's default)
    const raid_config = { logical_disks: [{ raid_level: '1', size_gb: 8, is_root_volume: true }, { raid_level: '0', size_gb: 4 }] };
    const deploy = await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'active', deploy_steps: [{ interface: 'raid', step: 'apply_configuration', args: { raid_config }, priority: 90 }] });
    assert.equal(deploy.status, 202, JSON.stringify(deploy.body));
    const deployed = await waitState(api, uuid, 'active');
    assert.deepEqual(deployed.target_raid_config, raid_config);
    assert.deepEqual(deployed.raid_config.logical_disks.map((d: any) => [d.raid_level, d.size_gb]), [['1', 8]]);
    assert.deepEqual((await volumes()).map((v) => v.RAIDType), ['RAID1']);
    const r = await api('PUT', `/nodes/${uuid}/states/provision`, {
      target: 'service',
      service_steps: [
        { interface: 'firmware', step: 'update', args: { settings: [{ component: 'bios', url: 'http://127.0.0.1/bios-2.bin', wait: 1 }] } },
        { interface: 'raid', step: 'delete_configuration' },
      ],
    });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const active = await waitState(api, uuid, 'active', 60_000);
    assert.equal(active.last_error, null);
    assert.deepEqual(await volumes(), []);
    assert.deepEqual(active.raid_config.logical_disks, []);
    const v2 = await bios();
    assert.notEqual(v2, v1);
    assert.deepEqual(await firmware(), { ...(await firmware()), initial_version: v0, current_version: v2, last_version_flashed: v2 });
  });
});
