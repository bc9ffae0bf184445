/**
 * The steps of the real-machine flows (test/vm): a one-VM lab with `anvil server` on the lab bridge, provision-state
 * waits scaled for emulation, phase timings (printed as "vm-lab: <phase> <s> s (<accel>)" and a JSON summary for
 * bench/vm-bench.sh), and the deploy with a config drive that cloud-init must read.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labImages, type Lab, missingLabImages, partitions, readExt4File, startLab } from '@anvil/vm-lab';
import { buildConfigDriveFromDict, encodeForApi } from 'cloud-config-drive';
import { until } from '../deploy/fixtures.ts';
import { anvilServerMissing, startAnvil } from '../ipmi/anvil-server.ts';

export const ACCEL = process.env.ANVIL_VM_ACCEL === 'kvm' ? 'kvm' : 'tcg';
export const SCALE = ACCEL === 'kvm' ? 1 : 3; // TCG emulates every instruction: the waits grow, the steps do not change
export const MIN = 60_000;

/** Why the flow cannot run (null when it can): the test files fail with it (test/prereq.ts), never skip. */
export const vmMissing = (): string | null => anvilServerMissing() ?? missingLabImages();

/** A lab with one VM (`nics` NICs); `settings` override the lab's Anvil settings (e.g. a short deploy_callback_timeout). */
export async function oneVmLab(bootMode: 'bios' | 'uefi', settings: Record<string, string | number | boolean> = {}, nics = 1): Promise<Lab> {
  const img = labImages();
  return startLab({
    dir: mkdtempSync(join(tmpdir(), 'anvil-vm-lab-')),
    count: 1,
    nics,
    bootMode,
    accel: ACCEL,
    imagesDir: img.dir,
    agent: img.agent,
    startAnvil: (host, s) => startAnvil({ ...s, deploy_callback_timeout: 10 * 60 * SCALE, ...settings }, host),
  });
}

export async function waitState(lab: Lab, node: string, want: string, ms: number): Promise<any> {
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

export const timings: Record<string, number> = {};
export function record(what: string, since: number): void {
  timings[what] = Math.round((Date.now() - since) / 100) / 10;
  console.error(`vm-lab: ${what} ${timings[what]} s (${ACCEL})`);
}
export async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  const r = await fn();
  record(what, t0);
  return r;
}
export const printTimings = () => console.error(`vm-lab timings (${ACCEL}): ${JSON.stringify(timings)}`);

/** On failure (or ANVIL_VM_DEBUG=1): the VM's serial console, Anvil's log and dnsmasq's. */
export function debugDump(lab: Lab | undefined, failed: boolean): void {
  if (!lab || (!failed && !process.env.ANVIL_VM_DEBUG)) return;
  console.error(lab.vms[0]?.serial().slice(-12000));
  console.error(lab.anvil.output().slice(-12000));
  console.error(lab.dnsmasq.log().slice(-3000));
}

export async function provision(lab: Lab, node: string, target: string, extra: Record<string, unknown> = {}): Promise<void> {
  const r = await lab.anvil.api('PUT', `/nodes/${node}/states/provision`, { target, ...extra });
  assert.equal(r.status, 202, JSON.stringify(r.body));
}

export const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHb6bRcJo1pJm0yGfL8sLqGqA0rS6eM1b2n3o4p5q6r7 anvil-vm-test';

