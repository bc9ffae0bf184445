/**
 * One virtual machine of the lab: a disk file, a tap on the lab bridge, a serial log, and OpenIPMI's ipmi_sim as its
 * BMC inside the lab namespace. ipmi_sim's chassis_control program (chassis.py) owns qemu: power on starts it with
 * the boot device last set (PXE or disk), power off/reset go over qemu's QMP socket. Anvil's `ipmi` hardware type
 * talks RMCP+ to ipmi_sim like to any server's BMC.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addTap, type LabNet, setCable } from './netns.ts';
import { qmp } from './qmp.ts';

const CHASSIS = fileURLToPath(new URL('./chassis.py', import.meta.url));
export const OVMF_CODE = '/usr/share/OVMF/OVMF_CODE_4M.fd';
export const OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd';

export interface VmSpec {
  name: string;
  index: number; // 0-based; picks the MAC, tap and BMC port
  dir: string; // disk, serial log, BMC state
  bootMode: 'bios' | 'uefi';
  accel: 'tcg' | 'kvm';
  memoryMiB?: number;
  diskGiB?: number;
  /** NICs (default 1): the first PXE-boots; the others sit on the same bridge (e.g. for inspection to find) */
  nics?: number;
}

export interface Vm {
  spec: VmSpec;
  /** the first NIC's MAC (the one enrolled as the PXE port) */
  mac: string;
  /** every NIC's MAC, the first one first */
  macs: string[];
  bmc: { host: string; port: number; username: string; password: string };
  serialLog: string;
  disk: string;
  /** the serial console so far */
  serial(): string;
  /** chassis actions ipmi_sim asked for ("set power 1", "set boot pxe", ...) */
  actions(): string[];
  /** plug the first NIC's cable into the lab bridge or pull it */
  cable(plugged: boolean): void;
  /** a QMP command to the running qemu (rejects when the VM is off) */
  qmp(execute: string, args?: Record<string, unknown>): Promise<unknown>;
  stop(): Promise<void>;
}

/** The MAC of NIC `nic` (0-based) of VM `index`. */
export const vmMac = (index: number, nic = 0) => `52:54:00:a7:${nic.toString(16).padStart(2, '0')}:${(index + 1).toString(16).padStart(2, '0')}`;

export function qemuArgs(spec: VmSpec, taps: string[], macs: string[]): string[] {
  const disk = `file=${join(spec.dir, 'disk.raw')},format=raw,cache=unsafe,discard=unmap`;
  const args = [
    'qemu-system-x86_64',
    '-name', spec.name,
    '-machine', spec.bootMode === 'uefi' ? 'q35' : 'pc',
    '-accel', spec.accel,
    '-m', String(spec.memoryMiB ?? 1536),
    '-smp', '1',
    '-display', 'none', '-vga', 'none',
    // UEFI: the disk as its own device, so chassis.py can give it bootindex=1 for a disk boot (OVMF ignores -boot)
    ...(spec.bootMode === 'uefi' ? ['-drive', `${disk},if=none,id=disk0`, '-device', 'virtio-blk-pci,drive=disk0'] : ['-drive', `${disk},if=virtio`]),
    ...taps.flatMap((tap, i) => ['-netdev', `tap,id=n${i},ifname=${tap},script=no,downscript=no`, '-device', `virtio-net-pci,netdev=n${i},mac=${macs[i]}`]),
    '-device', 'virtio-rng-pci',
    '-chardev', `file,id=ser0,path=${join(spec.dir, 'serial.log')},append=on`,
    '-serial', 'chardev:ser0',
  ];
  if (spec.bootMode === 'uefi') {
    args.push('-drive', `if=pflash,format=raw,readonly=on,file=${OVMF_CODE}`, '-drive', `if=pflash,format=raw,file=${join(spec.dir, 'OVMF_VARS.fd')}`);
  }
  return args;
}

