#!/usr/bin/python3
"""ipmi_sim chassis_control program for one qemu VM (OpenIPMI lan.conf `chassis_control "chassis.py VMDIR"`).

ipmi_sim runs `chassis.py VMDIR <mc> get <parm>...` or `... set <parm> <value> [<parm> <value>...]`. Power on starts
qemu (VMDIR/qemu.args, one argument a line) with the boot device last set (pxe -> network first, otherwise disk;
-boot for SeaBIOS, bootindex for OVMF);
power off and reset go to the running qemu over its QMP socket (quit / system_reset); power state is whether the
qemu of VMDIR/qemu.pid is alive. Each action is appended to VMDIR/actions.
"""
import json
import os
import socket
import subprocess
import sys
import time

vm = sys.argv[1]
args = sys.argv[3:]
path = lambda name: os.path.join(vm, name)


def read(name, default):
    try:
        with open(path(name)) as f:
            return f.read().strip() or default
    except OSError:
        return default


def running():
    try:
        pid = int(read('qemu.pid', '0'))
        if pid <= 0:
            return False
        with open(f'/proc/{pid}/stat') as f:
            return f.read().split(') ')[1][0] != 'Z'
    except (OSError, ValueError, IndexError):
        return False


def qmp(command):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(5)
    s.connect(path('qmp.sock'))
    f = s.makefile('rw')
    f.readline()  # greeting
    for cmd in ('qmp_capabilities', command):
        f.write(json.dumps({'execute': cmd}) + '\n')
        f.flush()
        while True:
            line = f.readline()
            if not line or '"return"' in line or '"error"' in line:
                break
    s.close()


def first_boot_device(qargs, pxe):
    """UEFI: OVMF ignores -boot and keeps its own BootOrder in its variable store, where the entry the agent's
    install_bootloader added (efibootmgr) comes first; it follows qemu's bootindex (the fw_cfg boot order), as a
    server's firmware follows its BMC's boot override. So the first NIC (pxe) or the disk gets bootindex=1."""
    if not any('if=pflash' in a for a in qargs):
        return qargs
    device = 'virtio-net-pci,netdev=n0,' if pxe else 'virtio-blk-pci,'
    return [a + ',bootindex=1' if a.startswith(device) else a for a in qargs]


def power_on():
    if running():
        return
    pxe = read('boot', 'default') == 'pxe'
    qargs = first_boot_device(read('qemu.args', '').split('\n'), pxe)
    boot = 'order=n' if pxe else 'order=c'
    qargs += ['-boot', boot, '-daemonize', '-pidfile', path('qemu.pid'), '-qmp', f'unix:{path("qmp.sock")},server=on,wait=off']
    with open(path('qemu.log'), 'a') as log:
        subprocess.run(qargs, stdin=subprocess.DEVNULL, stdout=log, stderr=log, check=False)


def power_off():
    if not running():
        return
    try:
        qmp('quit')
    except OSError:
        pass
    for _ in range(50):
        if not running():
            return
        time.sleep(0.1)
    os.kill(int(read('qemu.pid', '0')), 9)


with open(path('actions'), 'a') as f:
    f.write(' '.join(args) + '\n')

if args[0] == 'get':
    for p in args[1:]:
        if p == 'power':
            print(f'power:{1 if running() else 0}')
        elif p == 'boot':
            print(f'boot:{read("boot", "default")}')
        else:
            print(f'unknown parameter {p}')
            sys.exit(1)
    sys.exit(0)

pairs = args[1:]
for name, value in zip(pairs[0::2], pairs[1::2]):
    if name == 'power':
        power_on() if value == '1' else power_off()
    elif name == 'shutdown':
        if value == '1' and running():
            qmp('system_powerdown')
    elif name == 'reset':
        if value == '1' and running():
            qmp('system_reset')
    elif name == 'boot':
        with open(path('boot'), 'w') as f:
            f.write(value + '\n')
    elif name == 'identify':
        pass
    else:
        print(f'unknown parameter {name}')
        sys.exit(1)
