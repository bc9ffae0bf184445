/**
 * Ironic's manual-management type: an operator powers the machine and sets its boot device by hand.
 * Power is "fake" (the node record), management is "noop"; boot and deploy are the generic network ones,
 * so the type is available once pxe/ipxe and direct/ramdisk interfaces are installed.
 */
import type { HardwareType } from '@anvil/sdk';

const manualManagement: HardwareType = {
  name: 'manual-management',
  description: 'Manually managed hardware: no BMC; power and boot device are set by an operator.',
  supported: {
    boot: ['ipxe', 'pxe'],
    console: ['no-console', 'fake-graphical'],
    deploy: ['direct', 'ramdisk'],
    inspect: ['no-inspect', 'agent'],
    management: ['noop'],
    network: ['noop', 'flat'],
    power: ['fake'],
    raid: ['no-raid', 'agent'],
    rescue: ['no-rescue', 'agent'],
    storage: ['noop'],
  },
};

export default manualManagement;
