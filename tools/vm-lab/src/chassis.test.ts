/**
 * chassis.py, the BMC's chassis_control program, as ipmi_sim runs it: `set boot pxe|default` then `set power 1`
 * starts qemu with the VM's arguments (qemuArgs) and the boot device. qemu is replaced by a recorder of its
 * arguments (the first line of qemu.args), so this runs anywhere, without root or KVM. OVMF ignores -boot and keeps the
 * EFI entry the agent's install_bootloader added first (seen on a UEFI undeploy: "BdsDxe: loading Boot0009 "ironic1""
 * instead of the PXE boot the cleaning asked for): for UEFI the chosen device gets bootindex=1.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { qemuArgs, type VmSpec } from './vm.ts';

const CHASSIS = fileURLToPath(new URL('./chassis.py', import.meta.url));

/** The arguments qemu was started with after `set boot <device>` and `set power 1`. */
function powerOnWith(bootMode: 'bios' | 'uefi', device: 'pxe' | 'default'): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'vm-lab-chassis-'));
  try {
    const recorder = join(dir, 'qemu-recorder');
    writeFileSync(recorder, `#!/bin/sh\nprintf '%s\\n' "$@" > '${join(dir, 'started')}'\n`);
    chmodSync(recorder, 0o755);
    const spec: VmSpec = { name: 'vm-0', index: 0, dir, bootMode, accel: 'tcg', nics: 2 };
    const args = qemuArgs(spec, ['tap0', 'tap0n1'], ['52:54:00:a7:00:01', '52:54:00:a7:01:01']);
    writeFileSync(join(dir, 'qemu.args'), [recorder, ...args.slice(1)].join('\n'));
    const chassis = (...a: string[]) => execFileSync('/usr/bin/python3', [CHASSIS, dir, '0x20', ...a], { encoding: 'utf8' });
    chassis('set', 'boot', device);
    assert.equal(chassis('get', 'boot').trim(), `boot:${device}`);
    chassis('set', 'power', '1');
    assert.deepEqual(readFileSync(join(dir, 'actions'), 'utf8').split('\n').filter(Boolean), [`set boot ${device}`, 'get boot', 'set power 1']);
    return readFileSync(join(dir, 'started'), 'utf8').trim().split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const withIndex = (args: string[]) => args.filter((a) => a.includes('bootindex'));
const bootFlag = (args: string[]) => args[args.indexOf('-boot') + 1];

test('UEFI: the first NIC or the disk gets bootindex=1 (OVMF follows it, not -boot)', () => {
  const pxe = powerOnWith('uefi', 'pxe');
  assert.deepEqual(withIndex(pxe), ['virtio-net-pci,netdev=n0,mac=52:54:00:a7:00:01,bootindex=1']);
  assert.ok(pxe.includes('virtio-net-pci,netdev=n1,mac=52:54:00:a7:01:01'), 'the second NIC is there, without a boot index');
  const disk = powerOnWith('uefi', 'default');
  assert.deepEqual(withIndex(disk), ['virtio-blk-pci,drive=disk0,bootindex=1']);
  assert.equal(bootFlag(disk), 'order=c');
});

test('BIOS: SeaBIOS follows -boot (network first for pxe, the disk otherwise); no boot index', () => {
  const pxe = powerOnWith('bios', 'pxe');
  assert.equal(bootFlag(pxe), 'order=n');
  assert.deepEqual(withIndex(pxe), []);
  assert.equal(bootFlag(powerOnWith('bios', 'default')), 'order=c');
});
