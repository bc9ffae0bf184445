/**
 * `anvil lab`: a virtual rack of real machines in one command. Builds the agent ramdisk and the instance image if
 * their scripts changed (scripts/images/build.sh), creates a network namespace with a bridge, dnsmasq and one qemu VM
 * per node with an ipmi_sim BMC (tools/vm-lab), starts `anvil server` on the bridge's host end, enrolls the VMs as
 * `ipmi` nodes, manages them (manageable: their BMCs answer) and prints how to deploy one. Runs until SIGINT/SIGTERM, then removes everything.
 * `anvil lab down` removes what a lab left behind (its processes, namespace, veth and directory).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { destroyNet, labNamespaces, powerOffQemu, startLab } from '@anvil/vm-lab';
import { spawnAnvil } from '@anvil/vm-lab/anvil-process';

const REPO = resolve(new URL('../../../', import.meta.url).pathname);
const USAGE = `usage: anvil lab [options]        start a lab (foreground; Ctrl-C removes it)
       anvil lab down [--dir DIR]  remove what a lab left behind

  --count N              VMs (default 1)
  --boot-mode bios|uefi  firmware (default bios)
  --accel tcg|kvm        qemu accelerator (default: .tmp/images/accel from scripts/services/vm-lab.sh, else tcg)
  --dir DIR              lab files: VM disks, serial logs, Anvil's data (default ./data/lab)

Needs root (network namespace, taps, loop devices) and the packages scripts/services/vm-lab.sh installs.`;

interface LabState {
  ns: string;
  hostIf: string;
  anvilPid: number;
  vmDirs: string[];
}

async function untilState(anvil: { api(m: string, p: string): Promise<{ status: number; body: any }> }, node: string, want: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const n = (await anvil.api('GET', `/nodes/${node}`)).body;
    if (n.provision_state === want && n.target_provision_state === null) return;
    if (Date.now() > end || /failed$/.test(n.provision_state) || n.provision_state === 'enroll' && n.last_error) {
      throw new Error(`anvil lab: node ${node} is ${n.provision_state}, not ${want}: ${n.last_error}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

function down(dir: string): number {
  const state = join(dir, 'lab.json');
  const s: LabState | null = existsSync(state) ? JSON.parse(readFileSync(state, 'utf8')) : null;
  if (s) {
    for (const d of s.vmDirs) powerOffQemu(d);
    try {
      process.kill(s.anvilPid, 'SIGTERM');
    } catch {
      // already gone
    }
    for (const pid of execFileSync('ip', ['netns', 'pids', s.ns], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGTERM');
      } catch {
        // gone
      }
    }
    destroyNet(s);
  }
  rmSync(dir, { recursive: true, force: true });
  const left = labNamespaces();
  console.log(`anvil lab down: removed ${s ? s.ns : 'nothing (no lab.json)'} and ${dir}${left.length ? `; other labs still up: ${left.join(' ')}` : ''}`);
  return 0;
}

export async function run(argv: string[]): Promise<number> {
  const sub = argv[0] === 'down' ? 'down' : 'up';
  const { values } = parseArgs({
    args: sub === 'down' ? argv.slice(1) : argv,
    options: {
      count: { type: 'string', default: '1' },
      'boot-mode': { type: 'string', default: 'bios' },
      accel: { type: 'string' },
      dir: { type: 'string', default: './data/lab' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const dir = resolve(String(values.dir));
  if (sub === 'down') return down(dir);
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1 || !['bios', 'uefi'].includes(String(values['boot-mode']))) {
    console.error(`anvil lab: bad --count or --boot-mode\n${USAGE}`);
    return 2;
  }
  if (existsSync(join(dir, 'lab.json'))) {
    console.error(`anvil lab: ${dir} holds a lab already (anvil lab down --dir ${dir})`);
    return 1;
  }
  const build = (name: string) => execFileSync('bash', [join(REPO, 'scripts/images/build.sh'), name], { stdio: ['ignore', 'pipe', 'inherit'] }).toString().trim();
  const agent = build('agent-ramdisk');
  const instance = build('instance-image');
  const accelFile = join(REPO, '.tmp/images/accel');
  const accel = (values.accel ?? (existsSync(accelFile) ? readFileSync(accelFile, 'utf8').trim() : 'tcg')) === 'kvm' ? 'kvm' : 'tcg';
  mkdirSync(dir, { recursive: true });
  let anvilPid = 0;
  const lab = await startLab({
    dir,
    count,
    bootMode: values['boot-mode'] as 'bios' | 'uefi',
    accel,
    imagesDir: join(REPO, '.tmp/images'),
    agent: basename(agent),
    startAnvil: async (host, settings) => {
      const a = await spawnAnvil(join(REPO, 'cli/bin/anvil.js'), dir, host, settings);
      anvilPid = a.pid;
      return a;
    },
  });
  const state: LabState = { ns: lab.net.ns, hostIf: lab.net.hostIf, anvilPid, vmDirs: lab.vms.map((v) => v.spec.dir) };
  writeFileSync(join(dir, 'lab.json'), JSON.stringify(state, null, 1));
  // ready: each node managed (Anvil reaches its BMC over RMCP+ and reads the power state), as an operator would
  try {
    for (const node of lab.nodes) {
      const r = await lab.anvil.api('PUT', `/nodes/${node}/states/provision`, { target: 'manage' });
      if (r.status !== 202) throw new Error(`anvil lab: manage ${node}: ${r.status} ${JSON.stringify(r.body)}`);
    }
    for (const node of lab.nodes) await untilState(lab.anvil, node, 'manageable', 120_000);
  } catch (e) {
    await lab.stop();
    throw e;
  }
  const sha = JSON.parse(readFileSync(join(instance, 'build.json'), 'utf8')).sha256;
  const vm0 = lab.vms[0].spec.name;
  console.log(`anvil lab: ${count} VM(s) (${values['boot-mode']}, ${accel}) enrolled and manageable in Anvil at ${lab.anvil.url}; namespace ${lab.net.ns}

  export OS_AUTH_TYPE=none OS_ENDPOINT=${lab.anvil.url} OS_BAREMETAL_API_VERSION=latest
  baremetal node list
  baremetal node provide --wait 3600 ${vm0}     # automated cleaning: the VM PXE-boots the real agent (minutes under TCG)
  baremetal node set ${vm0} --instance-info image_source=${lab.imagesUrl}/${basename(instance)}/disk.raw \\
    --instance-info image_os_hash_algo=sha256 --instance-info image_os_hash_value=${sha} --instance-info image_disk_format=raw
  baremetal node deploy --wait 3600 ${vm0} --config-drive '{"meta_data": {"hostname": "${vm0}"}}'
  tail -f ${lab.vms[0].serialLog}     # the agent, then the instance: cloud-init reads the config drive

Ctrl-C (or anvil lab down --dir ${dir}) removes the lab.`);
  await new Promise<void>((r) => {
    process.once('SIGINT', () => r());
    process.once('SIGTERM', () => r());
  });
  await lab.stop();
  return 0;
}
