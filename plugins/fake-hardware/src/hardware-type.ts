/**
 * Ironic's fake-hardware type: fake implementations first (the defaults), then what a generic type supports.
 * Like Ironic, any enabled implementation is accepted on a fake-hardware node (the lists only pick defaults).
 * Names not installed (pxe, direct, ...) are simply skipped by the registry.
 */
import type { HardwareType } from '@anvil/sdk';

const fakeHardware: HardwareType = {
  name: 'fake-hardware',
  description: 'Fake hardware: every interface succeeds at once; power state lives in the node record.',
  acceptAnyEnabled: true,
  supported: {
    bios: ['fake', 'no-bios'],
    boot: ['fake', 'ipxe', 'pxe'],
    console: ['fake', 'no-console', 'fake-graphical'],
    deploy: ['fake', 'direct', 'ramdisk'],
    firmware: ['fake', 'no-firmware'],
    inspect: ['fake', 'no-inspect', 'agent'],
    management: ['fake'],
    network: ['noop', 'flat'],
    power: ['fake'],
    raid: ['fake', 'no-raid', 'agent'],
    rescue: ['fake', 'no-rescue', 'agent'],
    storage: ['fake', 'noop'],
    vendor: ['fake', 'no-vendor'],
  },
};

export default fakeHardware;