/** instance_info for the lab's Debian whole-disk image over HTTP, with the sha256 the agent must verify. */
export async function setImage(lab: Lab, node: string, sha256: string, instanceUuid?: string): Promise<void> {
  const img = labImages();
  const ii = [
    { op: 'add', path: '/instance_info/image_source', value: `${lab.imagesUrl}/${img.instance}/disk.raw` },
    { op: 'add', path: '/instance_info/image_os_hash_algo', value: 'sha256' },
    { op: 'add', path: '/instance_info/image_os_hash_value', value: sha256 },
    { op: 'add', path: '/instance_info/image_disk_format', value: 'raw' },
  ];
  if (instanceUuid) ii.push({ op: 'add', path: '/instance_uuid', value: instanceUuid });
  const r = await lab.anvil.api('PATCH', `/nodes/${node}`, ii);
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

/** Wait for a failed state (deploy failed, clean failed ...): the node as it is then. */
export async function waitFailed(lab: Lab, node: string, want: string, ms: number): Promise<any> {
  let last: any;
  return until(
    `node in ${want}`,
    async () => {
      last = (await lab.anvil.api('GET', `/nodes/${node}`)).body;
      if (last.provision_state === want && last.reservation === null) return last;
      if (['active', 'available'].includes(last.provision_state)) assert.fail(`node went to ${last.provision_state}, not ${want}`);
      return undefined;
    },
    ms,
    async () => JSON.stringify({ state: last?.provision_state, err: last?.last_error }),
  );
}

/**
 * available → active with the Debian image and a config drive (hostname, SSH key, static network_data, a runcmd
 * printing a marker to the serial console); resolves when cloud-init has finished, with the serial lines that show
 * it read the drive.
 */
export async function deployWithConfigDrive(lab: Lab, node: string, hostname: string): Promise<string[]> {
  const img = labImages();
  const vm = lab.vms[0];
  const marker = `ANVIL-RUNCMD-${randomBytes(4).toString('hex')}`;
  const instanceUuid = 'b7a3c0de-0000-4000-8000-00000000f00d';
  await setImage(lab, node, img.instanceSha256, instanceUuid);
  const drive = buildConfigDriveFromDict(
    {
      meta_data: { uuid: instanceUuid, hostname, name: hostname, public_keys: { 'anvil-key': SSH_KEY } },
      network_data: {
        links: [{ id: 'port0', type: 'phy', ethernet_mac_address: vm.mac, mtu: 1500 }],
        networks: [{ id: 'net0', link: 'port0', type: 'ipv4', ip_address: `${lab.net.prefix}.50`, netmask: '255.255.255.0', routes: [] }],
        services: [],
      },
      // sync first: the keys cloud-init wrote in its init stage reach the disk before the test powers the VM off
      user_data: `#cloud-config\nruncmd:\n  - sync\n  - echo "${marker} hostname=$(hostname)" > /dev/ttyS0\n`,
    },
    { uuid: node, name: vm.spec.name },
  );
  const start = Date.now();
  const serialBefore = vm.serial().length;
  await provision(lab, node, 'active', { configdrive: encodeForApi(drive) });
  const active = await timed('deploy (request to active)', () => waitState(lab, node, 'active', 10 * MIN * SCALE));
  assert.equal(active.power_state, 'power on');
  const since = () => vm.serial().slice(serialBefore);
  const m = await until('the runcmd marker on the serial console', async () => new RegExp(`${marker} hostname=(\\S+)`).exec(since()), 5 * MIN * SCALE);
  assert.equal(m[1], hostname, 'the hostname from the drive is set when runcmd runs');
  await until('cloud-init finished', async () => /Cloud-init v\. \S+ finished at/.test(since()), 3 * MIN * SCALE);
  record('deploy (request to cloud-init finished)', start);
  return since()
    .split('\n')
    .filter((l) => /Cloud-init v\. \S+ (running 'init'|finished)|ANVIL-RUNCMD|login:/.test(l))
    .map((l) => l.trim());
}

/** Power the VM off through Anvil and read the default user's authorized_keys from the instance's root partition. */
export async function authorizedKeysOnDisk(lab: Lab, node: string): Promise<string | null> {
  const r = await lab.anvil.api('PUT', `/nodes/${node}/states/power`, { target: 'power off' });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  await until('power off', async () => (await lab.anvil.api('GET', `/nodes/${node}`)).body.power_state === 'power off', 2 * MIN);
  const disk = lab.vms[0].disk;
  const root = partitions(disk).find((p) => p.name === 'root');
  assert.ok(root, JSON.stringify(partitions(disk)));
  return readExt4File(disk, root.nr, '/home/debian/.ssh/authorized_keys');
}
