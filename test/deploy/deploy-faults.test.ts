/**
 * Deploy failures against `anvil server` (ipmi_sim BMCs, pxe + direct + flat, automated cleaning off, a 3 s
 * callback timeout): the agent never heartbeats → deploy failed by the timeout; the image checksum does not match →
 * deploy failed naming the checksums; undeploy while waiting for the agent → available with PXE files gone; the
 * BMC dies mid-deploy → deploy failed with the BMC error and no lock left behind. Also a partition image in BIOS mode
 * (root/swap layout, boot loader, config drive as the last partition).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FileDisk, readPartitions, SimAgent, tftpGet } from '@anvil/agent-sim';
import { buildConfigDriveFromDict, encodeForApi } from 'cloud-config-drive';
import { missingIpmiSim, missingIpmitool, type Peer, startIpmiSim } from 'ipmi-lan-ts/testing';
import { type Anvil, anvilServerMissing, startAnvil } from '../ipmi/anvil-server.ts';
import { apiClient, type ApiClient, FAST_DEPLOY_SETTINGS, freeUdpPort, hash, type ImageServer, ipmiDriverInfo, startImageServer, startSim, until, waitState, wholeDiskImage } from './fixtures.ts';
import { failWithout } from '../prereq.ts';

const missing = anvilServerMissing() ?? missingIpmitool() ?? missingIpmiSim();
failWithout(missing);
const KERNEL = Buffer.from('kernel');
const RAMDISK = Buffer.from('ramdisk');

describe('deploy faults', () => {
  let anvil: Anvil;
  let api: ApiClient;
  let images: ImageServer;
  let tftpPort: number;
  const bmcs: Peer[] = [];
  const image = wholeDiskImage();

  before(async () => {
    [images, tftpPort] = await Promise.all([startImageServer({ kernel: KERNEL, ramdisk: RAMDISK, 'disk.raw': image }), freeUdpPort()]);
    anvil = await startAnvil({
      pxe_tftp_port: tftpPort,
      automated_clean: false,
      deploy_callback_timeout: 3,
      check_provision_state_interval: 1,
      ...FAST_DEPLOY_SETTINGS,
      ipmi_attempt_timeout: 0.3,
      ipmi_retries: 1,
      deploy_logs_collect: 'never',
    });
    api = apiClient(anvil.url);
  });
  after(async () => {
    await anvil?.stop();
    await Promise.all([images?.stop(), ...bmcs.map((b) => b.stop())]);
  });

  /** A node on its own BMC, made available (cleaning is off), with a good or bad image checksum. */
  async function availableNode(name: string, mac: string, opts: { badChecksum?: boolean; partition?: boolean } = {}) {
    const bmc = await startIpmiSim();
    bmcs.push(bmc);
    const n = await api('POST', '/nodes', {
      name,
      driver: 'ipmi',
      boot_interface: 'pxe',
      deploy_interface: 'direct',
      network_interface: 'flat',
      driver_info: ipmiDriverInfo(bmc, images.url),
      instance_info: {
        image_source: `${images.url}/disk.raw`,
        image_os_hash_algo: 'sha512',
        image_os_hash_value: opts.badChecksum ? hash('sha512', Buffer.from('something else')) : hash('sha512', image),
        image_checksum: hash('md5', image),
        ...(opts.partition ? { kernel: `${images.url}/kernel`, ramdisk: `${images.url}/ramdisk`, root_gb: 1, swap_mb: 64, ephemeral_gb: 0 } : {}),
      },
    });
    assert.equal(n.status, 201, JSON.stringify(n.body));
    assert.equal((await api('POST', '/ports', { node_uuid: n.body.uuid, address: mac })).status, 201);
    if (opts.partition) assert.equal((await api('PATCH', `/nodes/${name}`, [{ op: 'add', path: '/properties/capabilities', value: 'boot_mode:bios' }])).status, 200);
    await api('PUT', `/nodes/${name}/states/provision`, { target: 'manage' });
    await waitState(api, name, 'manageable');
    await api('PUT', `/nodes/${name}/states/provision`, { target: 'provide' });
    await waitState(api, name, 'available');
    return { uuid: n.body.uuid as string, bmc };
  }

  test('the agent never heartbeats: deploy failed after the callback timeout, node powered off, unlocked', async () => {
    const { bmc } = await availableNode('silent', '52:54:00:00:0f:01');
    assert.equal((await api('PUT', '/nodes/silent/states/provision', { target: 'active' })).status, 202);
    await waitState(api, 'silent', 'wait call-back');
    const failed = await waitState(api, 'silent', 'deploy failed', 20_000);
    assert.match(failed.last_error, /Timeout reached while waiting for callback/);
    assert.equal(failed.reservation, null);
    await until('power off', async () => bmc.power() === 'off');
  });

  test('checksum mismatch: the agent refuses the image, deploy failed with a clear last_error', async (t) => {
    const mac = '52:54:00:00:0f:02';
    const { bmc } = await availableNode('badsum', mac, { badChecksum: true });
    const { disk } = startSim(t, bmc, mac, { host: '127.0.0.1', port: tftpPort }, { name: 'badsum' });
    assert.equal((await api('PUT', '/nodes/badsum/states/provision', { target: 'active' })).status, 202);
    const failed = await waitState(api, 'badsum', 'deploy failed', 30_000);
    assert.match(failed.last_error, /Deploy step deploy\.write_image failed/);
    assert.match(failed.last_error, /Image failed to verify against checksum/);
    assert.equal(failed.reservation, null);
    assert.equal(failed.power_state, 'power off');
    assert.ok(disk.read(0, 512).equals(Buffer.alloc(512)), 'nothing written to the disk');
  });

  test('abort is refused in wait call-back; undeploy while waiting for the agent: deleting → available, PXE config removed', async () => {
    const mac = '52:54:00:00:0f:03';
    await availableNode('abort', mac);
    assert.equal((await api('PUT', '/nodes/abort/states/provision', { target: 'active' })).status, 202);
    await waitState(api, 'abort', 'wait call-back');
    const cfg = `grub.cfg-01-${mac.replace(/:/g, '-')}`;
    assert.ok(await tftpGet('127.0.0.1', tftpPort, cfg), 'PXE config served while waiting');
    // `abort` from wait call-back exists from 1.110 (Ironic 39; Ironic 21.4 had none and answered 400); below it
    // Ironic 39 answers 406, as the 1.115 contract table checks: at 1.46 undeploy is the way out
    assert.equal((await api('PUT', '/nodes/abort/states/provision', { target: 'abort' })).status, 406);
    assert.equal((await api('PUT', '/nodes/abort/states/provision', { target: 'deleted' })).status, 202);
    const n = await waitState(api, 'abort', 'available', 20_000);
    assert.equal(n.power_state, 'power off');
    assert.deepEqual(n.instance_info, {});
    assert.equal(await tftpGet('127.0.0.1', tftpPort, cfg), null, 'PXE config gone');
  });

  test('BMC unreachable mid-deploy: deploy failed naming the BMC, no stuck lock', async (t) => {
    const mac = '52:54:00:00:0f:04';
    const { bmc, uuid } = await availableNode('nobmc', mac);
    assert.equal((await api('PUT', '/nodes/nobmc/states/provision', { target: 'active' })).status, 202);
    await waitState(api, 'nobmc', 'wait call-back');
    await bmc.stop(); // the BMC goes away while the ramdisk runs
    const dir = mkdtempSync(join(tmpdir(), 'anvil-nobmc-'));
    const agent = new SimAgent({
      apiUrl: anvil.url,
      macs: [mac],
      disk: new FileDisk(join(dir, 'disk.img'), 64 * 1024 * 1024),
      powerOff: async () => undefined,
      heartbeatMs: 500,
      forcedGapMs: 0,
    });
    t.after(async () => {
      await agent.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    await agent.start();
    const failed = await waitState(api, 'nobmc', 'deploy failed', 40_000);
    assert.match(failed.last_error, /prepare_instance_boot|IPMI|BMC|timed out|timeout/i, failed.last_error);
    assert.equal(failed.reservation, null);
    assert.ok(agent.commands.some((c) => c.command_name === 'execute_deploy_step' && c.command_status === 'SUCCEEDED'), 'the image was written before the BMC failure');
    const again = await api('PATCH', `/nodes/${uuid}`, [{ op: 'add', path: '/extra/checked', value: true }]);
    assert.equal(again.status, 200, 'the node is not locked');
  });

  test('partition image (BIOS): root/swap laid out, image in the root partition, boot loader installed, config drive last', async (t) => {
    const mac = '52:54:00:00:0f:05';
    const { bmc } = await availableNode('part', mac, { partition: true });
    const { machine, disk } = startSim(t, bmc, mac, { host: '127.0.0.1', port: tftpPort }, { name: 'part', bootMode: 'bios', diskMiB: 2048 });
    const cd = encodeForApi(buildConfigDriveFromDict({ meta_data: { uuid: 'p-1', hostname: 'p' } }, { uuid: 'p-1' }));
    assert.equal((await api('PUT', '/nodes/part/states/provision', { target: 'active', configdrive: cd })).status, 202);
    const n = await waitState(api, 'part', 'active', 30_000);
    assert.equal(n.driver_internal_info.is_whole_disk_image, false);
    assert.equal(n.driver_internal_info.deploy_boot_mode, 'bios');
    assert.match(n.driver_internal_info.root_uuid_or_disk_id, /^[0-9a-f]{8}-[0-9a-f]{4}-/);
    assert.equal(machine.lastRamdisk?.configName, `pxelinux.cfg/01-${mac.replace(/:/g, '-')}`, 'BIOS firmware used pxelinux');
    const agent = machine.agents.at(-1)!;
    const boot = agent.commands.find((c) => c.command_name === 'install_bootloader');
    assert.ok(boot, 'install_bootloader sent for a partition image');
    assert.equal(boot.command_params.target_boot_mode, 'bios');
    const parts = readPartitions(disk.read(0, 512));
    assert.deepEqual(parts.map((p) => [p.index, p.type, p.sectors]), [[0, 0x83, 2097152], [1, 0x82, 131072], [2, 0x83, parts[2]?.sectors]]);
    assert.ok(disk.read(parts[0].startLba * 512, image.length).equals(image), 'the image is in the root partition');
    assert.equal(disk.read(parts[2].startLba * 512 + 0x8001, 5).toString(), 'CD001', 'config drive in the last partition');
  });
});
