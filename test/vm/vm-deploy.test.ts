/**
 * A real machine, end to end (BIOS): a qemu VM on a bridge in a network namespace, its BMC OpenIPMI's ipmi_sim driving
 * qemu over QMP, enrolled as an `ipmi` node (ipxe boot, direct deploy, flat network). It PXE-boots the real
 * ironic-python-agent from Anvil (dnsmasq DHCP from Anvil's dnsmasq provider, iPXE script and ramdisk over Anvil's
 * HTTP), is cleaned (erase_devices_metadata), gets a Debian whole-disk image with a config drive, boots it, and
 * cloud-init reads the drive (hostname and a runcmd marker on the serial console, the SSH key on disk); then rescue,
 * unrescue, and undeploy with cleaning back to available. Phase times go to stderr (bench/vm-lab.md keeps them).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { labImages, type Lab, missingLabImages, partitions, readExt4File, startLab } from '@anvil/vm-lab';
import { buildConfigDriveFromDict, encodeForApi } from 'cloud-config-drive';
import { anvilServerMissing, startAnvil } from '../ipmi/anvil-server.ts';
import { until } from '../deploy/fixtures.ts';

const ACCEL = process.env.ANVIL_VM_ACCEL === 'kvm' ? 'kvm' : 'tcg';
const SCALE = ACCEL === 'kvm' ? 1 : 4; // TCG emulates every instruction: the waits grow, the steps do not change
const MIN = 60_000;
const missing = anvilServerMissing() ?? missingLabImages();
if (missing && process.env.ANVIL_TEST_DEPLOY_TOOLS) throw new Error(`vm-lab: ${missing}`);

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHb6bRcJo1pJm0yGfL8sLqGqA0rS6eM1b2n3o4p5q6r7 anvil-vm-test';
const MARKER = `ANVIL-RUNCMD-${randomBytes(4).toString('hex')}`;
const HOSTNAME = 'anvil-vm-0';

async function waitState(lab: Lab, node: string, want: string, ms: number): Promise<any> {
  let last: any;
  return until(
    `node in ${want}`,
    async () => {
      last = (await lab.anvil.api('GET', `/nodes/${node}`)).body;
      if (last.provision_state === want && last.target_provision_state === null) return last;
      if (/failed$|^error$/.test(last.provision_state)) assert.fail(`node went to ${last.provision_state}: ${last.last_error}`);
      return undefined;
    },
    ms,
    async () => JSON.stringify({ state: last?.provision_state, err: last?.last_error, dii: last?.driver_internal_info }),
  );
}

const timings: Record<string, number> = {};
async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  const r = await fn();
  timings[what] = Math.round((Date.now() - t0) / 100) / 10;
  console.error(`vm-lab: ${what} ${timings[what]} s (${ACCEL})`);
  return r;
}

describe('a real machine end to end (qemu BIOS, ipmi_sim, ironic-python-agent, cloud-init)', { skip: missing ?? false, timeout: 28 * MIN }, () => {
  let lab: Lab;
  before(async () => {
    const img = labImages();
    lab = await startLab({
      dir: mkdtempSync(join(tmpdir(), 'anvil-vm-lab-')),
      count: 1,
      bootMode: 'bios',
      accel: ACCEL,
      imagesDir: img.dir,
      agent: img.agent,
      startAnvil: (host, settings) => startAnvil({ ...settings, deploy_callback_timeout: 10 * 60 * SCALE }, host),
    });
  });
  after(async () => {
    if (process.env.ANVIL_VM_DEBUG) {
      console.error(lab?.vms[0]?.serial().slice(-20000));
      console.error(lab?.anvil.output().slice(-20000));
    }
    await lab?.stop();
    console.error(`vm-lab timings (${ACCEL}): ${JSON.stringify(timings)}`);
  });

  test('clean, deploy with a config drive cloud-init reads, rescue, unrescue, undeploy', async (t) => {
    t.after(() => {
      if ((t as { passed?: boolean }).passed === false) {
        console.error(lab.vms[0].serial().slice(-12000));
        console.error(lab.anvil.output().slice(-12000));
        console.error(lab.dnsmasq.log().slice(-3000));
      }
    });
    const img = labImages();
    const node = lab.nodes[0];
    const vm = lab.vms[0];
    const api = lab.anvil.api;
    assert.equal((await api('PUT', `/nodes/${node}/states/provision`, { target: 'manage' })).status, 202);
    await waitState(lab, node, 'manageable', 2 * MIN);

    // automated cleaning: the VM PXE-boots the agent, which looks up, heartbeats and runs erase_devices_metadata
    assert.equal((await api('PUT', `/nodes/${node}/states/provision`, { target: 'provide' })).status, 202);
    await timed('cleaning', () => waitState(lab, node, 'available', 5 * MIN * SCALE));
    const serialAfterClean = vm.serial();
    assert.match(serialAfterClean, /ironic-python-agent/);
    assert.ok(vm.actions().includes('set boot pxe'), vm.actions().join(','));

    const ii = [
      { op: 'add', path: '/instance_info/image_source', value: `${lab.imagesUrl}/${img.instance}/disk.raw` },
      { op: 'add', path: '/instance_info/image_os_hash_algo', value: 'sha256' },
      { op: 'add', path: '/instance_info/image_os_hash_value', value: img.instanceSha256 },
      { op: 'add', path: '/instance_info/image_disk_format', value: 'raw' },
      { op: 'add', path: '/instance_uuid', value: 'b7a3c0de-0000-4000-8000-00000000f00d' },
    ];
    assert.equal((await api('PATCH', `/nodes/${node}`, ii)).status, 200);
    const cd = encodeForApi(
      buildConfigDriveFromDict(
        {
          meta_data: { uuid: 'b7a3c0de-0000-4000-8000-00000000f00d', hostname: HOSTNAME, name: HOSTNAME, public_keys: { 'anvil-key': KEY } },
          network_data: {
            links: [{ id: 'port0', type: 'phy', ethernet_mac_address: vm.mac, mtu: 1500 }],
            networks: [{ id: 'net0', link: 'port0', type: 'ipv4', ip_address: `${lab.net.prefix}.50`, netmask: '255.255.255.0', routes: [] }],
            services: [],
          },
          user_data: `#cloud-config\nruncmd:\n  - echo "${MARKER} hostname=$(hostname)" > /dev/ttyS0\n`,
        },
        { uuid: node, name: vm.spec.name },
      ),
    );
    const deployStart = Date.now();
    assert.equal((await api('PUT', `/nodes/${node}/states/provision`, { target: 'active', configdrive: cd })).status, 202);
    const active = await timed('deploy (to active)', () => waitState(lab, node, 'active', 10 * MIN * SCALE));
    assert.equal(active.power_state, 'power on');
    const marker = await until('cloud-init runcmd marker on the serial console', async () => new RegExp(`${MARKER} hostname=(\\S+)`).exec(vm.serial()), 5 * MIN * SCALE);
    assert.equal(marker[1], HOSTNAME);
    await until('cloud-init finished', async () => /Cloud-init v\. \S+ finished at/.test(vm.serial()), 3 * MIN * SCALE);
    timings['deploy (request to cloud-init finished)'] = Math.round((Date.now() - deployStart) / 100) / 10;
    console.error(`vm-lab: deploy (request to cloud-init finished) ${timings['deploy (request to cloud-init finished)']} s (${ACCEL})`);
    const serial = vm.serial();
    const ciLines = serial.split('\n').filter((l) => /ConfigDrive|Cloud-init v\.|ANVIL-RUNCMD|login:/.test(l));
    console.error(`vm-lab: serial lines from the instance:\n${ciLines.join('\n')}`);
    assert.ok(ciLines.some((l) => /DataSourceConfigDrive/.test(l) || /ConfigDrive/.test(l)), 'cloud-init names the ConfigDrive data source');

    // power off: the disk holds the key cloud-init wrote for the default user
    assert.equal((await api('PUT', `/nodes/${node}/states/power`, { target: 'power off' })).status, 202);
    await until('power off', async () => (await api('GET', `/nodes/${node}`)).body.power_state === 'power off', 2 * MIN);
    const parts = partitions(vm.disk);
    const root = parts.find((p) => p.name.includes('root'));
    assert.ok(root, JSON.stringify(parts));
    const keys = readExt4File(vm.disk, root.nr, '/home/debian/.ssh/authorized_keys');
    assert.match(keys ?? '', /anvil-vm-test/);
    assert.ok(parts.some((p) => p.name.includes('config-2')) || parts.length >= 4, `config drive partition: ${JSON.stringify(parts)}`);
    assert.equal((await api('PUT', `/nodes/${node}/states/power`, { target: 'power on' })).status, 202);
    await until('power on', async () => (await api('GET', `/nodes/${node}`)).body.power_state === 'power on', 2 * MIN);

    // rescue: the agent ramdisk boots, gets the hashed rescue password, stops; unrescue boots the instance again
    assert.equal((await api('PUT', `/nodes/${node}/states/provision`, { target: 'rescue', rescue_password: 'r3scue!' })).status, 202);
    await timed('rescue', () => waitState(lab, node, 'rescue', 5 * MIN * SCALE));
    await until('the rescue user', async () => /rescue mode: user rescue has the rescue password/.test(vm.serial()), 2 * MIN * SCALE);
    assert.equal((await api('PUT', `/nodes/${node}/states/provision`, { target: 'unrescue' })).status, 202);
    await timed('unrescue', () => waitState(lab, node, 'active', 5 * MIN * SCALE));

    // undeploy: cleaning wipes the disk metadata, the node is available again
    assert.equal((await api('PUT', `/nodes/${node}/states/provision`, { target: 'deleted' })).status, 202);
    const avail = await timed('undeploy (to available, with cleaning)', () => waitState(lab, node, 'available', 10 * MIN * SCALE));
    assert.equal(avail.instance_uuid, null);
    assert.deepEqual(partitions(vm.disk), [], 'erase_devices_metadata removed the partition table');
  });
});
