/**
 * The deploy flow end to end (seeds 000/002, ipa-contract): `anvil server` with an ipmi node (ipmi_sim BMC) using
 * pxe boot, direct deploy, flat network and agent rescue, and a simulated machine that network-boots over real TFTP
 * (tftp-hpa) and runs the simulated agent. enroll → manage → provide (automated clean) → active with a config drive
 * → rescue → unrescue → deleted (clean) → available; the disk holds the image and a config-2 partition cloud-init
 * reads; the BMC saw PXE, power on, disk, agent power off, power on.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readPartitions, tftpGet } from '@anvil/agent-sim';
import { buildConfigDriveFromDict, encodeForApi } from 'cloud-config-drive';
import { missingIpmiSim, missingIpmitool, type Peer, startIpmiSim } from 'ipmi-lan-ts/testing';
import { type Anvil, anvilServerMissing, startAnvil } from '../ipmi/anvil-server.ts';
import { apiClient, deployDebug, type ApiClient, FAST_DEPLOY_SETTINGS, freeUdpPort, hash, type ImageServer, ipmiDriverInfo, simFor, startImageServer, startSim, until, waitState, wholeDiskImage } from './fixtures.ts';
import { failWithout } from '../prereq.ts';

const here = new URL('.', import.meta.url).pathname;
const missingTftp = () => (existsSync('/usr/bin/tftp') ? null : 'tftp-hpa client (/usr/bin/tftp) is not installed');
const missing = anvilServerMissing() ?? missingIpmitool() ?? missingIpmiSim() ?? missingTftp();
failWithout(missing);

const MAC = '52:54:00:aa:bb:01';
const KERNEL = Buffer.from('simulated deploy kernel\n'.repeat(200));
const RAMDISK = Buffer.from('simulated deploy ramdisk\n'.repeat(3000));
const RESCUE_KERNEL = Buffer.from('rescue kernel\n'.repeat(100));
const RESCUE_RAMDISK = Buffer.from('rescue ramdisk\n'.repeat(100));

describe('deploy flow: ipmi + pxe + direct + flat with the simulated agent', () => {
  let anvil: Anvil;
  let api: ApiClient;
  let bmc: Peer;
  let images: ImageServer;
  let tftpPort: number;
  let logsDir: string;
  const image = wholeDiskImage();

  before(async () => {
    [bmc, images, tftpPort] = await Promise.all([
      startIpmiSim(),
      startImageServer({ kernel: KERNEL, ramdisk: RAMDISK, 'rescue-kernel': RESCUE_KERNEL, 'rescue-ramdisk': RESCUE_RAMDISK, 'disk.raw': image }),
      freeUdpPort(),
    ]);
    logsDir = mkdtempSync(join(tmpdir(), 'anvil-deploy-logs-'));
    anvil = await startAnvil({
      pxe_tftp_port: tftpPort,
      pxe_http_server: false,
      ...FAST_DEPLOY_SETTINGS,
      check_provision_state_interval: 1,
      deploy_logs_collect: 'always',
      deploy_logs_local_path: logsDir,
    });
    api = apiClient(anvil.url);
  });
  after(async () => {
    await anvil?.stop();
    await Promise.all([bmc?.stop(), images?.stop()]);
    if (logsDir) rmSync(logsDir, { recursive: true, force: true });
  });

  test('enroll → manage → provide → active (config drive) → rescue → unrescue → deleted → available', async (t) => {
    const { machine, disk } = startSim(t, bmc, MAC, { host: '127.0.0.1', port: tftpPort }, { name: 'node-1' });
    t.after(() => deployDebug(t, machine, anvil));
    const created = await api('POST', '/nodes', {
      name: 'node-1',
      driver: 'ipmi',
      boot_interface: 'pxe',
      deploy_interface: 'direct',
      network_interface: 'flat',
      rescue_interface: 'agent',
      driver_info: {
        ...ipmiDriverInfo(bmc, images.url),
        deploy_kernel_checksum: hash('sha256', KERNEL),
        rescue_kernel: `${images.url}/rescue-kernel`,
        rescue_ramdisk: `${images.url}/rescue-ramdisk`,
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const uuid = created.body.uuid;
    assert.equal((await api('POST', '/ports', { node_uuid: uuid, address: MAC, pxe_enabled: true })).status, 201);

    // lookup is refused while the node is not in a ramdisk state
    assert.equal((await api('GET', `/lookup?addresses=${MAC}`)).status, 404);

    assert.equal((await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'manage' })).status, 202);
    await waitState(api, uuid, 'manageable');
    // manual cleaning with one agent step (stays manageable)
    const manual = await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'clean', clean_steps: [{ interface: 'deploy', step: 'erase_devices_metadata' }] });
    assert.equal(manual.status, 202, JSON.stringify(manual.body));
    await waitState(api, uuid, 'manageable');
    const manualAgent = machine.agents.at(-1);
    assert.deepEqual(
      manualAgent?.commands.map((c) => [c.command_name, c.command_status, (c.command_params.step as { step?: string } | undefined)?.step ?? null]),
      [
        ['get_clean_steps', 'SUCCEEDED', null],
        ['execute_clean_step', 'SUCCEEDED', 'erase_devices_metadata'],
        ['collect_system_logs', 'SUCCEEDED', null],
      ],
    );
    const cleanStart = bmc.actions().length;
    assert.equal((await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'provide' })).status, 202);
    await waitState(api, uuid, 'available');
    // automated cleaning ran the priority-ordered agent steps: erase_devices_metadata (99) then erase_devices (10)
    const autoSteps = machine.agents.at(-1)?.commands.filter((c) => c.command_name === 'execute_clean_step').map((c) => (c.command_params.step as { step: string }).step);
    assert.deepEqual(autoSteps, ['erase_devices_metadata', 'erase_devices']);
    assert.deepEqual(bmc.actions().slice(cleanStart), ['boot pxe', 'power 1', 'power 0']);
    const logs = readdirSync(logsDir).filter((f) => f.startsWith(uuid));
    assert.ok(logs.length >= 2, 'cleaning logs collected for the manual and the automated run');

    // deploy with a config drive built by the conductor from the object form
    disk.write(0, Buffer.alloc(4096, 0xee)); // junk that write_image must replace
    const ii = [
      { op: 'add', path: '/instance_info/image_source', value: `${images.url}/disk.raw` },
      { op: 'add', path: '/instance_info/image_checksum', value: hash('md5', image) },
      { op: 'add', path: '/instance_info/image_os_hash_algo', value: 'sha256' },
      { op: 'add', path: '/instance_info/image_os_hash_value', value: hash('sha256', image) },
      { op: 'add', path: '/instance_info/image_disk_format', value: 'raw' },
      { op: 'add', path: '/instance_uuid', value: 'a1b2c3d4-0000-4000-8000-000000000001' },
    ];
    assert.equal((await api('PATCH', `/nodes/${uuid}`, ii)).status, 200);
    const deployStart = bmc.actions().length;
    const cdDict = { meta_data: { uuid: 'a1b2c3d4-0000-4000-8000-000000000001', hostname: 'web-1', name: 'web-1' }, user_data: '#cloud-config\nhostname: web-1\n' };
    const cd = encodeForApi(buildConfigDriveFromDict(cdDict, { uuid, name: 'node-1' }));
    const d = await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'active', configdrive: cd });
    assert.equal(d.status, 202, JSON.stringify(d.body));
    const active = await waitState(api, uuid, 'active');
    assert.equal(active.power_state, 'power on');
    assert.equal(active.last_error, null);
    assert.equal(active.driver_internal_info.root_uuid_or_disk_id, '0xa1b2c3d4');
    assert.equal(active.driver_internal_info.agent_url, undefined, 'agent_url wiped once active');
    assert.equal(active.driver_internal_info.agent_secret_token, undefined);
    assert.equal(active.driver_internal_info.agent_version, '9.4.1');
    assert.ok(active.driver_internal_info.agent_last_heartbeat);
    // seed 002 / ipa-contract: boot pxe, power 1 (ramdisk), boot default ×2, power 0 (agent), power 1 (instance)
    assert.deepEqual(bmc.actions().slice(deployStart), ['boot pxe', 'power 1', 'boot default', 'boot default', 'power 0', 'power 1']);
    await until('the machine booting from disk', async () => machine.events.at(-1)?.kind === 'disk-boot');
    assert.deepEqual(machine.events.at(-1), { kind: 'disk-boot', bootable: true });

    // PXE config came over real TFTP (tftp-hpa) with the kernel bytes from the image cache
    const boot = machine.lastRamdisk!;
    assert.equal(boot.configName, `grub.cfg-01-${MAC.replace(/:/g, '-')}`);
    assert.ok(boot.kernelBytes.equals(KERNEL) && boot.initrdBytes.equals(RAMDISK));
    assert.equal(boot.apiUrl, anvil.url);

    // the disk holds the image, and a config-2 partition at the end that cloud-init reads
    const head = disk.read(0, image.length);
    assert.ok(head.subarray(0, 446).equals(image.subarray(0, 446)) && head.subarray(512).equals(image.subarray(512)), 'image bytes written');
    const parts = readPartitions(disk.read(0, 512));
    assert.equal(parts.length, 2, JSON.stringify(parts));
    const cdPart = parts[1];
    const iso = disk.read(cdPart.startLba * 512, cdPart.sectors * 512);
    assert.equal(iso.subarray(0x8001, 0x8006).toString(), 'CD001');
    await checkCloudInit(iso);

    // deploy logs collected (deploy_logs_collect=always)
    assert.ok(readdirSync(logsDir).some((f) => f.startsWith(uuid) && f.endsWith('.tar.gz')));

    // the agent stopped on power off: no lookup possible while active
    assert.equal((await api('GET', `/lookup?addresses=${MAC}`)).status, 404);

    // rescue: the rescue ramdisk boots, the agent gets the hashed password
    const r = await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'rescue', rescue_password: 's3cret!' });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const rescued = await waitState(api, uuid, 'rescue');
    assert.equal(rescued.instance_info.rescue_password, '******');
    assert.match(machine.agent?.rescuePassword ?? '', /^sha512\$/);
    assert.ok(machine.lastRamdisk!.kernelBytes.equals(RESCUE_KERNEL));
    // the simulated rescue agent keeps heartbeating in `rescue` (a real one stops after finalize_rescue): as in
    // Ironic (HEARTBEAT_ALLOWED) nothing is recorded outside the heartbeat states, so no later flow inherits it
    const beats = machine.agent!.heartbeats.length;
    await until('a heartbeat while in rescue', async () => machine.agent!.heartbeats.length > beats + 1);
    const still = (await api('GET', `/nodes/${uuid}`)).body;
    assert.equal(still.driver_internal_info.agent_last_heartbeat, rescued.driver_internal_info.agent_last_heartbeat);
    assert.equal((await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'unrescue' })).status, 202);
    const back = await waitState(api, uuid, 'active');
    assert.equal(back.instance_info.rescue_password, undefined);
    // Ironic's unrescue: the rescue agent's URL and token are gone (the undeploy's cleaning ramdisk starts clean)
    assert.equal(back.driver_internal_info.agent_url, undefined);
    assert.equal(back.driver_internal_info.agent_secret_token, undefined);
    await until('the machine booting from disk again', async () => machine.events.at(-1)?.kind === 'disk-boot');

    // tear down → automated cleaning wipes the metadata → available
    assert.equal((await api('PUT', `/nodes/${uuid}/states/provision`, { target: 'deleted' })).status, 202);
    const avail = await waitState(api, uuid, 'available');
    assert.deepEqual(avail.instance_info, {});
    assert.equal(avail.instance_uuid, null);
    assert.equal(avail.power_state, 'power off');
    assert.ok(disk.read(0, 512).equals(Buffer.alloc(512)), 'erase_devices_metadata wiped the partition table');

    // PXE files were removed on tear-down
    const tftpRoot = join(anvilDataDir(anvil), 'tftpboot');
    if (existsSync(tftpRoot)) assert.ok(!existsSync(join(tftpRoot, uuid)), 'per-node PXE directory removed');
    assert.equal(await tftpGet('127.0.0.1', tftpPort, `grub.cfg-01-${MAC.replace(/:/g, '-')}`), null);
  });

  test('TFTP refuses paths outside its root; the master image cache is served read-only', async () => {
    for (const p of ['../../../../etc/passwd', '/etc/passwd', 'pxelinux.cfg/../../../etc/hostname']) {
      assert.equal(await tftpGet('127.0.0.1', tftpPort, p), null, p);
    }
    const out = spawnSync('/usr/bin/tftp', ['-m', 'binary', '127.0.0.1', String(tftpPort), '-c', 'get', '../../etc/passwd', '/dev/null'], { encoding: 'utf8' });
    assert.match(`${out.stdout}${out.stderr}`, /Access violation|Error code 2/);
  });

  test('lookup and heartbeat protocol: token once, required after, 400 on a wrong one', async (t) => {
    const mac = '52:54:00:aa:bb:02';
    const { machine, dir } = simFor(bmc, mac, { host: '127.0.0.1', port: tftpPort }, { name: 'proto' });
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    void machine;
    const n = await api('POST', '/nodes', { name: 'proto', driver: 'fake-hardware', deploy_interface: 'fake', boot_interface: 'fake' });
    assert.equal(n.status, 201);
    assert.equal((await api('GET', '/lookup')).status, 400, 'addresses or node_uuid is required');
    assert.equal((await api('GET', `/lookup?addresses=${mac}`)).status, 404);
    const hb = await api('POST', `/heartbeat/${n.body.uuid}`, { callback_url: 'http://127.0.0.1:9', agent_token: 'x', agent_verify_ca: false });
    assert.equal(hb.status, 400);
    assert.match(JSON.parse(hb.body.error_message).faultstring, /Expected string for agent_verify_ca: False/);
    const noToken = await api('POST', `/heartbeat/${n.body.uuid}`, { callback_url: 'http://127.0.0.1:9' });
    assert.equal(noToken.status, 400);
    assert.match(JSON.parse(noToken.body.error_message).faultstring, /Agent token is required/);
    const wrong = await api('POST', `/heartbeat/${n.body.uuid}`, { callback_url: 'http://127.0.0.1:9', agent_token: 'not-the-token' });
    assert.equal(wrong.status, 400, 'real Ironic 21.4 answers 400 (not 403) for a wrong token');
    assert.match(JSON.parse(wrong.body.error_message).faultstring, /Invalid or missing agent token received/);
    const after = (await api('GET', `/nodes/${n.body.uuid}`)).body;
    assert.equal(after.driver_internal_info.agent_url, undefined, 'node untouched by a refused heartbeat');
    assert.equal((await api('GET', `/heartbeat/${n.body.uuid}`)).status, 405);
  });
});

function anvilDataDir(_a: Anvil): string {
  return '/nonexistent'; // the child's data dir is private to anvil-server.ts; existence is checked over TFTP instead
}

async function checkCloudInit(iso: Buffer): Promise<void> {
  const have = (c: string) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0;
  if (!have('xorriso') || !existsSync('/usr/bin/python3'))
    throw new Error('missing prerequisite: xorriso or /usr/bin/python3 (bash scripts/services/configdrive-tools.sh start)');
  const dir = mkdtempSync(join(tmpdir(), 'anvil-cd-'));
  try {
    writeFileSync(join(dir, 'cd.iso'), iso);
    const blk = spawnSync('blkid', ['-o', 'value', '-s', 'LABEL', join(dir, 'cd.iso')], { encoding: 'utf8' });
    if (blk.status === 0) assert.equal(blk.stdout.trim(), 'config-2');
    const x = spawnSync('xorriso', ['-osirrox', 'on', '-indev', join(dir, 'cd.iso'), '-extract', '/', join(dir, 'mnt')], { encoding: 'utf8' });
    assert.equal(x.status, 0, x.stderr);
    const r = spawnSync('/usr/bin/python3', [join(here, '../configdrive/read_drive.py'), join(dir, 'mnt')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.metadata.uuid, 'a1b2c3d4-0000-4000-8000-000000000001');
    assert.equal(out.metadata['local-hostname'], 'web-1');
    assert.equal(out.userdata, '#cloud-config\nhostname: web-1\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