function lanConf(name: string, host: string, port: number, dir: string): string {
  return [
    `name "${name}"`,
    'set_working_mc 0x20',
    '  startlan 1',
    `    addr ${host} ${port}`,
    '    priv_limit admin',
    '    allowed_auths_callback none md2 md5 straight',
    '    allowed_auths_user none md2 md5 straight',
    '    allowed_auths_operator none md2 md5 straight',
    '    allowed_auths_admin none md2 md5 straight',
    '    guid a123456789abcdefa123456789abcd00',
    '  endlan',
    `  chassis_control "${CHASSIS} ${dir} 0x20"`,
    '  user 2 true "admin" "password" admin 10 none md2 md5 straight',
    '',
  ].join('\n');
}

/** Create the VM's files and tap and start its BMC (the VM itself is off until the BMC powers it on). */
export async function createVm(net: LabNet, spec: VmSpec): Promise<Vm> {
  mkdirSync(join(spec.dir, 'bmc-state'), { recursive: true });
  const macs = Array.from({ length: spec.nics ?? 1 }, (_, n) => vmMac(spec.index, n));
  const taps = macs.map((_, n) => addTap(net, n ? `tap${spec.index}n${n}` : `tap${spec.index}`));
  const disk = join(spec.dir, 'disk.raw');
  if (!existsSync(disk)) writeFileSync(disk, '');
  // sparse: IPA picks the smallest disk of at least 4 GiB as the root device
  await import('node:fs/promises').then((fs) => fs.truncate(disk, (spec.diskGiB ?? 5) * 1024 ** 3));
  if (spec.bootMode === 'uefi' && !existsSync(join(spec.dir, 'OVMF_VARS.fd'))) copyFileSync(OVMF_VARS, join(spec.dir, 'OVMF_VARS.fd'));
  writeFileSync(join(spec.dir, 'qemu.args'), qemuArgs(spec, taps, macs).join('\n'));
  writeFileSync(join(spec.dir, 'boot'), 'default\n');
  const port = 6230 + spec.index;
  writeFileSync(join(spec.dir, 'lan.conf'), lanConf(spec.name, net.bridgeIp, port, spec.dir));
  writeFileSync(join(spec.dir, 'cmd.conf'), 'mc_setbmc 0x20\nmc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr\nsel_enable 0x20 1000 0x0a\nmc_enable 0x20\n');
  const child: ChildProcess = spawn(
    'ip',
    ['netns', 'exec', net.ns, 'ipmi_sim', '-c', join(spec.dir, 'lan.conf'), '-f', join(spec.dir, 'cmd.conf'), '-s', join(spec.dir, 'bmc-state'), '-n'],
    { stdio: ['ignore', 'ignore', 'pipe'], detached: false },
  );
  let err = '';
  child.stderr?.on('data', (d) => (err += d));
  await new Promise((r) => setTimeout(r, 300));
  if (child.exitCode !== null) throw new Error(`ipmi_sim for ${spec.name} exited: ${err}`);
  const read = (f: string) => {
    try {
      return readFileSync(join(spec.dir, f), 'utf8');
    } catch {
      return '';
    }
  };
  return {
    spec,
    mac: macs[0],
    macs,
    bmc: { host: net.bridgeIp, port, username: 'admin', password: 'password' },
    serialLog: join(spec.dir, 'serial.log'),
    disk,
    serial: () => read('serial.log'),
    actions: () => read('actions').split('\n').filter((l) => l.startsWith('set ')),
    cable: (plugged) => setCable(net, taps[0], plugged),
    qmp: (execute, args) => qmp(spec.dir, execute, args),
    stop: async () => {
      powerOffQemu(spec.dir);
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
  };
}

/** Kill the VM's qemu if it still runs (the BMC going away does not stop it). */
export function powerOffQemu(dir: string): void {
  try {
    const pid = Number(readFileSync(join(dir, 'qemu.pid'), 'utf8').trim());
    if (pid > 0) process.kill(pid, 'SIGKILL');
  } catch {
    // not running
  }
}
